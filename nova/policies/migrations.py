"""Policy rules for /os-migrations and (2.23) /servers/{id}/migrations
(Pike's names and defaults)."""

from nova.policies import base

INDEX = 'os_compute_api:os-migrations:index'
SERVER_INDEX = 'os_compute_api:servers:migrations:index'
SERVER_SHOW = 'os_compute_api:servers:migrations:show'


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
    ]
