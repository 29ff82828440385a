"""[osapi_v21]: how the compute API reads project ids in request paths."""

from oslo_config import cfg

osapi_v21_opts = [
    cfg.StrOpt('project_id_regex',
               help='A regular expression a project id in a request path '
                    '(/v2.1/{project_id}/servers) must match. Unset: '
                    'keystone\'s ids (hexadecimal digits and dashes). A '
                    'segment that does not match is no project id, so '
                    'that /v2.1/servers/ is a 404.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(osapi_v21_opts, group='osapi_v21')


def list_opts() -> list:
    return [('osapi_v21', osapi_v21_opts)]
