"""Resource providers: rows, trees (parent and root), generations, and the
queries that select providers by capacity, traits and aggregates.

The selecting queries come in two forms: `*_select()` builds a SELECT of
provider ids to compose into a bigger query (the provider list uses them as
`id IN (...)` in one statement); `providers_*()` runs one of them alone and
returns the set of ids, for callers that combine results in Python.
"""

import dataclasses
import datetime
import uuid as uuidlib

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy as sa

from placement import database
from placement import errors
from placement import query
from placement import response
from placement import tables

LOG = logging.getLogger(__name__)

_rp = tables.resource_providers
_parent = _rp.alias('parent_provider')
_root = _rp.alias('root_provider')
_inv = tables.inventories
_alloc = tables.allocations
_rp_traits = tables.resource_provider_traits
_rp_aggs = tables.resource_provider_aggregates

# PUT /resource_providers/{uuid} leaves the parent alone when the body has
# no parent_provider_uuid; None would mean "un-parent".
UNSET = object()


@dataclasses.dataclass
class Provider:
    id: int
    uuid: str
    name: str
    generation: int
    root_id: int
    parent_id: int | None
    root_uuid: str
    parent_uuid: str | None
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None

    @property
    def last_modified(self) -> datetime.datetime | None:
        return response.newest(self.created_at, self.updated_at)


@dataclasses.dataclass
class ListFilters:
    """GET /resource_providers filters, as parsed from the query string
    (names and uuids; unset ones are None or empty)."""
    name: str | None = None
    uuid: str | None = None
    in_tree: str | None = None
    resources: dict[str, int] = dataclasses.field(default_factory=dict)
    traits: query.RequiredTraits = dataclasses.field(
        default_factory=query.RequiredTraits)
    member_of: query.MemberOf = dataclasses.field(
        default_factory=query.MemberOf)


def _now() -> datetime.datetime:
    return response.now().replace(tzinfo=None)


def canonical_uuid(value: str) -> str:
    """The dashed lower-case form of a UUID given in any form that the
    schemas accept (with or without dashes)."""
    return str(uuidlib.UUID(value))


def _select_providers() -> sa.Select:
    return sa.select(
        _rp.c.id, _rp.c.uuid, _rp.c.name, _rp.c.generation,
        _rp.c.root_provider_id, _rp.c.parent_provider_id,
        _root.c.uuid.label('root_uuid'), _parent.c.uuid.label('parent_uuid'),
        _rp.c.created_at, _rp.c.updated_at,
    ).select_from(
        _rp.outerjoin(_root, _rp.c.root_provider_id == _root.c.id)
        .outerjoin(_parent, _rp.c.parent_provider_id == _parent.c.id))


def _provider(row) -> Provider:
    return Provider(id=row.id, uuid=row.uuid, name=row.name,
                    generation=row.generation, root_id=row.root_provider_id,
                    parent_id=row.parent_provider_id,
                    root_uuid=row.root_uuid, parent_uuid=row.parent_uuid,
                    created_at=row.created_at, updated_at=row.updated_at)


def get(conn, uuid: str) -> Provider | None:
    """The provider with this uuid, or None."""
    row = conn.execute(_select_providers().where(_rp.c.uuid == uuid)).first()
    return _provider(row) if row else None


def get_or_404(conn, uuid: str, suffix: str = '') -> Provider:
    """The provider with this uuid; 404 when there is none."""
    provider = get(conn, uuid)
    if provider is None:
        raise errors.NotFound('No resource provider with uuid %s found%s'
                              % (uuid, suffix))
    return provider


def show(ctx, uuid: str) -> Provider:
    with database.reader(ctx) as conn:
        return get_or_404(conn, uuid)


