"""Policy rules for /resource_providers/{uuid}/inventories."""

from placement.policies import base

LIST = 'placement:resource_providers:inventories:list'
CREATE = 'placement:resource_providers:inventories:create'
SHOW = 'placement:resource_providers:inventories:show'
UPDATE = 'placement:resource_providers:inventories:update'
DELETE = 'placement:resource_providers:inventories:delete'


def rules() -> list:
    path = '/resource_providers/{uuid}/inventories'
    one = path + '/{resource_class}'
    return [
        base.operation(LIST, base.ADMIN_OR_SERVICE,
                       'List resource provider inventories.', [('GET', path)]),
        base.operation(CREATE, base.ADMIN_OR_SERVICE,
                       'Create one resource provider inventory.',
                       [('POST', path)]),
        base.operation(SHOW, base.ADMIN_OR_SERVICE,
                       'Show resource provider inventory.', [('GET', one)]),
        base.operation(UPDATE, base.ADMIN_OR_SERVICE,
                       'Update resource provider inventory.',
                       [('PUT', path), ('PUT', one)]),
        base.operation(DELETE, base.ADMIN_OR_SERVICE,
                       'Delete resource provider inventory.',
                       [('DELETE', path), ('DELETE', one)]),
    ]
