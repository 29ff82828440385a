"""nova-scheduler: [scheduler] (placement queries and retries) and
[filter_scheduler] (which filters and how weighers count), plus the
availability zone hosts are in when no aggregate names one."""

from oslo_config import cfg

DEFAULT_FILTERS = ['AvailabilityZoneFilter', 'ComputeFilter',
                   'ServerGroupAntiAffinityFilter',
                   'ServerGroupAffinityFilter']

scheduler_opts = [
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Hosts tried per instance: the chosen one plus up to '
                    'max_attempts - 1 alternates a failed build is '
                    'retried on.'),
    cfg.IntOpt('max_placement_results', default=1000, min=1,
               help='Most allocation candidates asked of placement per '
                    'request (the limit parameter).'),
]

filter_scheduler_opts = [
    cfg.ListOpt('enabled_filters', default=DEFAULT_FILTERS,
                help='Filters a host must pass, in order. Available: '
                     'AvailabilityZoneFilter, ComputeFilter, SameHostFilter, '
                     'DifferentHostFilter, ServerGroupAffinityFilter, '
                     'ServerGroupAntiAffinityFilter.'),
    cfg.FloatOpt('ram_weight_multiplier', default=1.0,
                 help='Weight of free RAM; negative stacks instances on '
                      'the fullest hosts instead of spreading them.'),
    cfg.FloatOpt('disk_weight_multiplier', default=1.0,
                 help='Weight of free disk; negative stacks.'),
    cfg.FloatOpt('cpu_weight_multiplier', default=1.0,
                 help='Weight of free VCPUs; negative stacks.'),
    cfg.FloatOpt('soft_affinity_weight_multiplier', default=1.0, min=0.0,
                 help='Weight of the members of a soft-affinity server '
                      'group already on a host (more: preferred).'),
    cfg.FloatOpt('soft_anti_affinity_weight_multiplier', default=1.0,
                 min=0.0,
                 help='Weight of the members of a soft-anti-affinity '
                      'server group already on a host (more: avoided).'),
]

az_opts = [
    cfg.StrOpt('default_availability_zone', default='nova',
               help='Availability zone of compute hosts no aggregate puts '
                    'in another one.'),
    cfg.StrOpt('internal_service_availability_zone', default='internal',
               help='Availability zone shown for services other than '
                    'nova-compute (hidden from non-detailed zone lists).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(scheduler_opts, group='scheduler')
    conf.register_opts(filter_scheduler_opts, group='filter_scheduler')
    conf.register_opts(az_opts)


def list_opts() -> list:
    return [('scheduler', scheduler_opts),
            ('filter_scheduler', filter_scheduler_opts),
            ('DEFAULT', az_opts)]
