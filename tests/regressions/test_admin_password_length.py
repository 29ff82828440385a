"""Generated admin passwords ignored [DEFAULT] password_length.

Symptom: a server created or rebuilt without "adminPass" got a 12
character password of lower-case hex digits and "x" whatever the
configuration said; upstream generates [DEFAULT] password_length
(default 12) characters of digits and both cases, and the option did
not exist.

Cause: the password was cut from a random uuid.

Fix: 4daac6e ("API differences from upstream: ..."):
servers.generate_password() draws password_length characters (at least
one digit, upper- and lower-case letter) from an alphabet without
look-alikes, with the secrets module.
"""

from tests.functional.nova.api import test_servers
from tests.functional.nova.api.test_servers import compute  # noqa: F401


def test_generated_password_follows_password_length(compute,  # noqa: F811
                                                    api_conf):
    password = test_servers._boot(compute).json['server']['adminPass']
    assert len(password) == 12
    api_conf.set_override('password_length', 20)
    try:
        passwords = [test_servers._boot(compute).json['server']['adminPass']
                     for _ in range(3)]
    finally:
        api_conf.clear_override('password_length')
    for password in passwords:
        assert len(password) == 20
        assert any(c.isdigit() for c in password)
        assert any(c.isupper() for c in password)
        assert any(c.islower() for c in password)
    assert len(set(passwords)) == 3
    # A password the request names is kept as it is.
    assert test_servers._boot(compute, adminPass='mine').json['server'][
        'adminPass'] == 'mine'
