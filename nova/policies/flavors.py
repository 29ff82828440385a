"""Policy rules for /flavors and /flavors/{flavor_id}/os-extra_specs."""

from nova.policies import base

MANAGE_CREATE = 'os_compute_api:os-flavor-manage:create'
MANAGE_DELETE = 'os_compute_api:os-flavor-manage:delete'
SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index'
SPECS_SHOW = 'os_compute_api:os-flavor-extra-specs:show'
SPECS_CREATE = 'os_compute_api:os-flavor-extra-specs:create'
SPECS_UPDATE = 'os_compute_api:os-flavor-extra-specs:update'
SPECS_DELETE = 'os_compute_api:os-flavor-extra-specs:delete'


def rules() -> list:
    specs = '/flavors/{flavor_id}/os-extra_specs'
    spec = specs + '/{flavor_extra_spec_key}'
    return [
        base.operation(MANAGE_CREATE, base.ADMIN_API, 'Create a flavor.',
                       [('POST', '/flavors')]),
        base.operation(MANAGE_DELETE, base.ADMIN_API, 'Delete a flavor.',
                       [('DELETE', '/flavors/{flavor_id}')]),
        base.operation(SPECS_INDEX, base.ADMIN_OR_OWNER,
                       'List the extra specs of a flavor.', [('GET', specs)]),
        base.operation(SPECS_SHOW, base.ADMIN_OR_OWNER,
                       'Show one extra spec of a flavor.', [('GET', spec)]),
        base.operation(SPECS_CREATE, base.ADMIN_API,
                       'Add or replace extra specs of a flavor.',
                       [('POST', specs)]),
        base.operation(SPECS_UPDATE, base.ADMIN_API,
                       'Set one extra spec of a flavor.', [('PUT', spec)]),
        base.operation(SPECS_DELETE, base.ADMIN_API,
                       'Delete one extra spec of a flavor.',
                       [('DELETE', spec)]),
    ]
