"""Policy rule for /os-console-auth-tokens."""

from nova.policies import base

BASE = 'os_compute_api:os-console-auth-tokens'


def rules() -> list:
    return [base.operation(
        BASE, base.ADMIN_API, 'Show the connection details behind a '
        'console token.',
        [('GET', '/os-console-auth-tokens/{console_token}')])]
