"""Policy rules for /servers/{server_id}/ips."""

from nova.policies import base

INDEX = 'os_compute_api:ips:index'
SHOW = 'os_compute_api:ips:show'


def rules() -> list:
    ips = '/servers/{server_id}/ips'
    return [
        base.operation(INDEX, base.ADMIN_OR_OWNER,
                       "List a server's addresses by network.",
                       [('GET', ips)]),
        base.operation(SHOW, base.ADMIN_OR_OWNER,
                       "Show a server's addresses on one network.",
                       [('GET', ips + '/{network_label}')]),
    ]
