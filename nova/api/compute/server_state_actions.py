"""POST /servers/{server_id}/action for the actions on a server's state
and guest (registered in server_actions.ACTIONS):

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
from nova.api.schemas import server_state_actions as schema
from nova.compute import admin_actions
from nova.compute import api as compute_api
from nova.compute import rescue
from nova.compute import shelve
from nova.compute import states
from nova import exception
from nova import policy
from nova.policies import server_actions as action_rules
from nova.policies import server_state_actions as rules

_RESET_STATES = {'active': states.ACTIVE, 'error': states.ERROR}


def _admin(rule: str, operation: Callable[[Any, str], None]):
    """An admin action with no arguments: refused before the lookup (a
    403, never a 404, as upstream), then 202."""
    def handle(req: webob.Request, server_id: str,
               body: dict) -> webob.Response:
        ctx = common.context(req)
        policy.authorize(ctx, rule)
        servers.get_authorized(ctx, rule, server_id)
        operation(ctx, server_id)
        return common.empty(202)
    return handle


def _owner(rule: str, operation: Callable[[Any, str], None]):
    def handle(req: webob.Request, server_id: str,
               body: dict) -> webob.Response:
        ctx = common.context(req)
        servers.get_authorized(ctx, rule, server_id)
        operation(ctx, server_id)
        return common.empty(202)
    return handle


def _reset_state(req: webob.Request, server_id: str,
                 body: dict) -> webob.Response:
    ctx = common.context(req)
    policy.authorize(ctx, rules.RESET_STATE)
    servers.get_authorized(ctx, rules.RESET_STATE, server_id)
    admin_actions.reset_state(
        ctx, server_id, _RESET_STATES[body['os-resetState']['state']])
    return common.empty(202)


def _change_password(req: webob.Request, server_id: str,
                     body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.CHANGE_PASSWORD, server_id)
    try:
        admin_actions.set_admin_password(
            ctx, server_id, body['changePassword']['adminPass'])
    except NotImplementedError:
        raise fault.HTTPError(501, 'Unable to set password on instance')
    return common.empty(202)


def _trigger_crash_dump(req: webob.Request, server_id: str,
                        body: dict) -> webob.Response:
    if not common.version(req).matches((2, 17)):
        raise fault.not_found('There is no such action: '
                              'trigger_crash_dump')
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.TRIGGER_CRASH_DUMP, server_id)
    admin_actions.trigger_crash_dump(ctx, server_id)
    return common.empty(202)


def _rescue(req: webob.Request, server_id: str,
            body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.RESCUE, server_id)
    args = body['rescue'] or {}
    password = args.get('adminPass') or servers.generate_password()
    try:
        rescue.rescue(ctx, server_id, password,
                      args.get('rescue_image_ref'))
    except exception.ImageNotFound as exc:
        raise fault.bad_reference(exc)
    return common.json_response({'adminPass': password})


# Action name -> (schema of the whole body, None: {name: null}; handler).
ACTIONS: dict[str, tuple[Any, Callable]] = {
    'os-resetState': (schema.reset_state, _reset_state),
    'restore': (None, _owner(action_rules.FORCE_DELETE,
                             compute_api.restore)),
    'changePassword': (schema.change_password, _change_password),
    'injectNetworkInfo': (None, _admin(rules.INJECT_NETWORK_INFO,
                                       admin_actions.inject_network_info)),
    'resetNetwork': (None, _admin(rules.RESET_NETWORK,
                                  admin_actions.reset_network)),
    'trigger_crash_dump': (schema.trigger_crash_dump, _trigger_crash_dump),
    'shelve': (None, _owner(rules.SHELVE, shelve.shelve)),
    'shelveOffload': (None, _admin(rules.SHELVE_OFFLOAD,
                                   shelve.shelve_offload)),
    'unshelve': (None, _owner(rules.UNSHELVE, shelve.unshelve)),
    'rescue': (schema.rescue, _rescue),
    'unrescue': (None, _owner(rules.RESCUE, rescue.unrescue)),
}
