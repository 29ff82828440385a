"""Policy rules of the admin's server moves: evacuate and live migrate
(POST /servers/{server_id}/action; Pike's names and defaults)."""

from nova.policies import base

EVACUATE = 'os_compute_api:os-evacuate'
MIGRATE_LIVE = 'os_compute_api:os-migrate-server:migrate_live'


def rules() -> list:
    action = '/servers/{server_id}/action (%s)'
    return [
        base.operation(EVACUATE, base.ADMIN_API,
                       'Evacuate a server from a failed host to a new host',
                       [('POST', action % 'evacuate')]),
        base.operation(MIGRATE_LIVE, base.ADMIN_API,
                       'Live migrate a server to a new host without a '
                       'reboot', [('POST', action % 'os-migrateLive')]),
    ]
