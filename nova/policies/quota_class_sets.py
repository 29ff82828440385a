"""Policy rules for /os-quota-class-sets/{id}; the target's quota_class
is the class in the URL."""

from nova.policies import base

SHOW = 'os_compute_api:os-quota-class-sets:show'
UPDATE = 'os_compute_api:os-quota-class-sets:update'


def rules() -> list:
    one = '/os-quota-class-sets/{quota_class}'
    return [
        base.operation(SHOW, 'is_admin:True or quota_class:%(quota_class)s',
                       'List the quotas of a quota class',
                       [('GET', one)]),
        base.operation(UPDATE, base.ADMIN_API,
                       'Update the quotas of a quota class',
                       [('PUT', one)]),
    ]
