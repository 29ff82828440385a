"""/os-server-groups: groups of servers the scheduler places on one host
(affinity) or on different hosts (anti-affinity); 2.15 adds the soft
policies, which the scheduler only prefers; 2.64 names one "policy"
(instead of a list of "policies") with its "rules": max_server_per_host
lets anti-affinity put up to that many members on one host.

A server joins a group when it is created with the scheduler hint
"group" (nova.compute.server_groups).
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.api.schemas import server_groups as schema
from nova.api import validation
from nova.compute import server_groups as compute
from nova.conf import CONF
from nova.objects.instance_group import InstanceGroup
from nova import policy
from nova.policies import server_groups as rules


def _view(req: webob.Request, group: InstanceGroup) -> dict:
    out: dict[str, Any] = {'id': group.uuid, 'name': group.name}
    if common.version(req).matches((2, 64)):
        out['policy'] = group.policy
        out['rules'] = dict(group.rules)
    else:
        out['policies'] = list(group.policies)
        # Exposed until 2.64, never used: always empty.
        out['metadata'] = {}
    out['members'] = list(group.members)
    if common.version(req).matches((2, 13)):
        out['project_id'] = group.project_id
        out['user_id'] = group.user_id
    return out


def _target(group: InstanceGroup) -> dict:
    return {'project_id': group.project_id, 'user_id': group.user_id}


def index(req: webob.Request) -> webob.Response:
    """200 {"server_groups": [...]}: the project's groups, or with
    all_projects every project's for an admin (others: ignored); limit
    and offset page them. 400 bad limit or offset."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.INDEX)
    limit = common.limit_param(req, CONF.api.max_limit) or (
        CONF.api.max_limit)
    offset = common.count_param(req, 'offset') or 0
    every = 'all_projects' in req.GET and ctx.is_admin
    groups = compute.list_groups(ctx, every, limit, offset)
    return common.json_response(
        {'server_groups': [_view(req, g) for g in groups]})


def show(req: webob.Request, server_group_id: str) -> webob.Response:
    """200 {"server_group": {...}}; 404 no such group."""
    ctx = common.context(req)
    group = compute.get(ctx, server_group_id)
    policy.authorize(ctx, rules.SHOW, _target(group))
    return common.json_response({'server_group': _view(req, group)})


def create(req: webob.Request) -> webob.Response:
    """200 {"server_group": {...}}; 400 bad body (one policy of
    affinity, anti-affinity, and from 2.15 soft-affinity,
    soft-anti-affinity; from 2.64 rules only for anti-affinity); 403
    over the server_groups quota."""
    ctx = common.context(req)
    body = validation.body(req, schema.create_schema(common.version(req)))
    policy.authorize(ctx, rules.CREATE)
    vals = body['server_group']
    if 'policy' in vals:
        group_rules = {k: int(v) for k, v in
                       (vals.get('rules') or {}).items()}
        group = compute.create(ctx, vals['name'], [vals['policy']],
                               group_rules)
    else:
        group = compute.create(ctx, vals['name'], vals['policies'])
    return common.json_response({'server_group': _view(req, group)})


def delete(req: webob.Request, server_group_id: str) -> webob.Response:
    """204; 404 no such group. Its servers stay where they are."""
    ctx = common.context(req)
    group = compute.get(ctx, server_group_id)
    policy.authorize(ctx, rules.DELETE, _target(group))
    compute.delete(ctx, server_group_id)
    return common.empty(204)
