"""The compute's instance usage audit: whether it runs and the period it
covers (what os-instance_usage_audit_log reports on)."""

from oslo_config import cfg

usage_audit_opts = [
    cfg.BoolOpt('instance_usage_audit', default=False,
                help='Whether each compute records, once per audit '
                     'period, the instances that ran on it during the '
                     'period before (a task_log row).'),
    cfg.StrOpt('instance_usage_audit_period', default='month',
               regex=r'^(hour|day|month|year)(@\d+)?$',
               help='The audit period: hour, day, month or year, '
                    'optionally @offset (the minute, hour, day or month '
                    'it starts at, e.g. month@15).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(usage_audit_opts)


def list_opts() -> list:
    return [('DEFAULT', usage_audit_opts)]
