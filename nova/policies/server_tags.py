"""Policy rules for /servers/{server_id}/tags (2.26)."""

from nova.policies import base

_P = 'os_compute_api:os-server-tags:%s'
INDEX = _P % 'index'
SHOW = _P % 'show'
UPDATE = _P % 'update'
UPDATE_ALL = _P % 'update_all'
DELETE = _P % 'delete'
DELETE_ALL = _P % 'delete_all'


def rules() -> list:
    tags, tag = '/servers/{server_id}/tags', '/servers/{server_id}/tags/{tag}'
    return [base.operation(name, base.ADMIN_OR_OWNER, desc, ops)
            for name, desc, ops in (
                (INDEX, "List a server's tags.", [('GET', tags)]),
                (SHOW, 'Check a server has a tag.', [('GET', tag)]),
                (UPDATE, 'Add a tag.', [('PUT', tag)]),
                (UPDATE_ALL, "Replace a server's tags.", [('PUT', tags)]),
                (DELETE, 'Delete a tag.', [('DELETE', tag)]),
                (DELETE_ALL, "Delete all of a server's tags.",
                 [('DELETE', tags)]))]
