"""Remote consoles: which kinds a compute hands out, the proxy URL each
console's link starts with, and how long a console token lasts."""

from oslo_config import cfg

vnc_opts = [
    cfg.BoolOpt('enabled', default=True,
                help='Whether computes hand out VNC consoles.'),
    cfg.URIOpt('novncproxy_base_url',
               default='http://127.0.0.1:6080/vnc_auto.html',
               help='URL of the noVNC proxy a novnc console link opens.'),
]

spice_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Whether computes hand out SPICE consoles.'),
    cfg.URIOpt('html5proxy_base_url',
               default='http://127.0.0.1:6082/spice_auto.html',
               help='URL of the SPICE HTML5 proxy a spice-html5 console '
                    'link opens.'),
]

serial_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Whether computes hand out serial consoles.'),
    cfg.URIOpt('base_url', default='ws://127.0.0.1:6083/',
               help='URL of the serial console proxy (a websocket).'),
]

rdp_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Whether computes hand out RDP consoles.'),
    cfg.URIOpt('html5_proxy_base_url', default='http://127.0.0.1:6083/',
               help='URL of the RDP HTML5 proxy an rdp-html5 console link '
                    'opens.'),
]

mks_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Whether computes hand out MKS (VMware) consoles.'),
    cfg.URIOpt('mksproxy_base_url', default='http://127.0.0.1:6090/',
               help='URL of the MKS proxy a webmks console link opens.'),
]

consoleauth_opts = [
    cfg.IntOpt('token_ttl', default=600, min=0,
               help='Seconds a console token stays valid.'),
]

_GROUPS = (('vnc', vnc_opts), ('spice', spice_opts),
           ('serial_console', serial_opts), ('rdp', rdp_opts),
           ('mks', mks_opts), ('consoleauth', consoleauth_opts))


def register_opts(conf: cfg.ConfigOpts) -> None:
    for group, opts in _GROUPS:
        conf.register_opts(opts, group=group)


def list_opts() -> list:
    return list(_GROUPS)
