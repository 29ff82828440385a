"""Policy rules for /servers/{server_id}/metadata."""

from nova.policies import base

_P = 'os_compute_api:server-metadata:%s'
INDEX = _P % 'index'
SHOW = _P % 'show'
CREATE = _P % 'create'
UPDATE_ALL = _P % 'update_all'
UPDATE = _P % 'update'
DELETE = _P % 'delete'


def rules() -> list:
    items, item = ('/servers/{server_id}/metadata',
                   '/servers/{server_id}/metadata/{key}')
    return [base.operation(name, base.ADMIN_OR_OWNER, desc, ops)
            for name, desc, ops in (
                (INDEX, "List a server's metadata.", [('GET', items)]),
                (SHOW, 'Show one metadata item.', [('GET', item)]),
                (CREATE, 'Add or change metadata items.',
                 [('POST', items)]),
                (UPDATE_ALL, "Replace a server's metadata.",
                 [('PUT', items)]),
                (UPDATE, 'Set one metadata item.', [('PUT', item)]),
                (DELETE, 'Delete one metadata item.', [('DELETE', item)]))]
