"""Policy rules for /limits: anyone may see their own project's; another
project's (?tenant_id=) takes os-used-limits as well."""

from nova.policies import base

LIMITS = 'os_compute_api:limits'
USED_LIMITS = 'os_compute_api:os-used-limits'


def rules() -> list:
    return [
        base.operation(LIMITS, '@',
                       'Show rate and absolute limits for the project',
                       [('GET', '/limits')]),
        base.operation(USED_LIMITS, base.ADMIN_API,
                       "Show rate and absolute limits of another project "
                       "(the tenant_id query parameter), checked after "
                       "os_compute_api:limits", [('GET', '/limits')]),
    ]
