"""POST /servers/{server_id}/action: the body names one action.

    {"reboot": {"type": "SOFT"}}   {"os-stop": null}   {"resize": {...}}

202 once the action is under way (confirmResize 204, os-getConsoleOutput
200 with the output, rebuild 202 with the server, rescue 200 with the
password; the actions on a server's state and guest are described in
server_state_actions). 400 bad body or no such action, 403 policy, 404
no such server, 409 the server's state does not
allow the action, it is locked, or another action got there first.
"""

from typing import Any, Callable

import webob

from nova.api.compute import common
from nova.api.compute import server_moves
from nova.api.compute import server_state_actions as state_actions
from nova.api.compute import remote_consoles
from nova.api.compute import server_views
from nova.api.compute import servers
from nova.api import fault
from nova.api import middleware
from nova.api.schemas import server_moves as move_schema
from nova.api.schemas import server_state_actions as state_schema
from nova.api.schemas import servers as schema
from nova.api import validation
from nova.compute import admin_actions
from nova.compute import api as compute_api
from nova.conf import CONF
from nova.compute import rescue
from nova.compute import shelve
from nova import exception
from nova import policy
from nova.policies import server_actions as action_rules
from nova.policies import server_state_actions as state_rules
from nova.policies import servers as server_rules


def _plain(rule: str, operation: Callable[[Any, str], Any]):
    """An action with no arguments: authorize, act, 202."""
    def handle(req: webob.Request, server_id: str,
               body: dict) -> webob.Response:
        ctx = common.context(req)
        servers.get_authorized(ctx, rule, server_id)
        operation(ctx, server_id)
        return common.empty(202)
    return handle


def _reboot(req: webob.Request, server_id: str,
            body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, server_rules.REBOOT, server_id)
    compute_api.reboot(ctx, server_id, body['reboot']['type'].upper())
    return common.empty(202)


def _unlock(req: webob.Request, server_id: str,
            body: dict) -> webob.Response:
    ctx = common.context(req)
    server = servers.get_authorized(ctx, action_rules.UNLOCK, server_id)
    instance = server.instance
    mine = 'owner' if ctx.project_id == instance.project_id else 'admin'
    if instance.locked and instance.locked_by not in (None, mine):
        policy.authorize(ctx, action_rules.UNLOCK_OVERRIDE,
                         {'project_id': instance.project_id,
                          'user_id': instance.user_id})
    compute_api.unlock(ctx, server_id)
    return common.empty(202)


def _rebuild(req: webob.Request, server_id: str,
             body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, server_rules.REBUILD, server_id)
    args = body['rebuild']
    # The schema of the request's version lets through only what that
    # version knows (key_name 2.54, user_data 2.57, trusted certs 2.63).
    fields = {'name': 'display_name', 'description': 'display_description',
              'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6',
              'metadata': 'metadata', 'key_name': 'key_name',
              'user_data': 'user_data',
              'trusted_image_certificates': 'trusted_certs'}
    values = {fields[k]: v for k, v in args.items() if k in fields}
    for key in ('access_ip_v4', 'access_ip_v6'):
        if key in values:
            values[key] = servers.access_ip(values[key])
    if 'OS-DCF:diskConfig' in args:
        values['auto_disk_config'] = servers.auto_disk_config(args)
    files = [(f.get('path', ''), f.get('contents', ''))
             for f in args.get('personality') or []]
    # The password answered is the one the compute sets in the guest.
    password = args.get('adminPass') or servers.generate_password()
    try:
        instance = compute_api.rebuild(ctx, server_id, args['imageRef'],
                                       values, password,
                                       injected_files=files)
    except tuple(fault.REFERENCE_ERRORS) as exc:
        raise fault.bad_reference(exc)
    out = server_views.changed(req, instance)
    version = common.version(req)
    if version.matches((2, 54)):
        out['key_name'] = instance.key_name
    if version.matches((2, 57)):
        out['OS-EXT-SRV-ATTR:user_data'] = instance.user_data
    if CONF.api.enable_instance_password:
        out['adminPass'] = password
    resp = common.json_response({'server': out}, 202)
    resp.headers['Location'] = out['links'][0]['href']
    return resp


def _resize(req: webob.Request, server_id: str,
            body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, server_rules.RESIZE, server_id)
    try:
        compute_api.resize(ctx, server_id,
                           str(body['resize']['flavorRef']))
    except tuple(fault.REFERENCE_ERRORS) as exc:
        raise fault.bad_reference(exc)
    return common.empty(202)