def bump_generation(conn, provider: Provider, expected: int | None = None,
                    message: str = 'resource provider generation conflict'
                    ) -> int:
    """Increment the provider's generation (409 concurrent_update when it
    is not `expected`, or changed since `provider` was read) and return the
    new one. Every change to what a provider offers goes through this, so
    that clients holding an old generation find out."""
    if expected is not None and expected != provider.generation:
        raise errors.Conflict(message, code=errors.CONCURRENT_UPDATE)
    result = conn.execute(
        _rp.update()
        .where(_rp.c.id == provider.id,
               _rp.c.generation == provider.generation)
        .values(generation=provider.generation + 1, updated_at=_now()))
    if result.rowcount != 1:
        raise errors.Conflict(message, code=errors.CONCURRENT_UPDATE)
    provider.generation += 1
    return provider.generation


def _duplicate(exc: db_exc.DBDuplicateEntry, uuid: str,
               name: str) -> errors.Conflict:
    if 'uuid' in (exc.columns or []):
        what = 'uuid: %s' % uuid
    else:
        what = 'name: %s' % name
    return errors.Conflict('Conflicting resource provider %s already exists.'
                           % what, code=errors.DUPLICATE_NAME)


def create(ctx, name: str, uuid: str | None = None,
           parent_uuid: str | None = None) -> Provider:
    """A new provider, in the tree of `parent_uuid` when given.
    400 for a bad parent, 409 (duplicate_name) when the name or uuid is
    taken."""
    uuid = canonical_uuid(uuid) if uuid else str(uuidlib.uuid4())
    with database.writer(ctx) as conn:
        parent = None
        if parent_uuid is not None:
            parent_uuid = canonical_uuid(parent_uuid)
            problem = None
            if parent_uuid == uuid:
                problem = ('parent provider UUID cannot be same as UUID. '
                           'Please set parent provider UUID to None if '
                           'there is no parent.')
            else:
                parent = get(conn, parent_uuid)
                if parent is None:
                    problem = 'parent provider UUID does not exist.'
            if problem:
                raise errors.BadRequest(
                    'Unable to create resource provider "%s", %s: %s'
                    % (name, uuid, problem))
        try:
            new_id = conn.execute(_rp.insert().values(
                uuid=uuid, name=name, generation=0,
                parent_provider_id=parent.id if parent else None,
                root_provider_id=parent.root_id if parent else None,
                created_at=_now())).inserted_primary_key[0]
        except db_exc.DBDuplicateEntry as exc:
            raise _duplicate(exc, uuid, name)
        if parent is None:
            conn.execute(_rp.update().where(_rp.c.id == new_id)
                         .values(root_provider_id=new_id))
        created = get(conn, uuid)
        assert created is not None  # inserted above, in this transaction
        return created


