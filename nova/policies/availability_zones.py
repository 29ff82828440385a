"""Policy rules for /os-availability-zone."""

from nova.policies import base

LIST = 'os_compute_api:os-availability-zone:list'
DETAIL = 'os_compute_api:os-availability-zone:detail'


def rules() -> list:
    return [
        base.operation(LIST, base.ADMIN_OR_OWNER,
                       'List availability zones and whether they are '
                       'available.', [('GET', '/os-availability-zone')]),
        base.operation(DETAIL, base.ADMIN_API,
                       'List availability zones with their hosts and '
                       'services.', [('GET', '/os-availability-zone/detail')]),
    ]
