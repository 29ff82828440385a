"""Policy rule for /os-services (one rule for every operation, as in
Pike)."""

from nova.policies import base

BASE = 'os_compute_api:os-services'


def rules() -> list:
    return [base.operation(
        BASE, base.ADMIN_API,
        'List, enable, disable, force down and delete services.',
        [('GET', '/os-services'), ('PUT', '/os-services/enable'),
         ('PUT', '/os-services/disable'),
         ('PUT', '/os-services/disable-log-reason'),
         ('PUT', '/os-services/force-down'),
         ('PUT', '/os-services/{service_id}'),
         ('DELETE', '/os-services/{service_id}')])]
