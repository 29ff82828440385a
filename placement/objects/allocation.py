"""Allocations: what consumers use of providers' inventories.

Writing replaces all allocations of each consumer named in the request, in
one transaction made of a fixed number of set-based statements:

  1. one SELECT finding the consumers and the ids of the projects, users
     and consumer types named (INSERTs only for names never seen before);
     then the consumer generation checks;
  2. DELETE of the old allocations of the existing consumers;
  3. capacity of every touched (provider, class) pair with its current
     usage (one SELECT), checked in Python;
  4. a guarded generation bump of every provider receiving allocations
     (one UPDATE ... WHERE (id, generation) IN ...);
  5. one multi-row INSERT of the allocations, then the consumer rows.

A provider whose generation moved between 3 and 4 was written concurrently
(possible on MySQL and PostgreSQL; SQLite writers queue on BEGIN IMMEDIATE):
the transaction rolls back and runs again, up to
[placement]allocation_conflict_retry_count times.
"""

import collections
import dataclasses
import datetime

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy as sa
import tenacity

from placement import conf
from placement import database
from placement import errors
from placement import response
from placement import tables
from placement.objects import consumer as consumer_obj
from placement.objects import resource_class
from placement.objects import resource_provider

LOG = logging.getLogger(__name__)

_a = tables.allocations
_rp = tables.resource_providers
_inv = tables.inventories
_c = tables.consumers
_p = tables.projects
_u = tables.users
_ct = tables.consumer_types
_in = consumer_obj.bind_list


@dataclasses.dataclass
class ConsumerAllocations:
    """The complete new allocations of one consumer, as a request gives
    them. resources: {provider uuid: {class name: amount}}; empty means the
    consumer gives everything back (and its record goes).

    generation is compared with the stored consumer generation when
    check_generation is set (1.28+): None claims the consumer is new.
    consumer_type None keeps an existing consumer's type (before 1.38).
    """
    uuid: str
    project_id: str
    user_id: str
    resources: dict[str, dict[str, int]]
    generation: int | None = None
    check_generation: bool = False
    consumer_type: str | None = None


class LostRace(Exception):
    """Another writer changed a provider or consumer that this transaction
    read; running it again sees the change."""


# Reading --------------------------------------------------------------------

@dataclasses.dataclass
class ConsumerView:
    """GET /allocations/{consumer_uuid}: {provider uuid: {"generation",
    "resources"}}, and the consumer's details (None when it has no
    allocations)."""
    allocations: dict
    project_id: str | None = None
    user_id: str | None = None
    generation: int | None = None
    consumer_type: str | None = None
    last_modified: datetime.datetime | None = None


def for_consumer(ctx, consumer_uuid: str) -> ConsumerView:
    """The consumer's allocations grouped by provider."""
    query = (sa.select(_rp.c.uuid.label('rp_uuid'),
                       _rp.c.generation.label('rp_generation'),
                       _a.c.resource_class_id, _a.c.used, _a.c.created_at,
                       _a.c.updated_at, _c.c.generation,
                       _p.c.external_id.label('project_id'),
                       _u.c.external_id.label('user_id'),
                       _ct.c.name.label('consumer_type'))
             .select_from(
                 _a.join(_rp, _a.c.resource_provider_id == _rp.c.id)
                 .outerjoin(_c, _c.c.uuid == _a.c.consumer_id)
                 .outerjoin(_p, _p.c.id == _c.c.project_id)
                 .outerjoin(_u, _u.c.id == _c.c.user_id)
                 .outerjoin(_ct, _ct.c.id == _c.c.consumer_type_id))
             .where(_a.c.consumer_id == consumer_uuid))
    with database.reader(ctx) as conn:
        rows = conn.execute(query).all()
        names = resource_class.names_for(
            conn, {row.resource_class_id for row in rows})
    view = ConsumerView(allocations={})
    if not rows:
        return view
    for row in rows:
        entry = view.allocations.setdefault(
            row.rp_uuid, {'generation': row.rp_generation, 'resources': {}})
        entry['resources'][names[row.resource_class_id]] = row.used
        view.last_modified = response.newest(
            view.last_modified, row.created_at, row.updated_at)
    first = rows[0]
    # Allocations written before consumers were recorded have no consumer
    # row: they belong to the configured "incomplete" project and user.
    placement_conf = conf.CONF.placement
    view.project_id = (first.project_id or
                       placement_conf.incomplete_consumer_project_id)
    view.user_id = first.user_id or placement_conf.incomplete_consumer_user_id
    view.generation = first.generation if first.generation is not None else 0
    view.consumer_type = first.consumer_type or consumer_obj.UNKNOWN_TYPE
    return view


