"""/os-aggregates: host aggregates and their metadata (admins only).

An `availability_zone` metadata key puts the aggregate's hosts in that
zone; a host may not be in two zones, and a zone, once set, cannot be
emptied. Host membership is mirrored into placement: each compute node
of a host added to an aggregate gets the aggregate's uuid among its
resource provider's aggregates (and loses it on removal). Placement
trouble is logged, not returned: the API's answer stands on the API
database alone.
"""

from typing import Any

from oslo_log import log as logging
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import aggregates as schema
from nova.api import validation
from nova import availability_zones
from nova.compute import hosts
from nova.db.api import aggregates as db
from nova.db import engines
from nova.db.main import compute_nodes
from nova import exception
from nova.objects.aggregate import AZ_KEY
from nova.objects.aggregate import Aggregate
from nova import placement_client
from nova import policy
from nova.policies import aggregates as rules

LOG = logging.getLogger(__name__)

SHOW_UUID = (2, 41)


def _authorize(req: webob.Request, rule: str) -> Any:
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    return ctx


def _view(req: webob.Request, aggregate: Aggregate,
          full: bool = True) -> dict:
    out = {
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


def _check_zone(conn: Any, metadata: dict, aggregate: Aggregate,
                error: type[exception.InvalidAggregateAction],
                hosts_: list[str] | None = None) -> None:
    """`error` if `metadata` empties the zone or puts a host of the
    aggregate (or `hosts_`) in a second zone."""
    if AZ_KEY not in metadata:
        return
    zone = metadata[AZ_KEY]
    if not zone:
        raise error(aggregate_id=aggregate.id,
                    reason='Aggregate %s does not support empty named '
                           'availability zone' % aggregate.name)
    others: dict[int, str] = {}
    for host in hosts_ or aggregate.hosts:
        for other in db.list_by_host(conn, host, key=AZ_KEY):
            if other.id != aggregate.id and other.availability_zone != zone:
                others[other.id] = other.availability_zone
    if others:
        raise error(aggregate_id=aggregate.id,
                    reason='One or more hosts already in availability '
                           'zone(s) %s' % [others[k] for k in sorted(others)])


# -- collection


def index(req: webob.Request) -> webob.Response:
    """200 {"aggregates": [...]}, each with hosts and metadata."""
    ctx = _authorize(req, rules.INDEX)
    with engines.api_reader(ctx) as conn:
        found = db.list_all(conn)
    return common.json_response(
        {'aggregates': [_view(req, a) for a in found]})


def create(req: webob.Request) -> webob.Response:
    """200 {"aggregate": {...}} (without hosts and metadata); 400 bad
    body, 403 not admin, 409 an aggregate of that name exists."""
    body = validation.body(req, schema.create)['aggregate']
    ctx = _authorize(req, rules.CREATE)
    name = body['name'].strip()
    zone = body.get('availability_zone')
    metadata = {AZ_KEY: zone.strip()} if zone else None
    with engines.api_writer(ctx) as conn:
        aggregate = db.create(conn, name, metadata)
    LOG.info('Created aggregate %s (%s)', aggregate.name, aggregate.uuid)
    return common.json_response({'aggregate': _view(req, aggregate,
                                                    full=False)})


# -- one aggregate


def show(req: webob.Request, aggregate_id: str) -> webob.Response:
    """200 {"aggregate": {...}}; 404 no such aggregate."""
    ctx = _authorize(req, rules.SHOW)
    with engines.api_reader(ctx) as conn:
        aggregate = db.get(conn, aggregate_id)
    return common.json_response({'aggregate': _view(req, aggregate)})


def update(req: webob.Request, aggregate_id: str) -> webob.Response:
    """200 {"aggregate": {...}}: a new name and/or zone. 400 bad body,
    id not an integer, zone emptied or conflicting with another zone of
    a host; 404 no such aggregate; 409 the name is taken."""
    body = dict(validation.body(req, schema.update)['aggregate'])
    ctx = _authorize(req, rules.UPDATE)
    id = _int_id(aggregate_id)
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, id)
        if 'name' in body:
            db.rename(conn, id, body.pop('name').strip())
        _check_zone(conn, body, aggregate,
                    exception.InvalidAggregateActionUpdate)
        if body:
            db.update_metadata(conn, id, body)
        aggregate = db.get(conn, id)
    availability_zones.reset_cache()
    return common.json_response({'aggregate': _view(req, aggregate)})


