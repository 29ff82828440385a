"""Policy rules for /servers (upstream names and Pike defaults)."""

from nova.policies import base

_P = 'os_compute_api:servers:%s'
INDEX = _P % 'index'
INDEX_ALL_TENANTS = _P % 'index:get_all_tenants'
DETAIL = _P % 'detail'
DETAIL_ALL_TENANTS = _P % 'detail:get_all_tenants'
SHOW = _P % 'show'
SHOW_HOST_STATUS = _P % 'show:host_status'
CREATE = _P % 'create'
CREATE_FORCED_HOST = _P % 'create:forced_host'
DELETE = _P % 'delete'
UPDATE = _P % 'update'
REBOOT = _P % 'reboot'
START = _P % 'start'
STOP = _P % 'stop'
REBUILD = _P % 'rebuild'
RESIZE = _P % 'resize'
CONFIRM_RESIZE = _P % 'confirm_resize'
REVERT_RESIZE = _P % 'revert_resize'
# Who sees the OS-EXT-SRV-ATTR:* attributes of a server.
EXTENDED_ATTRIBUTES = 'os_compute_api:os-extended-server-attributes'


def rules() -> list:
    servers, server = '/servers', '/servers/{server_id}'
    action = server + '/action (%s)'
    owner = [
        (INDEX, 'List servers.', [('GET', servers)]),
        (DETAIL, 'List servers with details.', [('GET', servers + '/detail')]),
        (SHOW, 'Show a server.', [('GET', server)]),
        (CREATE, 'Create servers.', [('POST', servers)]),
        (DELETE, 'Delete a server.', [('DELETE', server)]),
        (UPDATE, 'Update a server.', [('PUT', server)]),
        (REBOOT, 'Reboot a server.', [('POST', action % 'reboot')]),
        (START, 'Start a server.', [('POST', action % 'os-start')]),
        (STOP, 'Stop a server.', [('POST', action % 'os-stop')]),
        (REBUILD, 'Rebuild a server.', [('POST', action % 'rebuild')]),
        (RESIZE, 'Resize a server.', [('POST', action % 'resize')]),
        (CONFIRM_RESIZE, 'Confirm a resize.',
         [('POST', action % 'confirmResize')]),
        (REVERT_RESIZE, 'Revert a resize.',
         [('POST', action % 'revertResize')]),
    ]
    admin = [
        (INDEX_ALL_TENANTS, 'List the servers of every project.',
         [('GET', servers)]),
        (DETAIL_ALL_TENANTS, 'List the servers of every project with '
         'details.', [('GET', servers + '/detail')]),
        (SHOW_HOST_STATUS, 'See host_status in server bodies (2.16).',
         [('GET', server), ('GET', servers + '/detail')]),
        (CREATE_FORCED_HOST, 'Create a server on a named host '
         '(availability_zone "zone:host").', [('POST', servers)]),
        (EXTENDED_ATTRIBUTES, 'See the OS-EXT-SRV-ATTR:* attributes of '
         'servers.', [('GET', server), ('GET', servers + '/detail')]),
    ]
    return ([base.operation(n, base.ADMIN_OR_OWNER, d, o)
             for n, d, o in owner] +
            [base.operation(n, base.ADMIN_API, d, o) for n, d, o in admin])