@dataclasses.dataclass
class ProviderView:
    """GET /resource_providers/{uuid}/allocations."""
    generation: int
    allocations: dict  # {consumer uuid: {"resources": {class: amount}}}
    last_modified: datetime.datetime | None


def for_provider(ctx, rp_uuid: str) -> ProviderView:
    """The allocations against one provider grouped by consumer; 404 when
    the provider does not exist."""
    with database.reader(ctx) as conn:
        provider = resource_provider.get_or_404(conn, rp_uuid)
        rows = conn.execute(sa.select(
            _a.c.consumer_id, _a.c.resource_class_id, _a.c.used,
            _a.c.created_at, _a.c.updated_at).where(
                _a.c.resource_provider_id == provider.id)).all()
        names = resource_class.names_for(
            conn, {row.resource_class_id for row in rows})
    allocations: dict = {}
    last_modified = None
    for row in rows:
        resources = allocations.setdefault(
            row.consumer_id, {'resources': {}})['resources']
        resources[names[row.resource_class_id]] = row.used
        last_modified = response.newest(last_modified, row.created_at,
                                        row.updated_at)
    return ProviderView(provider.generation, allocations,
                        last_modified or provider.last_modified)


# Writing --------------------------------------------------------------------

def delete_for_consumer(ctx, consumer_uuid: str) -> None:
    """Remove all of a consumer's allocations and its record; 404 when it
    has none. Provider generations do not move: capacity only grows."""
    with database.writer(ctx) as conn:
        deleted = conn.execute(_a.delete().where(
            _a.c.consumer_id == consumer_uuid)).rowcount
        if not deleted:
            raise errors.NotFound(
                "No allocations for consumer '%s'" % consumer_uuid)
        consumer_obj.delete_many(conn, [consumer_uuid])


def replace_all(ctx, consumers: list[ConsumerAllocations]) -> None:
    """Replace the allocations of every consumer in `consumers`, all or
    nothing, retrying when concurrent writers got there first."""
    run_with_retries(ctx, lambda conn: replace(conn, consumers))


def _log_race(state: tenacity.RetryCallState) -> None:
    outcome = state.outcome
    assert outcome is not None  # `after` runs once an attempt has ended
    LOG.debug('Allocation write raced another writer (attempt %d): %s',
              state.attempt_number, outcome.exception())


def run_with_retries(ctx, work) -> None:
    """work(conn) in a writer transaction, run again from scratch when it
    lost a race with another writer; 409 concurrent_update once
    [placement]allocation_conflict_retry_count retries are spent."""
    retries = conf.CONF.placement.allocation_conflict_retry_count
    try:
        for attempt in tenacity.Retrying(
                retry=tenacity.retry_if_exception_type(
                    (LostRace, db_exc.DBDuplicateEntry, db_exc.DBDeadlock)),
                stop=tenacity.stop_after_attempt(retries + 1),
                after=_log_race):
            with attempt, database.writer(ctx) as conn:
                work(conn)
    except tenacity.RetryError:
        LOG.warning('Allocation write gave up after %d retries on '
                    'concurrent updates', retries)
        raise errors.Conflict(
            'Inventory and/or allocations changed while attempting to '
            'allocate: another process changed the resource providers or '
            'consumers concerned; please retry.',
            code=errors.CONCURRENT_UPDATE) from None


