"""Policy rules for /resource_providers/{uuid}/aggregates."""

from placement.policies import base

LIST = 'placement:resource_providers:aggregates:list'
UPDATE = 'placement:resource_providers:aggregates:update'


def rules() -> list:
    path = '/resource_providers/{uuid}/aggregates'
    return [
        base.operation(LIST, base.ADMIN_OR_SERVICE,
                       'List resource provider aggregates.', [('GET', path)]),
        base.operation(UPDATE, base.ADMIN_OR_SERVICE,
                       'Update resource provider aggregates.',
                       [('PUT', path)]),
    ]
