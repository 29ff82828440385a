"""/os-console-auth-tokens/{console_token}: what a console proxy learns
from a token (admins only). Before 2.31 only rdp-html5 tokens are
shown (401 for the others)."""

import webob

from nova.api.compute import common
from nova.api import fault
from nova.compute import consoles
from nova import policy
from nova.policies import console_auth_tokens as rules

ALL_TYPES = (2, 31)


def show(req: webob.Request, console_token: str) -> webob.Response:
    """200 {"console": {"instance_uuid", "host", "port",
    "internal_access_path"}}; 403 not admin; 404 unknown or expired
    token; 401 a token other than rdp-html5's before 2.31."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    found = consoles.validate_token(ctx, console_token)
    if (not common.version(req).matches(ALL_TYPES)
            and found.console_type != 'rdp-html5'):
        raise fault.HTTPError(401, 'The requested console type details '
                                   'are not accessible')
    return common.json_response({'console': {
        'instance_uuid': found.instance_uuid, 'host': found.host,
        'port': found.port,
        'internal_access_path': found.internal_access_path}})
