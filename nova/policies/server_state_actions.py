"""Policy rules of the server actions on its state and guest (upstream's
os-admin-actions, os-admin-password, os-shelve, os-rescue,
trigger_crash_dump) and of os-server-password; upstream names, Pike
defaults."""

from nova.policies import base

RESET_STATE = 'os_compute_api:os-admin-actions:reset_state'
INJECT_NETWORK_INFO = 'os_compute_api:os-admin-actions:inject_network_info'
RESET_NETWORK = 'os_compute_api:os-admin-actions:reset_network'
CHANGE_PASSWORD = 'os_compute_api:os-admin-password'
TRIGGER_CRASH_DUMP = 'os_compute_api:servers:trigger_crash_dump'
SHELVE = 'os_compute_api:os-shelve:shelve'
SHELVE_OFFLOAD = 'os_compute_api:os-shelve:shelve_offload'
UNSHELVE = 'os_compute_api:os-shelve:unshelve'
RESCUE = 'os_compute_api:os-rescue'
SERVER_PASSWORD = 'os_compute_api:os-server-password'


def rules() -> list:
    action = '/servers/{server_id}/action (%s)'
    password = '/servers/{server_id}/os-server-password'
    admin = [
        (RESET_STATE, 'Reset the state of a server.',
         [action % 'os-resetState']),
        (INJECT_NETWORK_INFO, 'Inject network information into a server.',
         [action % 'injectNetworkInfo']),
        (RESET_NETWORK, 'Reset the networking of a server.',
         [action % 'resetNetwork']),
        (SHELVE_OFFLOAD, 'Offload a shelved server.',
         [action % 'shelveOffload']),
    ]
    owner = [
        (CHANGE_PASSWORD, 'Change the administrator password of a server.',
         [action % 'changePassword']),
        (TRIGGER_CRASH_DUMP, 'Trigger a crash dump in a server.',
         [action % 'trigger_crash_dump']),
        (SHELVE, 'Shelve a server.', [action % 'shelve']),
        (UNSHELVE, 'Unshelve a server.', [action % 'unshelve']),
        (RESCUE, 'Rescue or unrescue a server.',
         [action % 'rescue', action % 'unrescue']),
    ]
    out = [base.operation(n, base.ADMIN_API, d, [('POST', p) for p in ps])
           for n, d, ps in admin]
    out += [base.operation(n, base.ADMIN_OR_OWNER, d,
                           [('POST', p) for p in ps]) for n, d, ps in owner]
    out.append(base.operation(
        SERVER_PASSWORD, base.ADMIN_OR_OWNER,
        'Show or clear the encrypted administrator password of a server.',
        [('GET', password), ('DELETE', password)]))
    return out
