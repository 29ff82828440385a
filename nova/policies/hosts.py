"""Policy rule for /os-hosts (one rule, as in Pike; the API is
deprecated and gone from 2.43)."""

from nova.policies import base

BASE = 'os_compute_api:os-hosts'


def rules() -> list:
    host = '/os-hosts/{host_name}'
    return [base.operation(
        BASE, base.ADMIN_API, 'List, show and manage physical hosts.',
        [('GET', '/os-hosts'), ('GET', host), ('PUT', host),
         ('GET', host + '/reboot'), ('GET', host + '/shutdown'),
         ('GET', host + '/startup')])]
