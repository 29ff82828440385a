"""Messaging: the transport URL and the RPC version caps for upgrades."""

from oslo_config import cfg

upgrade_levels_opts = [
    cfg.StrOpt(name, help='Highest %s RPC API version to send (a version '
                          'number, or unset for the newest); lets new '
                          'services talk to old ones during an upgrade.'
                          % name)
    for name in ('compute', 'conductor', 'scheduler')
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    # transport_url itself is oslo.messaging's [DEFAULT] option, registered
    # by oslo_messaging.get_rpc_transport().
    conf.register_opts(upgrade_levels_opts, group='upgrade_levels')


def list_opts() -> list:
    return [('upgrade_levels', upgrade_levels_opts)]
