"""Messaging: the transport URL and the RPC version caps for upgrades."""

from oslo_config import cfg
from oslo_messaging import opts as messaging_opts

upgrade_levels_opts = [
    cfg.StrOpt(name, help='Highest %s RPC API version to send (a version '
                          'number, or unset for the newest); lets new '
                          'services talk to old ones during an upgrade.'
                          % name)
    for name in ('compute', 'conductor', 'scheduler')
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    # transport_url, rpc_response_timeout ... are oslo.messaging's [DEFAULT]
    # options; it registers them itself when a transport is first made,
    # but services read and override them before that. Equal copies of
    # the same options, so its own registration later is a no-op.
    for group, opts in messaging_opts.list_opts():
        if group is None:
            conf.register_opts(opts)
    conf.register_opts(upgrade_levels_opts, group='upgrade_levels')


def list_opts() -> list:
    return [('upgrade_levels', upgrade_levels_opts)]
