"""Policy rules for /os-volumes and /os-snapshots, the volume and
snapshot proxies (until 2.35)."""

from nova.policies import base

_V = 'os_compute_api:os-volumes:%s'
LIST, DETAIL, SHOW, CREATE, DELETE = (
    _V % verb for verb in ('list', 'detail', 'show', 'create', 'delete'))
_S = 'os_compute_api:os-volumes:snapshots:%s'
SNAPSHOT_LIST, SNAPSHOT_DETAIL, SNAPSHOT_SHOW, SNAPSHOT_CREATE, \
    SNAPSHOT_DELETE = (_S % verb for verb in (
        'list', 'detail', 'show', 'create', 'delete'))


def _proxy(names: tuple, noun: str, many: str, one: str) -> list:
    lst, detail, show, create, delete = names
    return [base.operation(name, base.ADMIN_OR_OWNER, desc, ops)
            for name, desc, ops in (
                (lst, 'List %ss (proxied to Cinder).' % noun,
                 [('GET', many)]),
                (detail, 'List %ss with details.' % noun,
                 [('GET', many + '/detail')]),
                (show, 'Show a %s.' % noun, [('GET', one)]),
                (create, 'Create a %s.' % noun, [('POST', many)]),
                (delete, 'Delete a %s.' % noun, [('DELETE', one)]))]


def rules() -> list:
    return (_proxy((LIST, DETAIL, SHOW, CREATE, DELETE), 'volume',
                   '/os-volumes', '/os-volumes/{volume_id}')
            + _proxy((SNAPSHOT_LIST, SNAPSHOT_DETAIL, SNAPSHOT_SHOW,
                      SNAPSHOT_CREATE, SNAPSHOT_DELETE), 'volume snapshot',
                     '/os-snapshots', '/os-snapshots/{snapshot_id}'))