_INSERT = _a.insert()
_DELETE_FOR_CONSUMERS = _a.delete().where(
    _a.c.consumer_id.in_(_in('uuids')))


def replace(conn, consumers: list[ConsumerAllocations]) -> None:
    """The write itself, inside the caller's transaction (POST /reshaper
    runs it between its inventory changes)."""
    now = _now()
    names = ({c.project_id for c in consumers}, {c.user_id for c in consumers},
             {c.consumer_type for c in consumers if c.consumer_type})
    existing, ids = consumer_obj.lookup(
        conn, [c.uuid for c in consumers], *names)
    for consumer in consumers:
        _check_generation(consumer, existing.get(consumer.uuid))
    class_ids = _class_ids(conn, consumers)
    consumer_obj.add_missing_ids(conn, ids, *names, now)
    if existing:
        conn.execute(_DELETE_FOR_CONSUMERS, {'uuids': list(existing)})
    wanted = [_Want(consumer.uuid, rp_uuid, name, class_ids[name], used)
              for consumer in consumers
              for rp_uuid, resources in consumer.resources.items()
              for name, used in resources.items()]
    if wanted:
        providers = _check_capacity(conn, wanted)
        _bump_providers(conn, providers.values(), now)
        conn.execute(_INSERT, [
            {'resource_provider_id': providers[want.rp_uuid][0],
             'consumer_id': want.consumer_uuid,
             'resource_class_id': want.class_id, 'used': want.used,
             'created_at': now} for want in wanted])
    _write_consumers(conn, consumers, existing, ids, now)


class _Want(collections.namedtuple(
        '_Want', 'consumer_uuid rp_uuid class_name class_id used')):
    """One requested allocation."""


def _now() -> datetime.datetime:
    return response.now().replace(tzinfo=None)


def _class_ids(conn, consumers) -> dict[str, int]:
    """{class name: id} for every class the request names; 400 naming the
    first that does not exist."""
    names = {name for consumer in consumers
             for resources in consumer.resources.values()
             for name in resources}
    found = resource_class.ids_for(conn, names)
    for consumer in consumers:
        for resources in consumer.resources.values():
            for name in resources:
                if name not in found:
                    raise errors.BadRequest(
                        'Unable to allocate inventory for consumer %s: '
                        'No such resource class %s.' % (consumer.uuid, name))
    return found


def _check_generation(consumer: ConsumerAllocations,
                      stored: consumer_obj.Consumer | None) -> None:
    """409 concurrent_update unless the generation the client holds is the
    stored one (null for a consumer that does not exist yet)."""
    if not consumer.check_generation:
        return
    expected = stored.generation if stored else None
    if consumer.generation != expected:
        raise errors.Conflict(
            'consumer generation conflict - expected %s but got %s' % (
                _json(expected), _json(consumer.generation)),
            code=errors.CONCURRENT_UPDATE)


def _json(value) -> str:
    return 'null' if value is None else str(value)


_USED = (sa.select(sa.func.sum(_a.c.used))
         .where(_a.c.resource_provider_id == _inv.c.resource_provider_id,
                _a.c.resource_class_id == _inv.c.resource_class_id)
         .scalar_subquery())
# Each provider with its inventory of the requested classes (a row of
# NULLs when it has none) and what is allocated of each.
_CAPACITY = (
    sa.select(_rp.c.id, _rp.c.uuid, _rp.c.generation,
              _inv.c.resource_class_id, _inv.c.total, _inv.c.reserved,
              _inv.c.min_unit, _inv.c.max_unit, _inv.c.step_size,
              _inv.c.allocation_ratio, _USED.label('used'))
    .select_from(_rp.outerjoin(_inv, sa.and_(
        _inv.c.resource_provider_id == _rp.c.id,
        _inv.c.resource_class_id.in_(_in('class_ids')))))
    .where(_rp.c.uuid.in_(_in('rp_uuids'))))