def _descendants(conn, provider: Provider) -> set[int]:
    """Ids of every provider below `provider` in its tree (one query for
    the whole tree, walked here)."""
    rows = conn.execute(sa.select(_rp.c.id, _rp.c.parent_provider_id).where(
        _rp.c.root_provider_id == provider.root_id)).all()
    children: dict[int, list[int]] = {}
    for id_, parent_id in rows:
        children.setdefault(parent_id, []).append(id_)
    found, todo = set(), [provider.id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _set_parent(conn, provider: Provider, parent_uuid: str | None,
                allow_reparent: bool) -> None:
    """Move `provider` (and its subtree) under `parent_uuid`, or make it a
    root when that is None."""
    if parent_uuid is not None:
        parent_uuid = canonical_uuid(parent_uuid)
    if parent_uuid == provider.parent_uuid:
        return
    fail = 'Unable to save resource provider %s: %s'
    if provider.parent_uuid is not None and not allow_reparent:
        doing = 're-parenting' if parent_uuid else 'un-parenting'
        raise errors.BadRequest(fail % (
            provider.uuid, '%s a provider is not currently allowed.' % doing))
    subtree = _descendants(conn, provider) | {provider.id}
    if parent_uuid is None:
        new_root, parent_id = provider.id, None
    else:
        parent = get(conn, parent_uuid)
        if parent is None:
            raise errors.BadRequest(fail % (
                provider.uuid, 'parent provider UUID does not exist.'))
        if parent.id in subtree:
            raise errors.BadRequest(fail % (
                provider.uuid,
                'creating loop in the provider tree is not allowed.'))
        new_root, parent_id = parent.root_id, parent.id
    conn.execute(_rp.update().where(_rp.c.id == provider.id)
                 .values(parent_provider_id=parent_id))
    conn.execute(_rp.update().where(_rp.c.id.in_(subtree))
                 .values(root_provider_id=new_root))


def update(ctx, uuid: str, name: str, parent_uuid=UNSET,
           allow_reparent: bool = False) -> Provider:
    """Rename a provider and, when `parent_uuid` is given, move it in the
    provider trees (changing an existing parent only if `allow_reparent`).
    The generation is unchanged: it counts changes to what the provider
    offers, not to what it is called."""
    with database.writer(ctx) as conn:
        provider = get_or_404(conn, uuid)
        try:
            conn.execute(_rp.update().where(_rp.c.id == provider.id)
                         .values(name=name, updated_at=_now()))
        except db_exc.DBDuplicateEntry:
            raise errors.Conflict(
                'Conflicting resource provider name: %s already exists.'
                % name, code=errors.DUPLICATE_NAME)
        if parent_uuid is not UNSET:
            _set_parent(conn, provider, parent_uuid, allow_reparent)
        return get_or_404(conn, uuid)


def delete(ctx, uuid: str) -> None:
    """Delete a provider with its inventories, traits and aggregate
    associations. 409 when it has allocations or child providers."""
    with database.writer(ctx) as conn:
        provider = get_or_404(conn, uuid, ' for delete')
        has_children = conn.execute(sa.select(_rp.c.id).where(
            _rp.c.parent_provider_id == provider.id).limit(1)).first()
        if has_children:
            raise errors.Conflict(
                'Unable to delete parent resource provider %s: It has child '
                'resource providers.' % uuid,
                code=errors.PROVIDER_CANNOT_DELETE_PARENT)
        in_use = conn.execute(sa.select(_alloc.c.id).where(
            _alloc.c.resource_provider_id == provider.id).limit(1)).first()
        if in_use:
            raise errors.Conflict(
                'Unable to delete resource provider %s: Resource provider '
                'has allocations.' % uuid, code=errors.PROVIDER_IN_USE)
        for table in (_inv, _rp_traits, _rp_aggs):
            conn.execute(table.delete().where(
                table.c.resource_provider_id == provider.id))
        # MySQL checks the foreign key of a root's reference to itself
        # before deleting the row, so break that reference first.
        conn.execute(_rp.update().where(_rp.c.id == provider.id)
                     .values(root_provider_id=None))
        conn.execute(_rp.delete().where(_rp.c.id == provider.id))
    LOG.info('Deleted resource provider %s', uuid)


# Selecting providers -------------------------------------------------------

def capacity_select(resources: dict[int, int]) -> sa.Select:
    """Ids of providers that can each supply every {class id: amount}
    themselves: capacity ((total - reserved) * allocation_ratio) minus what
    is allocated covers the amount, which is also within min_unit..max_unit
    and a multiple of step_size."""
    used = (sa.select(_alloc.c.resource_provider_id,
                      _alloc.c.resource_class_id,
                      sa.func.sum(_alloc.c.used).label('used'))
            .where(_alloc.c.resource_class_id.in_(list(resources)))
            .group_by(_alloc.c.resource_provider_id,
                      _alloc.c.resource_class_id)
            .subquery('used'))
    fits = []
    for rc_id, amount in resources.items():
        amount_ = sa.literal(amount, sa.Integer)
        fits.append(sa.and_(
            _inv.c.resource_class_id == rc_id,
            _inv.c.min_unit <= amount_,
            _inv.c.max_unit >= amount_,
            amount_ % _inv.c.step_size == 0,
            (_inv.c.total - _inv.c.reserved) * _inv.c.allocation_ratio
            >= sa.func.coalesce(used.c.used, 0) + amount_))
    select = (sa.select(_inv.c.resource_provider_id)
              .select_from(_inv.outerjoin(used, sa.and_(
                  used.c.resource_provider_id == _inv.c.resource_provider_id,
                  used.c.resource_class_id == _inv.c.resource_class_id)))
              .where(sa.or_(*fits)))
    if len(resources) > 1:
        select = (select.group_by(_inv.c.resource_provider_id)
                  .having(sa.func.count() == len(resources)))
    return select


def all_traits_select(trait_ids) -> sa.Select:
    """Ids of providers having every one of `trait_ids`."""
    trait_ids = list(trait_ids)
    return (sa.select(_rp_traits.c.resource_provider_id)
            .where(_rp_traits.c.trait_id.in_(trait_ids))
            .group_by(_rp_traits.c.resource_provider_id)
            .having(sa.func.count() == len(trait_ids)))


def any_trait_select(trait_ids) -> sa.Select:
    """Ids of providers having at least one of `trait_ids`."""
    return (sa.select(_rp_traits.c.resource_provider_id)
            .where(_rp_traits.c.trait_id.in_(list(trait_ids))))


def any_aggregate_select(aggregate_ids) -> sa.Select:
    """Ids of providers associated with at least one of `aggregate_ids`."""
    return (sa.select(_rp_aggs.c.resource_provider_id)
            .where(_rp_aggs.c.aggregate_id.in_(list(aggregate_ids))))


def providers_with_capacity(conn, resources: dict[int, int]) -> set[int]:
    return set(conn.execute(capacity_select(resources)).scalars())


def providers_with_all_traits(conn, trait_ids) -> set[int]:
    return set(conn.execute(all_traits_select(trait_ids)).scalars())


def providers_with_any_trait(conn, trait_ids) -> set[int]:
    return set(conn.execute(any_trait_select(trait_ids)).scalars())


def providers_in_any_aggregate(conn, aggregate_ids) -> set[int]:
    return set(conn.execute(any_aggregate_select(aggregate_ids)).scalars())


def _list_conditions(conn, filters: ListFilters) -> list | None:
    """WHERE clauses for `filters`, or None when nothing can match.
    400 for unknown resource classes or traits."""
    where = []
    if filters.name is not None:
        where.append(_rp.c.name == filters.name)
    if filters.uuid is not None:
        where.append(_rp.c.uuid == canonical_uuid(filters.uuid))
    if filters.in_tree is not None:
        tree = _rp.alias('tree')
        where.append(_rp.c.root_provider_id == sa.select(
            tree.c.root_provider_id).where(
                tree.c.uuid == canonical_uuid(filters.in_tree))
            .scalar_subquery())
    if filters.resources:
        where.append(_rp.c.id.in_(capacity_select(
            query.resource_class_ids(conn, filters.resources))))
    traits = filters.traits
    trait_ids = query.trait_ids(conn, traits.names()) if traits else {}
    if traits.required:
        where.append(_rp.c.id.in_(all_traits_select(
            trait_ids[n] for n in traits.required)))
    for names in traits.any_of:
        where.append(_rp.c.id.in_(any_trait_select(
            trait_ids[n] for n in names)))
    if traits.forbidden:
        where.append(_rp.c.id.not_in(any_trait_select(
            trait_ids[n] for n in traits.forbidden)))
    member_of = filters.member_of
    agg_ids = query.aggregate_ids(conn, member_of.uuids()) if member_of else {}
    for uuids in member_of.all_of:
        ids = [agg_ids[u] for u in uuids if u in agg_ids]
        if not ids:
            return None
        where.append(_rp.c.id.in_(any_aggregate_select(ids)))
    forbidden_aggs = [agg_ids[u] for u in member_of.none_of if u in agg_ids]
    if forbidden_aggs:
        where.append(_rp.c.id.not_in(any_aggregate_select(forbidden_aggs)))
    return where


def list_providers(ctx, filters: ListFilters) -> list[Provider]:
    """Providers matching every filter, in creation order, in one query."""
    with database.reader(ctx) as conn:
        where = _list_conditions(conn, filters)
        if where is None:
            return []
        rows = conn.execute(_select_providers().where(*where)
                            .order_by(_rp.c.id))
        return [_provider(row) for row in rows]
