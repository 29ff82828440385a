"""/os-server-groups: groups of servers the scheduler places on one host
(affinity) or on different hosts (anti-affinity); 2.15 adds the soft
policies, which the scheduler only prefers.

A server joins a group when it is created with the scheduler hint
"group". Groups count against the project's server_groups quota and
members against server_group_members, counted in the API database.
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import server_groups as schema
from nova.api import validation
from nova.conf import CONF
from nova.db.api import instance_groups
from nova.db import engines
from nova import exception
from nova.objects.instance_group import InstanceGroup
from nova import policy
from nova.policies import server_groups as rules
from nova import quota

TOO_MANY_GROUPS = 'Quota exceeded, too many server groups.'


def _view(req: webob.Request, group: InstanceGroup,
          members: list[str]) -> dict:
    out: dict[str, Any] = {
        'id': group.uuid, 'name': group.name,
        'policies': list(group.policies), 'members': members,
        # Exposed since the first version, never used: always empty.
        'metadata': {}}
    if common.version(req).matches((2, 13)):
        out['project_id'] = group.project_id
        out['user_id'] = group.user_id
    return out


def _target(group: InstanceGroup) -> dict:
    return {'project_id': group.project_id, 'user_id': group.user_id}


def _offset_param(req: webob.Request) -> int:
    value = req.GET.get('offset', '0')
    try:
        offset = int(value)
    except ValueError:
        raise fault.bad_request('offset param must be an integer')
    if offset < 0:
        raise fault.bad_request('offset param must be positive')
    return offset


def index(req: webob.Request) -> webob.Response:
    """200 {"server_groups": [...]}: the project's groups, or with
    all_projects every project's for an admin (others: ignored); limit
    and offset page them. 400 bad limit or offset."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.INDEX)
    limit = common.limit_param(req, CONF.api.max_limit) or (
        CONF.api.max_limit)
    offset = _offset_param(req)
    every = 'all_projects' in req.GET and ctx.is_admin
    with engines.api_reader(ctx) as conn:
        groups = instance_groups.list_groups(
            conn, None if every else ctx.project_id)[offset:offset + limit]
        views = [_view(req, g, instance_groups.live_members(conn, g))
                 for g in groups]
    return common.json_response({'server_groups': views})


def show(req: webob.Request, server_group_id: str) -> webob.Response:
    """200 {"server_group": {...}}; 404 no such group."""
    ctx = common.context(req)
    with engines.api_reader(ctx) as conn:
        group = instance_groups.get_by_uuid(conn, server_group_id)
        policy.authorize(ctx, rules.SHOW, _target(group))
        members = instance_groups.live_members(conn, group)
    return common.json_response({'server_group': _view(req, group,
                                                       members)})


def create(req: webob.Request) -> webob.Response:
    """200 {"server_group": {...}}; 400 bad body (one policy of
    affinity, anti-affinity, and from 2.15 soft-affinity,
    soft-anti-affinity); 403 over the server_groups quota."""
    ctx = common.context(req)
    body = validation.body(req, schema.create_schema(common.version(req)))
    policy.authorize(ctx, rules.CREATE)
    vals = body['server_group']
    try:
        quota.check_server_groups(ctx, ctx.project_id, ctx.user_id, 1)
    except exception.OverQuota:
        raise fault.HTTPError(403, TOO_MANY_GROUPS)
    with engines.api_writer(ctx) as conn:
        group = instance_groups.create(conn, ctx.project_id, ctx.user_id,
                                       vals['name'], vals['policies'])
    # Nothing is reserved: a concurrent create may have passed the same
    # check; then the later one (us, if over now) goes away again.
    try:
        quota.check_server_groups(ctx, ctx.project_id, ctx.user_id, 0)
    except exception.OverQuota:
        with engines.api_writer(ctx) as conn:
            instance_groups.delete(conn, group.uuid)
        raise fault.HTTPError(403, TOO_MANY_GROUPS)
    return common.json_response({'server_group': _view(req, group, [])})


def delete(req: webob.Request, server_group_id: str) -> webob.Response:
    """204; 404 no such group. Its servers stay where they are."""
    ctx = common.context(req)
    with engines.api_writer(ctx) as conn:
        group = instance_groups.get_by_uuid(conn, server_group_id)
        policy.authorize(ctx, rules.DELETE, _target(group))
        instance_groups.delete(conn, server_group_id)
    return common.empty(204)
