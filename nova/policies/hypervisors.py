"""Policy rule for /os-hypervisors (one rule for every operation, as in
Pike)."""

from nova.policies import base

BASE = 'os_compute_api:os-hypervisors'


def rules() -> list:
    return [base.operation(
        BASE, base.ADMIN_API,
        'List, show and search hypervisors, their servers, uptime and '
        'statistics.',
        [('GET', '/os-hypervisors'), ('GET', '/os-hypervisors/detail'),
         ('GET', '/os-hypervisors/statistics'),
         ('GET', '/os-hypervisors/{hypervisor_id}'),
         ('GET', '/os-hypervisors/{hypervisor_id}/uptime'),
         ('GET', '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
         ('GET', '/os-hypervisors/{hypervisor_hostname_pattern}/servers')])]