def _migrate(req: webob.Request, server_id: str,
             body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_admin_authorized(ctx, action_rules.MIGRATE, server_id)
    host = ((body['migrate'] or {}).get('host')
            if common.version(req).matches((2, 56)) else None)
    try:
        compute_api.resize(ctx, server_id, None, host)
    except exception.ComputeHostNotFound as exc:
        raise fault.bad_request(str(exc))
    return common.empty(202)


def _resize_step(rule: str, operation: Callable[[Any, str], None],
                 status: int):
    def handle(req: webob.Request, server_id: str,
               body: dict) -> webob.Response:
        ctx = common.context(req)
        servers.get_authorized(ctx, rule, server_id)
        try:
            operation(ctx, server_id)
        except exception.MigrationNotFoundByStatus:
            raise fault.bad_request('Instance has not been resized.')
        return common.empty(status)
    return handle


def _console_output(req: webob.Request, server_id: str,
                    body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, action_rules.CONSOLE_OUTPUT, server_id)
    length = (body['os-getConsoleOutput'] or {}).get('length')
    length = int(length) if length is not None else None
    if length == -1:
        length = None
    try:
        output = compute_api.console_output(ctx, server_id, length)
    except exception.InstanceNotReady as exc:
        raise fault.HTTPError(409, str(exc))
    return common.json_response({'output': output})


def _force_delete(req: webob.Request, server_id: str,
                  body: dict) -> webob.Response:
    ctx = common.context(req)
    servers.get_authorized(ctx, action_rules.FORCE_DELETE, server_id)
    compute_api.delete(ctx, server_id, force=True)
    return common.empty(202)


# Action name -> (schema of the whole body, handler).
ACTIONS: dict[str, tuple[Any, Callable]] = {
    'reboot': (schema.reboot, _reboot),
    'os-stop': (None, _plain(server_rules.STOP, compute_api.stop)),
    'os-start': (None, _plain(server_rules.START, compute_api.start)),
    'pause': (None, _plain(action_rules.PAUSE, compute_api.pause)),
    'unpause': (None, _plain(action_rules.UNPAUSE, compute_api.unpause)),
    'suspend': (None, _plain(action_rules.SUSPEND, compute_api.suspend)),
    'resume': (None, _plain(action_rules.RESUME, compute_api.resume)),
    'lock': (None, _plain(action_rules.LOCK, compute_api.lock)),
    'unlock': (None, _unlock),
    'rebuild': (schema.rebuild_schema, _rebuild),
    'resize': (schema.resize, _resize),
    'confirmResize': (None, _resize_step(
        server_rules.CONFIRM_RESIZE, compute_api.confirm_resize, 204)),
    'revertResize': (None, _resize_step(
        server_rules.REVERT_RESIZE, compute_api.revert_resize, 202)),
    'migrate': (move_schema.migrate, _migrate),
    'os-getConsoleOutput': (schema.console_output, _console_output),
    'forceDelete': (None, _force_delete),
    'evacuate': (move_schema.evacuate, server_moves.evacuate),
    'os-migrateLive': (move_schema.migrate_live, server_moves.migrate_live),
    'restore': (None, _plain(action_rules.FORCE_DELETE, compute_api.restore)),
    'os-resetState': (state_schema.reset_state, state_actions.reset_state),
    'changePassword': (state_schema.change_password,
                       state_actions.change_password),
    'injectNetworkInfo': (None, state_actions.admin(
        state_rules.INJECT_NETWORK_INFO, admin_actions.inject_network_info)),
    'resetNetwork': (None, state_actions.admin(
        state_rules.RESET_NETWORK, admin_actions.reset_network)),
    'trigger_crash_dump': (state_schema.trigger_crash_dump,
                           state_actions.trigger_crash_dump),
    'shelve': (None, _plain(state_rules.SHELVE, shelve.shelve)),
    'shelveOffload': (None, state_actions.admin(
        state_rules.SHELVE_OFFLOAD, shelve.shelve_offload)),
    'unshelve': (None, _plain(state_rules.UNSHELVE, shelve.unshelve)),
    'rescue': (state_schema.rescue, state_actions.rescue),
    'unrescue': (None, _plain(state_rules.RESCUE, rescue.unrescue)),
}
ACTIONS.update(remote_consoles.ACTIONS)


def action(req: webob.Request, server_id: str) -> webob.Response:
    """Dispatch on the body's single key (400 if it has several or none,
    or no such action)."""
    body = validation.body(req, {'type': 'object'})
    if len(body) != 1:
        # Upstream's words, whatever the count.
        raise fault.bad_request('Malformed request body: too many body keys')
    (name,) = body
    if name not in ACTIONS:
        raise fault.bad_request('There is no such action: %s' % name)
    body_schema, handler = ACTIONS[name]
    if callable(body_schema):
        body_schema = body_schema(common.version(req))
    validation.validate(body, body_schema or schema.no_arguments(name),
                        bool(req.environ.get(middleware.LEGACY_V2_KEY)))
    return handler(req, server_id, body)
