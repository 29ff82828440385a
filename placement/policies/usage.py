"""Policy rules for /usages and /resource_providers/{uuid}/usages."""

from placement.policies import base

PROVIDER_USAGES = 'placement:resource_providers:usages'
TOTAL_USAGES = 'placement:usages'


def rules() -> list:
    return [
        base.operation(PROVIDER_USAGES, base.ADMIN_OR_SERVICE,
                       'List resource provider usages.',
                       [('GET', '/resource_providers/{uuid}/usages')]),
        base.operation(TOTAL_USAGES, base.ADMIN_OR_PROJECT_READER_OR_SERVICE,
                       'List total resource usages for a given project.',
                       [('GET', '/usages')]),
    ]
