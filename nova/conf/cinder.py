"""[cinder]: how Nova reaches the block storage API (Cinder v3).

Calls carry the caller's token; the endpoint comes from endpoint_template
(noauth2 deployments, tests) or else from the caller's service catalog
(catalog_info, os_region_name). keystoneauth's session options (timeout,
TLS) apply, and its auth options give the credentials for calls made
without a user (periodic clean-up).
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = 'cinder'

cinder_opts = [
    cfg.StrOpt('catalog_info', default='volumev3::publicURL',
               regex=r'^[\w-]+:[\w-]*:.*$',
               help='service_type:service_name:endpoint_type of Cinder '
                    'in the service catalog (service_name may be empty).'),
    cfg.StrOpt('endpoint_template',
               help='Cinder endpoint to use instead of the catalog, e.g. '
                    'http://controller:8776/v3/%(project_id)s; '
                    '%(project_id)s and the other request context fields '
                    'are filled in.'),
    cfg.StrOpt('os_region_name',
               help='Region of the Cinder endpoint in the catalog.'),
    cfg.IntOpt('http_retries', default=3, min=0,
               help='Times a call is retried after a connection error.'),
    cfg.BoolOpt('cross_az_attach', default=True,
                help='Allow a volume of one availability zone to attach '
                     'to a server of another.'),
]

_KS_OPTS = (ks_loading.get_session_conf_options()
            + ks_loading.get_auth_common_conf_options())


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(cinder_opts + _KS_OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, cinder_opts + _KS_OPTS)]
