"""Policy rules for /os-keypairs. The target's user_id is the owner of
the key pairs acted on: the caller's own, or (2.10) the one named."""

from nova.policies import base

INDEX = 'os_compute_api:os-keypairs:index'
CREATE = 'os_compute_api:os-keypairs:create'
DELETE = 'os_compute_api:os-keypairs:delete'
SHOW = 'os_compute_api:os-keypairs:show'

ADMIN_OR_KEY_OWNER = 'rule:admin_api or user_id:%(user_id)s'


def rules() -> list:
    one = '/os-keypairs/{keypair_name}'
    return [
        base.operation(INDEX, ADMIN_OR_KEY_OWNER, 'List all keypairs',
                       [('GET', '/os-keypairs')]),
        base.operation(CREATE, ADMIN_OR_KEY_OWNER, 'Create a keypair',
                       [('POST', '/os-keypairs')]),
        base.operation(DELETE, ADMIN_OR_KEY_OWNER, 'Delete a keypair',
                       [('DELETE', one)]),
        base.operation(SHOW, ADMIN_OR_KEY_OWNER,
                       'Show details of a keypair', [('GET', one)]),
    ]
