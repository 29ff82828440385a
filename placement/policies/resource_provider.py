"""Policy rules for /resource_providers."""

from placement.policies import base

LIST = 'placement:resource_providers:list'
CREATE = 'placement:resource_providers:create'
SHOW = 'placement:resource_providers:show'
UPDATE = 'placement:resource_providers:update'
DELETE = 'placement:resource_providers:delete'


def rules() -> list:
    path = '/resource_providers/{uuid}'
    return [
        base.operation(LIST, base.ADMIN_OR_SERVICE, 'List resource providers.',
                       [('GET', '/resource_providers')]),
        base.operation(CREATE, base.ADMIN_OR_SERVICE,
                       'Create resource provider.',
                       [('POST', '/resource_providers')]),
        base.operation(SHOW, base.ADMIN_OR_SERVICE, 'Show resource provider.',
                       [('GET', path)]),
        base.operation(UPDATE, base.ADMIN_OR_SERVICE,
                       'Update resource provider.', [('PUT', path)]),
        base.operation(DELETE, base.ADMIN_OR_SERVICE,
                       'Delete resource provider.', [('DELETE', path)]),
    ]
