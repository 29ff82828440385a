"""Policy rule for /os-server-external-events (Pike's name and default)."""

from nova.policies import base

CREATE = 'os_compute_api:os-server-external-events:create'


def rules() -> list:
    return [base.operation(CREATE, base.ADMIN_API,
                           'Create one or more external events',
                           [('POST', '/os-server-external-events')])]
