"""nova-compute: which virt driver it runs, the fake driver's size, and
how much of each node it offers placement."""

from oslo_config import cfg

compute_opts = [
    cfg.StrOpt('compute_driver', default='fake.FakeDriver',
               help='Virt driver of nova-compute, as module.Class under '
                    'nova.virt (fake.FakeDriver).'),
    cfg.FloatOpt('cpu_allocation_ratio', default=16.0, min=0.0,
                 help='Virtual CPUs placement may allocate per physical '
                      'CPU of a compute node (VCPU allocation_ratio).'),
    cfg.FloatOpt('ram_allocation_ratio', default=1.5, min=0.0,
                 help='Memory placement may allocate per MiB of a compute '
                      'node (MEMORY_MB allocation_ratio).'),
    cfg.FloatOpt('disk_allocation_ratio', default=1.0, min=0.0,
                 help='Disk placement may allocate per GiB of a compute '
                      'node (DISK_GB allocation_ratio).'),
    cfg.IntOpt('reserved_host_cpus', default=0, min=0,
               help='CPUs of each compute node kept for the host itself '
                    '(VCPU reserved).'),
    cfg.IntOpt('reserved_host_memory_mb', default=512, min=0,
               help='Memory (MiB) of each compute node kept for the host '
                    'itself (MEMORY_MB reserved).'),
    cfg.IntOpt('reserved_host_disk_mb', default=0, min=0,
               help='Disk (MiB) of each compute node kept for the host '
                    'itself; placement gets it rounded up to GiB '
                    '(DISK_GB reserved).'),
    cfg.IntOpt('block_device_allocate_retries', default=60, min=0,
               help='Times a build checks whether a volume it asked '
                    'Cinder for is available before it gives up.'),
    cfg.FloatOpt('block_device_allocate_retries_interval', default=3.0,
                 min=0.0,
                 help='Seconds between those checks.'),
    cfg.BoolOpt('allow_resize_to_same_host', default=False,
                help='Whether a resize may land on the host the server '
                     'is on (single-host clouds need it); a cold '
                     'migration always goes to another host.'),
    cfg.IntOpt('max_concurrent_live_migrations', default=1, min=1,
               help='Live migrations one compute host runs at a time; '
                    'the others wait their turn (status queued).'),
    cfg.IntOpt('reclaim_instance_interval', default=0,
               help='Seconds a deleted server is kept, soft-deleted, before '
                    'its compute host reclaims it (restore brings it back '
                    'meanwhile). 0 or less deletes at once.'),
    cfg.IntOpt('shelved_offload_time', default=0, min=-1,
               help='Seconds a shelved server keeps its place on its host '
                    'before it is offloaded: 0 offloads at once, -1 never.'),
]

fake_driver_opts = [
    cfg.IntOpt('vcpus', default=8, min=1,
               help='Virtual CPUs the fake driver reports per node.'),
    cfg.IntOpt('memory_mb', default=16384, min=1,
               help='Memory (MiB) the fake driver reports per node.'),
    cfg.IntOpt('local_gb', default=200, min=1,
               help='Local disk (GiB) the fake driver reports per node.'),
    cfg.BoolOpt('supports_multiattach', default=True,
                help='Whether the fake driver can attach one volume to '
                     'several guests (Cinder multiattach volumes); its '
                     'nodes have the COMPUTE_VOLUME_MULTI_ATTACH trait '
                     'if so.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(compute_opts)
    conf.register_opts(fake_driver_opts, group='fake_driver')


def list_opts() -> list:
    return [('DEFAULT', compute_opts), ('fake_driver', fake_driver_opts)]
