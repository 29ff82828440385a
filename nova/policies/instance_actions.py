"""Policy rules for /servers/{server_id}/os-instance-actions."""

from nova.policies import base

BASE = 'os_compute_api:os-instance-actions'
# Before 2.51 only those passing this see an action's events.
EVENTS = 'os_compute_api:os-instance-actions:events'


def rules() -> list:
    actions = '/servers/{server_id}/os-instance-actions'
    return [
        base.operation(BASE, base.ADMIN_OR_OWNER,
                       "List a server's actions, or show one.",
                       [('GET', actions),
                        ('GET', actions + '/{request_id}')]),
        base.operation(EVENTS, base.ADMIN_API,
                       "See the events of an action (and, from 2.51, "
                       "their tracebacks).",
                       [('GET', actions + '/{request_id}')]),
    ]
