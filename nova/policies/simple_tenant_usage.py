"""Policy rules for /os-simple-tenant-usage (Pike's names and defaults)."""

from nova.policies import base

LIST = 'os_compute_api:os-simple-tenant-usage:list'
SHOW = 'os_compute_api:os-simple-tenant-usage:show'


def rules() -> list:
    usage = '/os-simple-tenant-usage'
    return [
        base.operation(SHOW, base.ADMIN_OR_OWNER,
                       'Show usage statistics for a specific tenant',
                       [('GET', usage + '/{tenant_id}')]),
        base.operation(LIST, base.ADMIN_API,
                       'List per tenant usage statistics for all tenants',
                       [('GET', usage)]),
    ]
