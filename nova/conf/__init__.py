"""Every option Nova reads: one module per group, registered here once.

Services and commands parse into the global CONF:

    from nova.conf import CONF
    CONF(argv, project='nova', default_config_files=[...])
"""

import importlib

from oslo_config import cfg
from oslo_log import log

CONF = cfg.CONF

# Each module has register_opts(conf) and list_opts() -> [(group, opts)].
_MODULES = (
    'nova.conf.database',   # [api_database], [database]
    'nova.conf.service',    # [DEFAULT] host, report_interval, ...
    'nova.conf.rpc',        # [DEFAULT] transport_url, [upgrade_levels]
    'nova.conf.compute',    # [DEFAULT] compute_driver, [fake_driver]
    'nova.conf.placement',  # [placement]
    'nova.conf.api',        # [api], [wsgi]
    'nova.conf.osapi_v21',  # [osapi_v21]
    'nova.conf.scheduler',  # [scheduler], [filter_scheduler]
    'nova.conf.quota',      # [quota]
    'nova.conf.glance',     # [glance]
    'nova.conf.cinder',     # [cinder]
    'nova.conf.service_user',  # [service_user]
    'nova.conf.consoles',   # [vnc], [spice], [serial_console], [rdp], [mks],
                            # [consoleauth]
    'nova.conf.usage_audit',  # [DEFAULT] instance_usage_audit*
)
_registered = False


def _modules() -> list:
    return [importlib.import_module(name) for name in _MODULES]


def register_all(conf: cfg.ConfigOpts = CONF) -> None:
    global _registered
    if _registered and conf is CONF:
        return
    for module in _modules():
        module.register_opts(conf)
    if conf is CONF:
        log.register_options(conf)
        _registered = True


def list_opts() -> list:
    """For oslo-config-generator (entry point oslo.config.opts nova.conf)."""
    out = []
    for module in _modules():
        out.extend(module.list_opts())
    return out


register_all()
