"""Policy rules for /os-volumes, the volume proxy (until 2.35)."""

from nova.policies import base

_P = 'os_compute_api:os-volumes:%s'
LIST = _P % 'list'
DETAIL = _P % 'detail'
SHOW = _P % 'show'
CREATE = _P % 'create'
DELETE = _P % 'delete'


def rules() -> list:
    many, one = '/os-volumes', '/os-volumes/{volume_id}'
    return [base.operation(name, base.ADMIN_OR_OWNER, desc, ops)
            for name, desc, ops in (
                (LIST, 'List volumes (proxied to Cinder).',
                 [('GET', many)]),
                (DETAIL, 'List volumes with details.',
                 [('GET', many + '/detail')]),
                (SHOW, 'Show a volume.', [('GET', one)]),
                (CREATE, 'Create a volume.', [('POST', many)]),
                (DELETE, 'Delete a volume.', [('DELETE', one)]))]
