"""Policy rules for /traits and /resource_providers/{uuid}/traits."""

from placement.policies import base

LIST = 'placement:traits:list'
SHOW = 'placement:traits:show'
UPDATE = 'placement:traits:update'
DELETE = 'placement:traits:delete'
RP_LIST = 'placement:resource_providers:traits:list'
RP_UPDATE = 'placement:resource_providers:traits:update'
RP_DELETE = 'placement:resource_providers:traits:delete'


def rules() -> list:
    one = '/traits/{name}'
    rp = '/resource_providers/{uuid}/traits'
    return [
        base.operation(LIST, base.ADMIN_OR_SERVICE, 'List traits.',
                       [('GET', '/traits')]),
        base.operation(SHOW, base.ADMIN_OR_SERVICE, 'Show trait.',
                       [('GET', one)]),
        base.operation(UPDATE, base.ADMIN_OR_SERVICE, 'Update trait.',
                       [('PUT', one)]),
        base.operation(DELETE, base.ADMIN_OR_SERVICE, 'Delete trait.',
                       [('DELETE', one)]),
        base.operation(RP_LIST, base.ADMIN_OR_SERVICE,
                       'List resource provider traits.', [('GET', rp)]),
        base.operation(RP_UPDATE, base.ADMIN_OR_SERVICE,
                       'Update resource provider traits.', [('PUT', rp)]),
        base.operation(RP_DELETE, base.ADMIN_OR_SERVICE,
                       'Delete resource provider traits.', [('DELETE', rp)]),
    ]
