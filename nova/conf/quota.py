"""[quota]: the default limits, used where neither the project (or user)
nor the 'default' quota class in the API database sets one. -1 means
unlimited."""

from oslo_config import cfg

quota_opts = [
    cfg.IntOpt('instances', default=10, min=-1,
               help='Servers per project.'),
    cfg.IntOpt('cores', default=20, min=-1,
               help='Instance cores (VCPUs) per project.'),
    cfg.IntOpt('ram', default=50 * 1024, min=-1,
               help='Megabytes of instance RAM per project.'),
    cfg.IntOpt('metadata_items', default=128, min=-1,
               help='Metadata items per server.'),
    cfg.IntOpt('key_pairs', default=100, min=-1,
               help='Key pairs per user.'),
    cfg.IntOpt('server_groups', default=10, min=-1,
               help='Server groups per project.'),
    cfg.IntOpt('server_group_members', default=10, min=-1,
               help='Servers per server group.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(quota_opts, group='quota')


def list_opts() -> list:
    return [('quota', quota_opts)]
