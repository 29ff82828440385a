"""Policy rules for /os-migrations and (2.23) /servers/{id}/migrations,
with force_complete (2.22) and abort (2.24) (Pike's names and
defaults)."""

from nova.policies import base

INDEX = 'os_compute_api:os-migrations:index'
SERVER_INDEX = 'os_compute_api:servers:migrations:index'
SERVER_SHOW = 'os_compute_api:servers:migrations:show'
FORCE_COMPLETE = 'os_compute_api:servers:migrations:force_complete'
DELETE = 'os_compute_api:servers:migrations:delete'


def rules() -> list:
    server = '/servers/{server_id}/migrations'
    return [
        base.operation(INDEX, base.ADMIN_API,
                       'List migrations', [('GET', '/os-migrations')]),
        base.operation(SERVER_INDEX, base.ADMIN_API,
                       'Lists in-progress live migrations for a given '
                       'server.', [('GET', server)]),
        base.operation(SERVER_SHOW, base.ADMIN_API,
                       'Show details for an in-progress live migration '
                       'for a given server.',
                       [('GET', server + '/{migration_id}')]),
        base.operation(FORCE_COMPLETE, base.ADMIN_API,
                       'Force an in-progress live migration for a given '
                       'server to complete.',
                       [('POST', server + '/{migration_id}/action '
                                          '(force_complete)')]),
        base.operation(DELETE, base.ADMIN_API,
                       'Delete(Abort) an in-progress live migration.',
                       [('DELETE', server + '/{migration_id}')]),
    ]
