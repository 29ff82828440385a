"""Host aggregates and their metadata, as os-aggregates changes them.

An `availability_zone` metadata key puts the aggregate's hosts in that
zone; a host may not be in two zones, and a zone, once set, cannot be
emptied. Host membership is mirrored into placement: each compute node
of a host added to an aggregate gets the aggregate's uuid among its
resource provider's aggregates (and loses it on removal). Placement
trouble is logged, not raised: a change stands on the API database alone.
"""

from typing import Any

from oslo_log import log as logging

from nova import availability_zones
from nova.compute import hosts
from nova.db.api import aggregates as db
from nova.db import engines
from nova.db.main import compute_nodes
from nova import exception
from nova.objects.aggregate import AZ_KEY
from nova.objects.aggregate import Aggregate
from nova.objects.cell_mapping import CellMapping
from nova import placement_client

LOG = logging.getLogger(__name__)


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
    others: dict[int, str | None] = {}
    for host in hosts_ or aggregate.hosts:
        for other in db.list_by_host(conn, host, key=AZ_KEY):
            if other.id != aggregate.id and other.availability_zone != zone:
                assert other.id is not None  # read from the database
                others[other.id] = other.availability_zone
    if others:
        raise error(aggregate_id=aggregate.id,
                    reason='One or more hosts already in availability '
                           'zone(s) %s' % [others[k] for k in sorted(others)])


def list_aggregates(ctx: Any) -> list[Aggregate]:
    """Every aggregate, by id, with its hosts and metadata."""
    with engines.api_reader(ctx) as conn:
        return db.list_all(conn)


@engines.retry_on_deadlock
def create(ctx: Any, name: str, zone: str | None) -> Aggregate:
    """A new aggregate, in `zone` if one is given; AggregateNameExists
    (409) if the name is taken."""
    metadata = {AZ_KEY: zone} if zone else None
    with engines.api_writer(ctx) as conn:
        aggregate = db.create(conn, name, metadata)
    LOG.info('Created aggregate %s (%s)', aggregate.name, aggregate.uuid)
    return aggregate


def get(ctx: Any, aggregate_id: int | str) -> Aggregate:
    """The aggregate; AggregateNotFound (404), also for an id that is not
    an integer."""
    with engines.api_reader(ctx) as conn:
        return db.get(conn, aggregate_id)


@engines.retry_on_deadlock
def update(ctx: Any, aggregate_id: int, name: str | None,
           metadata: dict[str, str | None]) -> Aggregate:
    """The aggregate renamed (unless `name` is None) and its metadata
    (the zone) set. AggregateNotFound (404); AggregateNameExists (409);
    InvalidAggregateActionUpdate (400) if the zone is emptied or a host
    would be in two zones."""
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, aggregate_id)
        if name is not None:
            db.rename(conn, aggregate_id, name)
        _check_zone(conn, metadata, aggregate,
                    exception.InvalidAggregateActionUpdate)
        if metadata:
            db.update_metadata(conn, aggregate_id, metadata)
        aggregate = db.get(conn, aggregate_id)
    availability_zones.reset_cache()
    return aggregate


@engines.retry_on_deadlock
def delete(ctx: Any, aggregate_id: int | str) -> None:
    """AggregateNotFound (404); InvalidAggregateActionDelete (400) while
    the aggregate has hosts."""
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, aggregate_id)
        if aggregate.hosts:
            raise exception.InvalidAggregateActionDelete(
                aggregate_id=aggregate.id,
                reason='Host aggregate is not empty')
        assert aggregate.id is not None  # read from the database
        db.destroy(conn, aggregate.id)
    availability_zones.reset_cache()
    LOG.info('Deleted aggregate %s (%s)', aggregate.name, aggregate.uuid)


def add_host(ctx: Any, aggregate_id: int, host: str) -> Aggregate:
    """The aggregate with the nova-compute host `host` added, mirrored to
    placement. HostMappingNotFound, ComputeHostNotFound or
    AggregateNotFound (404); InvalidAggregateActionAdd (409) if the host
    would be in two zones; AggregateHostExists (409)."""
    cell, _svc = hosts.compute_service(ctx, host)
    aggregate = _change_host(ctx, aggregate_id, host, add=True)
    _membership_changed(ctx, cell, host, aggregate, add=True)
    return aggregate


@engines.retry_on_deadlock
def _change_host(ctx: Any, aggregate_id: int, host: str,
                 add: bool) -> Aggregate:
    """Add `host` to the aggregate (zone checked) or remove it; the
    aggregate as it is then."""
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, aggregate_id)
        assert aggregate.id is not None  # read from the database
        if add:
            _check_zone(conn, aggregate.metadata, aggregate,
                        exception.InvalidAggregateActionAdd, [host])
            db.add_host(conn, aggregate.id, host)
        else:
            db.remove_host(conn, aggregate.id, host)
        return db.get(conn, aggregate_id)


def remove_host(ctx: Any, aggregate_id: int, host: str) -> Aggregate:
    """The aggregate without `host`, mirrored to placement;
    AggregateHostNotRemovable (404) if there is no such aggregate or
    compute host, or the host is not in it."""
    try:
        cell, _svc = hosts.compute_service(ctx, host)
        aggregate = _change_host(ctx, aggregate_id, host, add=False)
    except exception.NotFound:
        raise exception.AggregateHostNotRemovable(
            host=host, aggregate_id=aggregate_id)
    _membership_changed(ctx, cell, host, aggregate, add=False)
    return aggregate


@engines.retry_on_deadlock
def set_metadata(ctx: Any, aggregate_id: int,
                 metadata: dict[str, str | None]) -> Aggregate:
    """The aggregate with `metadata` set (keys set to None removed).
    AggregateNotFound (404); InvalidAggregateActionUpdateMeta (400) if
    the zone is emptied or a host would be in two zones."""
    with engines.api_writer(ctx) as conn:
        aggregate = db.get(conn, aggregate_id)
        _check_zone(conn, metadata, aggregate,
                    exception.InvalidAggregateActionUpdateMeta)
        db.update_metadata(conn, aggregate_id, metadata)
        aggregate = db.get(conn, aggregate_id)
    availability_zones.reset_cache()
    return aggregate


def _membership_changed(ctx: Any, cell: CellMapping, host: str,
                        aggregate: Aggregate, add: bool) -> None:
    """After `host` joined (`add`) or left the aggregate: zones are read
    afresh, and placement's side follows for each node of the host."""
    availability_zones.reset_cache()
    if add:
        LOG.info('Added host %s to aggregate %s', host, aggregate.name)
    else:
        LOG.info('Removed host %s from aggregate %s', host, aggregate.name)
    nodes = hosts.gather_cell(
        ctx, cell, lambda conn: compute_nodes.list_by_host(conn, host))
    client = placement_client.client()
    # db.create gives every aggregate a uuid, compute_nodes.create every
    # node.
    assert aggregate.uuid is not None
    for node in nodes:
        assert node.uuid is not None
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
