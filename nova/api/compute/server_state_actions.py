"""POST /servers/{server_id}/action: the handlers of the actions on a
server's state and guest that need more than server_actions' plain
handler (server_actions.ACTIONS lists them all):

    {"os-resetState": {"state": "active"|"error"}}  admin, 202
    {"restore": null}                               202 (soft-deleted)
    {"changePassword": {"adminPass": "..."}}        202; 409 state or
                                                    guest not running,
                                                    501 driver cannot
    {"injectNetworkInfo": null} {"resetNetwork": null}   admin, 202
    {"trigger_crash_dump": null}                    2.17+, 202
    {"shelve": null} {"unshelve": null}             202
    {"shelveOffload": null}                         admin, 202
    {"rescue": null|{"adminPass", "rescue_image_ref"}}  200 {"adminPass"}
    {"unrescue": null}                              202

400 bad body (or an unknown rescue image, a volume-backed rescue), 403
policy, 404 no such server (or action, trigger_crash_dump before 2.17),
409 the server's state does not allow the action or it is locked.
"""

from typing import Any, Callable

import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.api import fault
from nova.compute import admin_actions
from nova.compute import rescue as rescue_api
from nova.compute import states
from nova.conf import CONF
from nova import exception
from nova.policies import server_state_actions as rules

_RESET_STATES = {'active': states.ACTIVE, 'error': states.ERROR}


def admin(rule: str, operation: Callable[[Any, str], None]):
    """An admin action with no arguments: refused before the lookup (a
    403, never a 404, as upstream), then 202."""
    def handle(req: webob.Request, server_id: str,
               body: dict) -> webob.Response:
        ctx = common.context(req)
        servers.get_admin_authorized(ctx, rule, server_id)
        operation(ctx, server_id)
        return common.empty(202)
    return handle


def reset_state(req: webob.Request, server_id: str,
                body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_admin_authorized(ctx, rules.RESET_STATE, server_id)
    admin_actions.reset_state(
        ctx, server_id, _RESET_STATES[body['os-resetState']['state']])
    return common.empty(202)


def change_password(req: webob.Request, server_id: str,
                    body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.CHANGE_PASSWORD, server_id)
    try:
        admin_actions.set_admin_password(
            ctx, server_id, body['changePassword']['adminPass'])
    except NotImplementedError:
        raise fault.HTTPError(501, 'Unable to set password on instance')
    return common.empty(202)


def trigger_crash_dump(req: webob.Request, server_id: str,
                       body: dict) -> webob.Response:
    if not common.version(req).matches((2, 17)):
        raise fault.not_found('There is no such action: '
                              'trigger_crash_dump')
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.TRIGGER_CRASH_DUMP, server_id)
    admin_actions.trigger_crash_dump(ctx, server_id)
    return common.empty(202)


def rescue(req: webob.Request, server_id: str,
           body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.RESCUE, server_id)
    args = body['rescue'] or {}
    password = args.get('adminPass') or servers.generate_password()
    try:
        rescue_api.rescue(ctx, server_id, password,
                          args.get('rescue_image_ref'))
    except exception.ImageNotFound as exc:
        raise fault.bad_reference(exc)
    if not CONF.api.enable_instance_password:
        return common.json_response({})
    return common.json_response({'adminPass': password})