def _check_capacity(conn, wanted: list[_Want]) -> dict[str, tuple[int, int]]:
    """Check every new allocation against its provider's inventory (one
    query for all pairs, with what is already allocated) and return
    {provider uuid: (id, generation)}.

    400 for a provider that does not exist; 409 for a class the provider
    has no inventory of, an amount outside min_unit..max_unit or not a
    multiple of step_size, or a total beyond the capacity
    (total - reserved) * allocation_ratio."""
    query = {'rp_uuids': list({want.rp_uuid for want in wanted}),
             'class_ids': list({want.class_id for want in wanted})}
    providers = {}
    inventories = {}
    for row in conn.execute(_CAPACITY, query):
        providers[row.uuid] = (row.id, row.generation)
        if row.resource_class_id is not None:
            inventories[row.uuid, row.resource_class_id] = row
    for want in wanted:
        if want.rp_uuid not in providers:
            raise errors.BadRequest(
                "Allocation for resource provider '%s' that does not "
                "exist." % want.rp_uuid,
                code=errors.RESOURCE_PROVIDER_NOT_FOUND)
    totals: dict = collections.Counter()
    for want in wanted:
        inv = inventories.get((want.rp_uuid, want.class_id))
        if inv is None:
            raise _unable(want, 'Inventory for %(rc)s on resource provider '
                          '%(rp)s invalid.')
        if (want.used < inv.min_unit or want.used > inv.max_unit or
                want.used % inv.step_size):
            raise _unable(want, 'Unable to create allocation for %(rc)s on '
                          'resource provider %(rp)s. The requested amount '
                          'would violate inventory constraints.')
        totals[want.rp_uuid, want.class_id] += want.used
    for want in wanted:
        inv = inventories[want.rp_uuid, want.class_id]
        capacity = (inv.total - inv.reserved) * inv.allocation_ratio
        if (inv.used or 0) + totals[want.rp_uuid, want.class_id] > capacity:
            raise _unable(want, 'Unable to create allocation for %(rc)s on '
                          'resource provider %(rp)s. The requested amount '
                          'would exceed the capacity.')
    return providers


def _unable(want: _Want, reason: str) -> errors.Conflict:
    detail = reason % {'rc': "'%s'" % want.class_name,
                       'rp': "'%s'" % want.rp_uuid}
    return errors.Conflict('Unable to allocate inventory: %s' % detail)


# The id IN (...) lets every database use the primary key; the row-value
# IN carries the guard.
_BUMP = (_rp.update()
         .where(_rp.c.id.in_(_in('ids')),
                sa.tuple_(_rp.c.id, _rp.c.generation).in_(_in('pairs')))
         .values(generation=_rp.c.generation + 1,
                 updated_at=sa.bindparam('now')))


def _bump_providers(conn, providers, now: datetime.datetime) -> None:
    """Advance each provider's generation from the one its capacity was
    read at; another writer in between makes this a LostRace."""
    providers = list(providers)
    result = conn.execute(_BUMP, {
        'ids': [id_ for id_, _gen in providers], 'pairs': providers,
        'now': now})
    if result.rowcount != len(providers):
        raise LostRace('resource provider generation changed')


def _write_consumers(conn, consumers, existing, ids, now) -> None:
    """Create the new consumers that now hold allocations, advance the
    existing ones, and delete the records of those left with none."""
    new_rows = []
    emptied = []
    for consumer in consumers:
        stored = existing.get(consumer.uuid)
        project_id = ids.projects[consumer.project_id]
        user_id = ids.users[consumer.user_id]
        type_id = (ids.types[consumer.consumer_type] if consumer.consumer_type
                   else stored.consumer_type_id if stored else None)
        if stored is None:
            if consumer.resources:
                new_rows.append({
                    'uuid': consumer.uuid, 'project_id': project_id,
                    'user_id': user_id, 'consumer_type_id': type_id})
            continue
        if not consumer_obj.bump(conn, stored, project_id, user_id, type_id,
                                 now):
            raise LostRace('consumer %s changed' % consumer.uuid)
        if not consumer.resources:
            emptied.append(consumer.uuid)
    if new_rows:
        consumer_obj.create_many(conn, new_rows, now)
    consumer_obj.delete_many(conn, emptied)
