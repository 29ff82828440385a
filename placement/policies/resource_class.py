"""Policy rules for /resource_classes."""

from placement.policies import base

LIST = 'placement:resource_classes:list'
CREATE = 'placement:resource_classes:create'
SHOW = 'placement:resource_classes:show'
UPDATE = 'placement:resource_classes:update'
DELETE = 'placement:resource_classes:delete'


def rules() -> list:
    path = '/resource_classes/{name}'
    return [
        base.operation(LIST, base.ADMIN_OR_SERVICE, 'List resource classes.',
                       [('GET', '/resource_classes')]),
        base.operation(CREATE, base.ADMIN_OR_SERVICE,
                       'Create resource class.',
                       [('POST', '/resource_classes')]),
        base.operation(SHOW, base.ADMIN_OR_SERVICE, 'Show resource class.',
                       [('GET', path)]),
        base.operation(UPDATE, base.ADMIN_OR_SERVICE,
                       'Update resource class.', [('PUT', path)]),
        base.operation(DELETE, base.ADMIN_OR_SERVICE,
                       'Delete resource class.', [('DELETE', path)]),
    ]
