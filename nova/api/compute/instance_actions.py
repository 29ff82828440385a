"""/servers/{server_id}/os-instance-actions: what was done to a server.

Events of an action are shown to those passing the events rule (admins)
and, from 2.51, to everyone, tracebacks still only to the former. From
2.21 the actions of a deleted server can be read. From 2.58 the list
pages (limit, marker: a request id, 400 if the server has no such
action) and filters by changes-since, and actions show updated_at; from
2.62 events show hostId, and their host to those passing the events
rule; 2.66 adds the changes-before filter.
"""

import datetime
from typing import Any

from oslo_utils import timeutils
import webob

from nova.api.compute import common
from nova.api.compute import server_views
from nova.api import fault
from nova.api.schemas import instance_actions as schema
from nova.api import validation
from nova.compute import api as compute_api
from nova.conf import CONF
from nova import exception
from nova import policy
from nova.policies import instance_actions as rules

_ACTION_FIELDS = ('action', 'instance_uuid', 'request_id', 'user_id',
                  'project_id', 'message')
PAGING = (2, 58)
EVENT_HOSTS = (2, 62)
CHANGES_BEFORE = (2, 66)


def _read_deleted(req: webob.Request) -> bool:
    return common.version(req).matches((2, 21))


def _authorize(req: webob.Request, server_id: str) -> Any:
    """The server, once the caller may see its actions."""
    ctx = common.context(req)
    server = compute_api.get(ctx, server_id, _read_deleted(req))
    policy.authorize(ctx, rules.BASE,
                     {'project_id': server.instance.project_id,
                      'user_id': server.instance.user_id})
    return server


def _action(req: webob.Request, action: Any) -> dict:
    out = {name: getattr(action, name, None) for name in _ACTION_FIELDS}
    out['start_time'] = common.usage_time(getattr(action, 'start_time',
                                                  None))
    if common.version(req).matches(PAGING):
        out['updated_at'] = common.usage_time(action.updated_at)
    return out


def _may_see_events(ctx: Any) -> bool:
    try:
        policy.authorize(ctx, rules.EVENTS)
        return True
    except exception.PolicyNotAuthorized:
        return False


def _time(req: webob.Request, name: str) -> datetime.datetime | None:
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise fault.bad_request('Invalid input for query parameters %s. '
                                'Value: %s. It is not a date-time.'
                                % (name, value))


def _page(req: webob.Request) -> dict:
    """limit, marker and the changes-* filters of a 2.58+ request."""
    version = common.version(req)
    before = version.matches(CHANGES_BEFORE)
    validation.validate(dict(req.GET), schema.list_query_v266 if before
                        else schema.list_query_v258)
    page = {'limit': common.limit_param(req, CONF.api.max_limit),
            'marker': req.GET.get('marker'),
            'changes_since': _time(req, 'changes-since'),
            'changes_before': _time(req, 'changes-before') if before
            else None}
    since, until = page['changes_since'], page['changes_before']
    if since is not None and until is not None and until < since:
        raise fault.bad_request('The value of changes-since must be less '
                                'than or equal to changes-before.')
    return page


def index(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"instanceActions": [...]} newest first (2.58+: and "links"
    with the next page's when the page is full); 400 bad query or
    marker; 404 no such server."""
    paging = common.version(req).matches(PAGING)
    page = _page(req) if paging else {}
    _authorize(req, server_id)
    try:
        actions = compute_api.list_actions(common.context(req), server_id,
                                           _read_deleted(req), **page)
    except exception.MarkerNotFound as exc:
        raise fault.bad_request(str(exc))
    out: dict[str, Any] = {
        'instanceActions': [_action(req, a) for a in actions]}
    if paging and actions and len(actions) == page['limit']:
        out['links'] = common.next_link(
            req, 'servers/%s/os-instance-actions' % server_id,
            actions[-1].request_id)
    return common.json_response(out)


def _event(event: dict, project_id: str | None, admin: bool,
           host_id: bool) -> dict:
    shown = {'event': event.get('event'),
             'start_time': common.usage_time(event.get('start_time')),
             'finish_time': common.usage_time(event.get('finish_time')),
             'result': event.get('result')}
    if admin:
        shown['traceback'] = event.get('traceback')
    if host_id:
        if admin:
            shown['host'] = event.get('host')
        shown['hostId'] = server_views.host_id(project_id,
                                               event.get('host'))
    return shown


def show(req: webob.Request, server_id: str,
         request_id: str) -> webob.Response:
    """200 {"instanceAction": {..., "events": [...]}}; 404 no such
    server or action."""
    ctx = common.context(req)
    server = _authorize(req, server_id)
    action = compute_api.get_action(ctx, server_id, request_id,
                                    _read_deleted(req))
    out = _action(req, action)
    admin = _may_see_events(ctx)
    version = common.version(req)
    if admin or version.matches((2, 51)):
        # An action a periodic task started has no project: the
        # server's then.
        project_id = action.project_id or server.instance.project_id
        out['events'] = [
            _event(event, project_id, admin, version.matches(EVENT_HOSTS))
            for event in getattr(action, 'events', None) or []]
    return common.json_response({'instanceAction': out})
