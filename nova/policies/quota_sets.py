"""Policy rules for /os-quota-sets/{tenant_id}; the target's project_id
is the project in the URL."""

from nova.policies import base

UPDATE = 'os_compute_api:os-quota-sets:update'
DEFAULTS = 'os_compute_api:os-quota-sets:defaults'
SHOW = 'os_compute_api:os-quota-sets:show'
DELETE = 'os_compute_api:os-quota-sets:delete'
DETAIL = 'os_compute_api:os-quota-sets:detail'


def rules() -> list:
    one = '/os-quota-sets/{tenant_id}'
    return [
        base.operation(UPDATE, base.ADMIN_API,
                       'Update the quotas of a project or of one of its '
                       'users', [('PUT', one)]),
        base.operation(DEFAULTS, '@', 'List the default quotas',
                       [('GET', one + '/defaults')]),
        base.operation(SHOW, base.ADMIN_OR_OWNER,
                       'Show the quotas of a project or of one of its '
                       'users', [('GET', one)]),
        base.operation(DELETE, base.ADMIN_API,
                       'Revert the quotas of a project or of one of its '
                       'users to the defaults', [('DELETE', one)]),
        base.operation(DETAIL, base.ADMIN_OR_OWNER,
                       'Show the quotas of a project or user with their '
                       'usage', [('GET', one + '/detail')]),
    ]
