"""/os-aggregates: host aggregates and their metadata (admins only).

What an aggregate's zone means and how membership is mirrored into
placement: nova.compute.aggregates.
"""

from collections.abc import Callable
from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import aggregates as schema
from nova.api import validation
from nova.compute import aggregates as compute
from nova.objects.aggregate import Aggregate
from nova import policy
from nova.policies import aggregates as rules

SHOW_UUID = (2, 41)


def _authorize(req: webob.Request, rule: str) -> Any:
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    return ctx


def _view(req: webob.Request, aggregate: Aggregate,
          full: bool = True) -> dict:
    out: dict[str, Any] = {
        'id': aggregate.id,
        'name': aggregate.name,
        'availability_zone': aggregate.availability_zone,
        'created_at': common.usage_time(aggregate.created_at),
        'updated_at': common.usage_time(aggregate.updated_at),
        'deleted_at': None,
        'deleted': False,
    }
    if full:
        out['hosts'] = list(aggregate.hosts)
        out['metadata'] = dict(aggregate.metadata)
    if common.version(req).matches(SHOW_UUID):
        out['uuid'] = aggregate.uuid
    return out


def _int_id(aggregate_id: str) -> int:
    try:
        return int(aggregate_id)
    except ValueError:
        raise fault.bad_request(
            'Invalid input received: id must be an integer')


# -- collection


def index(req: webob.Request) -> webob.Response:
    """200 {"aggregates": [...]}, each with hosts and metadata."""
    ctx = _authorize(req, rules.INDEX)
    return common.json_response(
        {'aggregates': [_view(req, a) for a in compute.list_aggregates(ctx)]})


def create(req: webob.Request) -> webob.Response:
    """200 {"aggregate": {...}} (without hosts and metadata); 400 bad
    body, 403 not admin, 409 an aggregate of that name exists."""
    body = validation.body(req, schema.create)['aggregate']
    ctx = _authorize(req, rules.CREATE)
    zone = body.get('availability_zone')
    aggregate = compute.create(ctx, body['name'].strip(),
                               zone.strip() if zone else None)
    return common.json_response({'aggregate': _view(req, aggregate,
                                                    full=False)})


# -- one aggregate


def show(req: webob.Request, aggregate_id: str) -> webob.Response:
    """200 {"aggregate": {...}}; 404 no such aggregate."""
    ctx = _authorize(req, rules.SHOW)
    return common.json_response(
        {'aggregate': _view(req, compute.get(ctx, aggregate_id))})


def update(req: webob.Request, aggregate_id: str) -> webob.Response:
    """200 {"aggregate": {...}}: a new name and/or zone. 400 bad body,
    id not an integer, zone emptied or conflicting with another zone of
    a host; 404 no such aggregate; 409 the name is taken."""
    body = dict(validation.body(req, schema.update)['aggregate'])
    ctx = _authorize(req, rules.UPDATE)
    id = _int_id(aggregate_id)
    name = body.pop('name').strip() if 'name' in body else None
    aggregate = compute.update(ctx, id, name, body)
    return common.json_response({'aggregate': _view(req, aggregate)})


def delete(req: webob.Request, aggregate_id: str) -> webob.Response:
    """200 (empty); 400 the aggregate still has hosts; 404 no such
    aggregate."""
    ctx = _authorize(req, rules.DELETE)
    compute.delete(ctx, aggregate_id)
    return common.empty(200)


# -- actions


def action(req: webob.Request, aggregate_id: str) -> webob.Response:
    """POST /os-aggregates/{id}/action with one of add_host, remove_host,
    set_metadata: 200 {"aggregate": {...}}. 400 bad body or id not an
    integer."""
    body = validation.body(req, {'type': 'object'})
    names = [name for name in schema.ACTIONS if name in body]
    if not names:
        raise fault.bad_request('There is no such action: %s'
                                % (', '.join(sorted(body)) or 'none'))
    name = names[0]
    validation.validate(body, schema.ACTIONS[name])
    rule, change, key = _ACTIONS[name]
    ctx = _authorize(req, rule)
    aggregate = change(ctx, _int_id(aggregate_id), body[name][key])
    return common.json_response({'aggregate': _view(req, aggregate)})


# action: (rule, change, the body's argument). add_host: 404 no such
# aggregate or compute host, 409 the host is in it already or in
# another zone. remove_host: 404 no such aggregate or compute host, or
# the host is not in it. set_metadata (keys set to null are removed):
# 400 the zone emptied or conflicting with another zone of a host, 404
# no such aggregate.
_ACTIONS: dict[str, tuple[str, Callable[..., Aggregate], str]] = {
    'add_host': (rules.ADD_HOST, compute.add_host, 'host'),
    'remove_host': (rules.REMOVE_HOST, compute.remove_host, 'host'),
    'set_metadata': (rules.SET_METADATA, compute.set_metadata, 'metadata'),
}