def delete(req: webob.Request, aggregate_id: str) -> webob.Response:
    """200 (empty); 400 the aggregate still has hosts; 404 no such
    aggregate."""
    ctx = _authorize(req, rules.DELETE)
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, aggregate_id)
        if aggregate.hosts:
            raise exception.InvalidAggregateActionDelete(
                aggregate_id=aggregate.id,
                reason='Host aggregate is not empty')
        db.destroy(conn, aggregate.id)
    availability_zones.reset_cache()
    LOG.info('Deleted aggregate %s (%s)', aggregate.name, aggregate.uuid)
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
    return _ACTIONS[name](req, aggregate_id, body[name])


def _add_host(req: webob.Request, aggregate_id: str,
              body: dict) -> webob.Response:
    """404 no such aggregate or compute host; 409 the host is in it
    already, or in another zone."""
    ctx = _authorize(req, rules.ADD_HOST)
    id, host = _int_id(aggregate_id), body['host']
    cell, _svc = hosts.compute_service(ctx, host)
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, id)
        try:
            _check_zone(conn, aggregate.metadata, aggregate,
                        exception.InvalidAggregateActionAdd, [host])
        except exception.InvalidAggregateAction as exc:
            raise fault.HTTPError(409, str(exc))
        db.add_host(conn, id, host)
        aggregate = db.get(conn, id)
    availability_zones.reset_cache()
    LOG.info('Added host %s to aggregate %s', host, aggregate.name)
    _mirror(ctx, cell, host, aggregate, add=True)
    return common.json_response({'aggregate': _view(req, aggregate)})


def _remove_host(req: webob.Request, aggregate_id: str,
                 body: dict) -> webob.Response:
    """404 no such aggregate or compute host, or the host is not in
    it."""
    ctx = _authorize(req, rules.REMOVE_HOST)
    id, host = _int_id(aggregate_id), body['host']
    try:
        cell, _svc = hosts.compute_service(ctx, host)
        with engines.api_writer(ctx) as conn:
            db.remove_host(conn, db.get(conn, id).id, host)
            aggregate = db.get(conn, id)
    except exception.NotFound:
        raise fault.not_found('Cannot remove host %s in aggregate %s'
                              % (host, aggregate_id))
    availability_zones.reset_cache()
    LOG.info('Removed host %s from aggregate %s', host, aggregate.name)
    _mirror(ctx, cell, host, aggregate, add=False)
    return common.json_response({'aggregate': _view(req, aggregate)})


def _set_metadata(req: webob.Request, aggregate_id: str,
                  body: dict) -> webob.Response:
    """Keys set to null are removed. 400 the zone emptied or conflicting
    with another zone of a host; 404 no such aggregate."""
    ctx = _authorize(req, rules.SET_METADATA)
    id, metadata = _int_id(aggregate_id), body['metadata']
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, id)
        _check_zone(conn, metadata, aggregate,
                    exception.InvalidAggregateActionUpdateMeta)
        db.update_metadata(conn, id, metadata)
        aggregate = db.get(conn, id)
    availability_zones.reset_cache()
    return common.json_response({'aggregate': _view(req, aggregate)})


_ACTIONS = {'add_host': _add_host, 'remove_host': _remove_host,
            'set_metadata': _set_metadata}


def _mirror(ctx: Any, cell: Any, host: str, aggregate: Aggregate,
            add: bool) -> None:
    """Placement's side of a membership change, for each node of the
    host."""
    nodes = hosts.gather_cell(
        ctx, cell, lambda conn: compute_nodes.list_by_host(conn, host))
    client = placement_client.client()
    for node in nodes:
        try:
            if add:
                client.add_to_aggregate(node.uuid, aggregate.uuid)
            else:
                client.remove_from_aggregate(node.uuid, aggregate.uuid)
        except placement_client.PlacementError as exc:
            LOG.warning('Could not %s aggregate %s for the resource '
                        'provider of %s in placement: %s',
                        'add' if add else 'remove', aggregate.uuid,
                        node.hypervisor_hostname, exc)
