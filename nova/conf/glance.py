"""[glance]: where server images come from.

With api_servers set, images are Glance v2's, read with the caller's
token; without, they come from a local catalog file (development, tests
and single-host clouds with no image service).
"""

from oslo_config import cfg

GROUP = 'glance'

glance_opts = [
    cfg.ListOpt('api_servers', default=[],
                help='Glance endpoints (e.g. http://controller:9292), '
                     'tried in order. Empty: use local_catalog.'),
    cfg.StrOpt('local_catalog',
               help='A JSON file listing images as Glance v2 shows them '
                    '(id, name, status, min_disk, min_ram, ...), used '
                    'when api_servers is empty. Default: the '
                    'etc/nova/images.json shipped with the code.'),
    cfg.IntOpt('timeout', default=30, min=1,
               help='Seconds to wait for Glance to answer.'),
    cfg.BoolOpt('verify_glance_signatures', default=False,
                help='Check image signatures before using an image. With '
                     'enable_certificate_validation, servers asking for no '
                     'trusted certificates get '
                     'default_trusted_certificate_ids.'),
    cfg.BoolOpt('enable_certificate_validation', default=False,
                help='Check the certificate an image was signed with '
                     'against the server\'s trusted certificates (needs '
                     'verify_glance_signatures).'),
    cfg.ListOpt('default_trusted_certificate_ids', default=[],
                help='Certificate ids trusted for servers created or '
                     'rebuilt without trusted_image_certificates, when '
                     'verify_glance_signatures and '
                     'enable_certificate_validation are set.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(glance_opts, group=GROUP)


def list_opts() -> list:
    return [(GROUP, glance_opts)]
