"""A server create naming a security group that does not exist was
accepted.

Symptom: POST /servers with "security_groups": [{"name": "web"}]
answered 202 (and the response listed "web"), though there is no
network service to have such a group; upstream answers 400 "Security
group web not found for project ..." for a group it cannot find, and
always knows "default".

Cause: the requested groups were echoed and otherwise ignored.

Fix: 4daac6e ("API differences from upstream: ..."):
compute.create.check_security_groups() refuses any group other than
"default".
"""

from tests.functional.nova.api import test_servers
from tests.functional.nova.api.test_servers import compute  # noqa: F401


def test_unknown_security_group_is_400(compute):  # noqa: F811
    resp = test_servers._boot(compute, status=400, security_groups=[
        {'name': 'default'}, {'name': 'web'}])
    assert resp.json == {'badRequest': {
        'code': 400,
        'message': 'Security group web not found for project p1.'}}
    resp = test_servers._boot(compute, security_groups=[
        {'name': 'default'}, {'name': 'default'}])
    assert resp.json['server']['security_groups'] == [{'name': 'default'}]
