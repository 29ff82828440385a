"""[service_user]: the service token Nova adds to the user's token when
it calls other services, so that they can tell a call Nova makes on a
user's behalf from the user's own (Cinder lets only a service delete an
attachment that is in use)."""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = 'service_user'

service_user_opts = [
    cfg.BoolOpt('send_service_user_token', default=False,
                help='Send a service token (from this group\'s '
                     'keystoneauth options) with the user\'s token.'),
]

_KS_OPTS = (ks_loading.get_session_conf_options()
            + ks_loading.get_auth_common_conf_options())


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(service_user_opts + _KS_OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, service_user_opts + _KS_OPTS)]
