"""Policy rule for /os-instance_usage_audit_log."""

from nova.policies import base

BASE = 'os_compute_api:os-instance_usage_audit_log'


def rules() -> list:
    log = '/os-instance_usage_audit_log'
    return [base.operation(
        BASE, base.ADMIN_API, 'Show the instance usage audit of the last '
        'completed period (before a given time).',
        [('GET', log), ('GET', log + '/{before_timestamp}')])]
