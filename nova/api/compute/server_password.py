"""/servers/{server_id}/os-server-password: the encrypted admin password
the server's guest posted.

GET     200 {"password": "..."} ('' if none)
DELETE  204, the password forgotten
404 no such server, 403 policy.
"""

import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.compute import server_password
from nova.policies import server_state_actions as rules


def index(req: webob.Request, server_id: str) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.SERVER_PASSWORD, server_id)
    return common.json_response(
        {'password': server_password.get(ctx, server_id)})


def clear(req: webob.Request, server_id: str) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.SERVER_PASSWORD, server_id)
    server_password.clear(ctx, server_id)
    return common.empty(204)
