"""[placement]: how Nova reaches the placement API."""

from oslo_config import cfg

placement_opts = [
    cfg.StrOpt('endpoint_override',
               help='Placement URL, e.g. http://127.0.0.1:8778; when unset '
                    'it is looked up in the Keystone catalog.'),
    cfg.StrOpt('auth_type',
               help='keystoneauth plugin (e.g. password); "noauth" sends '
                    'the token in [placement] token.'),
    cfg.StrOpt('token', default='admin', secret=True,
               help='Token sent when auth_type is unset or noauth '
                    '(noauth2 deployments).'),
    cfg.StrOpt('region_name', help='Region of the placement endpoint.'),
    cfg.StrOpt('valid_interfaces', default='internal,public',
               help='Catalog interfaces to try, in order.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(placement_opts, group='placement')


def list_opts() -> list:
    return [('placement', placement_opts)]
