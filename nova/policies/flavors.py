"""Policy rules for /flavors, their extra specs and their access lists.

Pike had one rule for creating and deleting flavors,
os_compute_api:os-flavor-manage; upstream split it (Queens) into one
rule per operation. A policy file that still sets the Pike rule (and
not the new one) governs the operations it covered, with a deprecation
warning, so that an operator's Pike policy file keeps working.
"""

from oslo_policy import policy

from nova.policies import base

# Pike's rule for both create and delete.
MANAGE = 'os_compute_api:os-flavor-manage'
MANAGE_CREATE = 'os_compute_api:os-flavor-manage:create'
MANAGE_DELETE = 'os_compute_api:os-flavor-manage:delete'
MANAGE_UPDATE = 'os_compute_api:os-flavor-manage:update'
ACCESS_INDEX = 'os_compute_api:os-flavor-access'
ACCESS_ADD = 'os_compute_api:os-flavor-access:add_tenant_access'
ACCESS_REMOVE = 'os_compute_api:os-flavor-access:remove_tenant_access'
SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index'
SPECS_SHOW = 'os_compute_api:os-flavor-extra-specs:show'
SPECS_CREATE = 'os_compute_api:os-flavor-extra-specs:create'
SPECS_UPDATE = 'os_compute_api:os-flavor-extra-specs:update'
SPECS_DELETE = 'os_compute_api:os-flavor-extra-specs:delete'


def _split_from_manage(name: str, description: str, method: str,
                       path: str) -> policy.DocumentedRuleDefault:
    """An admin rule taking Pike's MANAGE override when a policy file
    sets only that (oslo.policy's handling of a renamed rule)."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=base.ADMIN_API, description=description,
        operations=[{'method': method, 'path': path}],
        deprecated_rule=policy.DeprecatedRule(
            MANAGE, base.ADMIN_API, deprecated_since='17.0.0',
            deprecated_reason='Flavor create, update and delete each '
                              'have their own rule.'))


def rules() -> list:
    specs = '/flavors/{flavor_id}/os-extra_specs'
    spec = specs + '/{flavor_extra_spec_key}'
    return [
        _split_from_manage(MANAGE_CREATE, 'Create a flavor.', 'POST',
                           '/flavors'),
        _split_from_manage(MANAGE_DELETE, 'Delete a flavor.', 'DELETE',
                           '/flavors/{flavor_id}'),
        base.operation(MANAGE_UPDATE, base.ADMIN_API,
                       'Update a flavor\'s description.',
                       [('PUT', '/flavors/{flavor_id}')]),
        base.operation(ACCESS_INDEX, base.ADMIN_OR_OWNER,
                       'List the projects given a private flavor.',
                       [('GET', '/flavors/{flavor_id}/os-flavor-access')]),
        base.operation(ACCESS_ADD, base.ADMIN_API,
                       'Give a project access to a private flavor.',
                       [('POST', '/flavors/{flavor_id}/action '
                                 '(addTenantAccess)')]),
        base.operation(ACCESS_REMOVE, base.ADMIN_API,
                       'Take a project\'s access to a private flavor away.',
                       [('POST', '/flavors/{flavor_id}/action '
                                 '(removeTenantAccess)')]),
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
