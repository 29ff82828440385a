"""Policy rule for remote consoles (one rule, as in Pike)."""

from nova.policies import base

BASE = 'os_compute_api:os-remote-consoles'


def rules() -> list:
    action = '/servers/{server_id}/action (%s)'
    return [base.operation(
        BASE, base.ADMIN_OR_OWNER, 'Get a link to a remote console of a '
        'server.',
        [('POST', action % name) for name in (
            'os-getVNCConsole', 'os-getSPICEConsole', 'os-getRDPConsole',
            'os-getSerialConsole')] +
        [('POST', '/servers/{server_id}/remote-consoles')])]
