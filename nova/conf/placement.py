"""[placement]: how Nova reaches the placement API.

Two ways in: with auth_type unset (or "noauth") Nova sends [placement]
token to endpoint_override, for noauth2 deployments and tests; with a
keystoneauth plugin (e.g. password) keystoneauth's plugin, session (TLS,
timeout) and adapter (service type, interfaces, region, endpoint_override)
options apply. Plugins that read a `token` option of their own
(admin_token, token) cannot be used here: that name is ours.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = 'placement'

# Our defaults for keystoneauth's adapter options. They are set on the
# options themselves, not with set_default: ConfigOpts.reset() drops those.
_ADAPTER_DEFAULTS = {'service_type': 'placement',
                     'valid_interfaces': ['internal', 'public']}

placement_opts = [
    cfg.StrOpt('token', default='admin', secret=True,
               help='Token sent when auth_type is unset or noauth '
                    '(noauth2 deployments: the token names the user).'),
]


def _ks_opts() -> list[cfg.Opt]:
    adapter = ks_loading.get_adapter_conf_options(include_deprecated=False)
    for opt in adapter:
        if opt.dest in _ADAPTER_DEFAULTS:
            opt.default = _ADAPTER_DEFAULTS[opt.dest]
    return (adapter + ks_loading.get_session_conf_options()
            + ks_loading.get_auth_common_conf_options())


_KS_OPTS = _ks_opts()


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(placement_opts + _KS_OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, placement_opts + _KS_OPTS)]
