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
    cfg.IntOpt('injected_files', default=5, min=-1,
               help='Files injected into a server (personality).'),
    cfg.IntOpt('injected_file_content_bytes', default=10240, min=-1,
               help='Bytes of one injected file.'),
    cfg.IntOpt('injected_file_path_length', default=255, min=-1,
               help='Characters of an injected file\'s path.'),
    cfg.IntOpt('key_pairs', default=100, min=-1,
               help='Key pairs per user.'),
    cfg.IntOpt('server_groups', default=10, min=-1,
               help='Server groups per project.'),
    cfg.IntOpt('server_group_members', default=10, min=-1,
               help='Servers per server group.'),
    # Nova-network's limits: only shown (before microversion 2.36),
    # since networking is Neutron's and it keeps its own quotas.
    cfg.IntOpt('floating_ips', default=10, min=-1,
               help='Floating IPs per project (shown only).'),
    cfg.IntOpt('fixed_ips', default=-1, min=-1,
               help='Fixed IPs per project (shown only).'),
    cfg.IntOpt('security_groups', default=10, min=-1,
               help='Security groups per project (shown only).'),
    cfg.IntOpt('security_group_rules', default=20, min=-1,
               help='Rules per security group (shown only).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(quota_opts, group='quota')


def list_opts() -> list:
    return [('quota', quota_opts)]
