"""[DEFAULT] options of every Nova service: its name and liveness."""

import socket

from oslo_config import cfg

service_opts = [
    cfg.StrOpt('host', default=socket.gethostname(),
               sample_default='<current hostname>',
               help='Name of this host as services and host mappings know '
                    'it; must be unique per cell.'),
    cfg.IntOpt('report_interval', default=10, min=1,
               help='Seconds between service heartbeats.'),
    cfg.IntOpt('service_down_time', default=60, min=1,
               help='Seconds without a heartbeat after which a service '
                    'counts as down.'),
    cfg.IntOpt('periodic_interval', default=60, min=1,
               help='Seconds between runs of periodic tasks.'),
    cfg.FloatOpt('cell_timeout', default=60.0, min=0.1,
                 help='Seconds to wait for a cell database to answer a '
                      'query the API or scheduler sends to one or more '
                      'cells. A cell slower than this is left out of '
                      'lists, and requests that need it fail with 503.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(service_opts)


def list_opts() -> list:
    return [('DEFAULT', service_opts)]
