"""Policy rules for /servers/{server_id}/os-volume_attachments."""

from nova.policies import base

_P = 'os_compute_api:os-volumes-attachments:%s'
INDEX = _P % 'index'
SHOW = _P % 'show'
CREATE = _P % 'create'
DELETE = _P % 'delete'
SWAP = _P % 'swap'


def rules() -> list:
    many = '/servers/{server_id}/os-volume_attachments'
    one = many + '/{volume_id}'
    return [base.operation(name, base.ADMIN_OR_OWNER, desc, ops)
            for name, desc, ops in (
                (INDEX, "List a server's volume attachments.",
                 [('GET', many)]),
                (SHOW, 'Show a volume attachment.', [('GET', one)]),
                (CREATE, 'Attach a volume to a server.', [('POST', many)]),
                (DELETE, 'Detach a volume from a server.',
                 [('DELETE', one)]))] + [
        base.operation(SWAP, base.ADMIN_API,
                       "Swap one of a server's volumes for another.",
                       [('PUT', one)])]
