"""Policy rules for /allocations and /resource_providers/{uuid}/allocations."""

from placement.policies import base

MANAGE = 'placement:allocations:manage'
LIST = 'placement:allocations:list'
UPDATE = 'placement:allocations:update'
DELETE = 'placement:allocations:delete'
RP_ALLOC_LIST = 'placement:resource_providers:allocations:list'


def rules() -> list:
    one = '/allocations/{consumer_uuid}'
    return [
        base.operation(MANAGE, base.ADMIN_OR_SERVICE,
                       'Manage allocations.', [('POST', '/allocations')]),
        base.operation(LIST, base.ADMIN_OR_SERVICE, 'List allocations.',
                       [('GET', one)]),
        base.operation(UPDATE, base.ADMIN_OR_SERVICE, 'Update allocations.',
                       [('PUT', one)]),
        base.operation(DELETE, base.ADMIN_OR_SERVICE, 'Delete allocations.',
                       [('DELETE', one)]),
        base.operation(RP_ALLOC_LIST, base.ADMIN_OR_SERVICE,
                       'List resource provider allocations.',
                       [('GET', '/resource_providers/{uuid}/allocations')]),
    ]
