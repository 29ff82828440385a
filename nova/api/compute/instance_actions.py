"""/servers/{server_id}/os-instance-actions: what was done to a server.

Events of an action are shown to those passing the events rule (admins)
and, from 2.51, to everyone, tracebacks still only to the former. From
2.21 the actions of a deleted server can be read.
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.compute import api as compute_api
from nova import exception
from nova import policy
from nova.policies import instance_actions as rules

_ACTION_FIELDS = ('action', 'instance_uuid', 'request_id', 'user_id',
                  'project_id', 'message')


def _read_deleted(req: webob.Request) -> bool:
    return common.version(req).matches((2, 21))


def _authorize(req: webob.Request, server_id: str) -> None:
    ctx = common.context(req)
    server = compute_api.get(ctx, server_id, _read_deleted(req))
    policy.authorize(ctx, rules.BASE,
                     {'project_id': server.instance.project_id,
                      'user_id': server.instance.user_id})


def _action(action: Any) -> dict:
    out = {name: getattr(action, name, None) for name in _ACTION_FIELDS}
    out['start_time'] = common.usage_time(getattr(action, 'start_time',
                                                  None))
    return out


def _may_see_events(ctx: Any) -> bool:
    try:
        policy.authorize(ctx, rules.EVENTS)
        return True
    except exception.PolicyNotAuthorized:
        return False


def index(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"instanceActions": [...]} newest first; 404 no such server."""
    _authorize(req, server_id)
    actions = compute_api.list_actions(common.context(req), server_id,
                                       _read_deleted(req))
    return common.json_response(
        {'instanceActions': [_action(a) for a in actions]})


def show(req: webob.Request, server_id: str,
         request_id: str) -> webob.Response:
    """200 {"instanceAction": {..., "events": [...]}}; 404 no such
    server or action."""
    ctx = common.context(req)
    _authorize(req, server_id)
    action = compute_api.get_action(ctx, server_id, request_id,
                                    _read_deleted(req))
    out = _action(action)
    admin = _may_see_events(ctx)
    if admin or common.version(req).matches((2, 51)):
        out['events'] = []
        for event in getattr(action, 'events', None) or []:
            shown = {'event': event.get('event'),
                     'start_time': common.usage_time(
                         event.get('start_time')),
                     'finish_time': common.usage_time(
                         event.get('finish_time')),
                     'result': event.get('result')}
            if admin:
                shown['traceback'] = event.get('traceback')
            out['events'].append(shown)
    return common.json_response({'instanceAction': out})
