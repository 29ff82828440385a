"""Policy rules of the server actions that upstream named after their
extensions (POST /servers/{server_id}/action)."""

from nova.policies import base

PAUSE = 'os_compute_api:os-pause-server:pause'
UNPAUSE = 'os_compute_api:os-pause-server:unpause'
SUSPEND = 'os_compute_api:os-suspend-server:suspend'
RESUME = 'os_compute_api:os-suspend-server:resume'
LOCK = 'os_compute_api:os-lock-server:lock'
UNLOCK = 'os_compute_api:os-lock-server:unlock'
UNLOCK_OVERRIDE = 'os_compute_api:os-lock-server:unlock:unlock_override'
MIGRATE = 'os_compute_api:os-migrate-server:migrate'
CONSOLE_OUTPUT = 'os_compute_api:os-console-output'
FORCE_DELETE = 'os_compute_api:os-deferred-delete'


def rules() -> list:
    action = '/servers/{server_id}/action (%s)'
    owner = [
        (PAUSE, 'Pause a server.', 'pause'),
        (UNPAUSE, 'Unpause a server.', 'unpause'),
        (SUSPEND, 'Suspend a server.', 'suspend'),
        (RESUME, 'Resume a server.', 'resume'),
        (LOCK, 'Lock a server.', 'lock'),
        (UNLOCK, 'Unlock a server.', 'unlock'),
        (CONSOLE_OUTPUT, 'Show the console output of a server.',
         'os-getConsoleOutput'),
        (FORCE_DELETE, 'Force-delete a soft-deleted server.',
         'forceDelete'),
    ]
    admin = [
        (UNLOCK_OVERRIDE, 'Unlock a server an administrator locked.',
         'unlock'),
        (MIGRATE, 'Cold migrate a server.', 'migrate'),
    ]
    return ([base.operation(n, base.ADMIN_OR_OWNER, d,
                            [('POST', action % a)]) for n, d, a in owner] +
            [base.operation(n, base.ADMIN_API, d, [('POST', action % a)])
             for n, d, a in admin])
