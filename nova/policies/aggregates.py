"""Policy rules for /os-aggregates (all administrators only)."""

from nova.policies import base

ROOT = 'os_compute_api:os-aggregates:%s'
INDEX = ROOT % 'index'
CREATE = ROOT % 'create'
SHOW = ROOT % 'show'
UPDATE = ROOT % 'update'
DELETE = ROOT % 'delete'
ADD_HOST = ROOT % 'add_host'
REMOVE_HOST = ROOT % 'remove_host'
SET_METADATA = ROOT % 'set_metadata'


def rules() -> list:
    one = '/os-aggregates/{aggregate_id}'
    action = one + '/action'
    return [
        base.operation(INDEX, base.ADMIN_API, 'List aggregates.',
                       [('GET', '/os-aggregates')]),
        base.operation(CREATE, base.ADMIN_API, 'Create an aggregate.',
                       [('POST', '/os-aggregates')]),
        base.operation(SHOW, base.ADMIN_API, 'Show an aggregate.',
                       [('GET', one)]),
        base.operation(UPDATE, base.ADMIN_API,
                       'Rename an aggregate or change its zone.',
                       [('PUT', one)]),
        base.operation(DELETE, base.ADMIN_API, 'Delete an aggregate.',
                       [('DELETE', one)]),
        base.operation(ADD_HOST, base.ADMIN_API,
                       'Add a host to an aggregate.',
                       [('POST', action + ' (add_host)')]),
        base.operation(REMOVE_HOST, base.ADMIN_API,
                       'Remove a host from an aggregate.',
                       [('POST', action + ' (remove_host)')]),
        base.operation(SET_METADATA, base.ADMIN_API,
                       'Set or remove metadata of an aggregate.',
                       [('POST', action + ' (set_metadata)')]),
    ]
