"""What the allocation candidate search reads from the database: a small
in-memory snapshot keyed by integer ids, loaded with a handful of set-based
queries (never one per provider).

- capacity: for every requested resource class, each provider's inventory
  with the sum of its allocations (grouped in SQL);
- the uuid, parent and root of every provider;
- which providers carry the traits and aggregates the request names, and
  which share their resources (MISC_SHARES_VIA_AGGREGATE) with which trees.

Provider summaries (every class and trait of the providers in the answer)
are read afterwards, only for the providers that made it into the answer.
"""

import dataclasses

import sqlalchemy as sa

from placement import tables

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'

_rp = tables.resource_providers
_inv = tables.inventories
_alloc = tables.allocations
_rpt = tables.resource_provider_traits
_traits = tables.traits
_rpa = tables.resource_provider_aggregates

# Most ids worth an IN (...) list (and within every backend's limit on
# bound parameters); for more, one scan filtered in Python is cheaper.
_FEW = 900


@dataclasses.dataclass(slots=True)
class Inventory:
    """One provider's inventory of one class, with what is allocated."""
    # (total - reserved) * allocation_ratio: what allocations may reach.
    capacity: float
    used: int
    min_unit: int
    max_unit: int
    step_size: int

    def fits(self, amount: int) -> bool:
        """Whether one more allocation of `amount` is acceptable."""
        return (self.min_unit <= amount <= self.max_unit
                and amount % self.step_size == 0
                and self.used + amount <= self.capacity)

    def holds(self, amount: int) -> bool:
        """Whether `amount` made of several requests' shares fits: only
        capacity and max_unit apply to the sum."""
        return amount <= self.max_unit and self.used + amount <= self.capacity


class Snapshot:
    """Providers, capacity, traits and aggregates a search needs."""

    def __init__(self) -> None:
        # class id -> provider id -> Inventory
        self.inventory: dict[int, dict[int, Inventory]] = {}
        self.uuid: dict[int, str] = {}
        self.root: dict[int, int] = {}
        self.parent: dict[int, int | None] = {}
        # Only the traits and aggregates the request mentions.
        self.traits: dict[int, set[int]] = {}
        self.aggregates: dict[int, set[int]] = {}
        # Sharing provider id -> roots of the trees it shares with.
        self.share_anchors: dict[int, set[int]] = {}
        self._ancestors: dict[int, set[int]] = {}

    def add_provider(self, id_: int, uuid: str, parent: int | None,
                     root: int) -> None:
        self.uuid[id_] = uuid
        self.parent[id_] = parent
        self.root[id_] = root

    def ancestors(self, provider: int) -> set[int]:
        """The provider and every provider above it."""
        found = self._ancestors.get(provider)
        if found is None:
            found = set()
            node: int | None = provider
            while node is not None:
                found.add(node)
                node = self.parent.get(node)
            self._ancestors[provider] = found
        return found


def _usage_select(rc_filter, providers: list[int] | None) -> sa.Select:
    """(provider, class, used) rows: allocations summed in SQL."""
    select = (sa.select(_alloc.c.resource_provider_id,
                        _alloc.c.resource_class_id,
                        sa.func.sum(_alloc.c.used))
              .where(rc_filter(_alloc.c.resource_class_id))
              .group_by(_alloc.c.resource_provider_id,
                        _alloc.c.resource_class_id))
    if providers is not None:
        select = select.where(_alloc.c.resource_provider_id.in_(providers))
    return select


def _inventories(conn, rc_filter, providers: list[int] | None = None
                 ) -> dict[int, dict[int, Inventory]]:
    """Class id -> provider id -> Inventory for the classes picked by
    `rc_filter` (a function of a resource_class_id column), of all
    providers or of `providers`. Usage is summed by a query of its own:
    joining it to the inventories costs more than reading both."""
    select = (sa.select(_inv.c.resource_provider_id,
                        _inv.c.resource_class_id,
                        (_inv.c.total - _inv.c.reserved)
                        * _inv.c.allocation_ratio,
                        _inv.c.min_unit, _inv.c.max_unit, _inv.c.step_size)
              .where(rc_filter(_inv.c.resource_class_id)))
    if providers is not None:
        select = select.where(_inv.c.resource_provider_id.in_(providers))
    found: dict[int, dict[int, Inventory]] = {}
    for provider, rc_id, capacity, low, high, step in conn.execute(
            select).all():
        by_provider = found.get(rc_id)
        if by_provider is None:
            by_provider = found[rc_id] = {}
        by_provider[provider] = Inventory(capacity, 0, low, high, step)
    for provider, rc_id, used in conn.execute(
            _usage_select(rc_filter, providers)).all():
        inventory = found.get(rc_id, {}).get(provider)
        if inventory is not None:
            inventory.used = int(used)
    return found


def load_capacity(conn, snap: Snapshot, rc_ids) -> None:
    """Inventory and usage of every provider of the classes `rc_ids`."""
    rc_ids = sorted(rc_ids)
    snap.inventory = {rc_id: {} for rc_id in rc_ids}
    snap.inventory.update(_inventories(conn, lambda c: c.in_(rc_ids)))


def load_trees(conn, snap: Snapshot) -> None:
    """Uuid, parent and root of every provider. Filtering on inventory or
    tree costs the database more than reading the few rows it would spare
    (computes, which have the usual classes, are most providers)."""
    add = snap.add_provider
    for row in conn.execute(sa.select(
            _rp.c.id, _rp.c.uuid, _rp.c.parent_provider_id,
            _rp.c.root_provider_id)).all():
        add(*row)


def _load_links(conn, column, ids, into: dict) -> None:
    """{provider id: {value}} in `into` for the rows of a provider link
    table (traits, aggregates) whose `column` is one of `ids`."""
    ids = sorted(ids)
    if not ids:
        return
    rows = conn.execute(
        sa.select(column.table.c.resource_provider_id, column)
        .where(column.in_(ids))).all()
    for provider, value in rows:
        into.setdefault(provider, set()).add(value)


def load_traits(conn, snap: Snapshot, trait_ids) -> None:
    """Which providers have which of `trait_ids`."""
    _load_links(conn, _rpt.c.trait_id, trait_ids, snap.traits)


def load_aggregates(conn, snap: Snapshot, aggregate_ids) -> None:
    """Which providers are in which of `aggregate_ids`."""
    _load_links(conn, _rpa.c.aggregate_id, aggregate_ids, snap.aggregates)


def load_share_anchors(conn, snap: Snapshot, sharing_ids) -> None:
    """For each sharing provider, the roots of the trees it serves: its
    own, and those of every provider in one of its aggregates."""
    sharing_ids = sorted(sharing_ids)
    for id_ in sharing_ids:
        snap.share_anchors[id_] = {snap.root[id_]}
    if not sharing_ids:
        return
    mine = _rpa.alias('mine')
    peer = _rpa.alias('peer')
    rows = conn.execute(
        sa.select(mine.c.resource_provider_id, _rp.c.root_provider_id)
        .select_from(
            mine.join(peer, peer.c.aggregate_id == mine.c.aggregate_id)
            .join(_rp, _rp.c.id == peer.c.resource_provider_id))
        .where(mine.c.resource_provider_id.in_(sharing_ids))
        .distinct())
    for sharing, root in rows:
        snap.share_anchors[sharing].add(root)


def _few(provider_ids: set[int]) -> list[int] | None:
    """`provider_ids` as a list to filter on in SQL when they are few;
    None when they are many: then one scan, filtered here, beats long IN
    lists."""
    return sorted(provider_ids) if len(provider_ids) <= _FEW else None


def summary_inventory(conn, provider_ids: set[int], skip_rc_ids
                      ) -> dict[int, dict[int, Inventory]]:
    """Provider id -> class id -> Inventory for the classes of
    `provider_ids` other than `skip_rc_ids` (already known)."""
    skip = sorted(skip_rc_ids)

    def classes(col):
        return col.not_in(skip) if skip else sa.true()

    found: dict[int, dict[int, Inventory]] = {}
    for rc_id, by_provider in _inventories(
            conn, classes, _few(provider_ids)).items():
        for provider, inv in by_provider.items():
            if provider in provider_ids:
                found.setdefault(provider, {})[rc_id] = inv
    return found


def summary_traits(conn, provider_ids: set[int]) -> dict[int, list[str]]:
    """Provider id -> names of all its traits, in trait creation order."""
    select = (sa.select(_rpt.c.resource_provider_id, _traits.c.name)
              .select_from(_rpt.join(_traits,
                                     _traits.c.id == _rpt.c.trait_id))
              .order_by(_rpt.c.trait_id))
    few = _few(provider_ids)
    if few is not None:
        select = select.where(_rpt.c.resource_provider_id.in_(few))
    rows = conn.execute(select).all()
    found: dict[int, list[str]] = {}
    for provider, name in rows:
        if provider in provider_ids:
            found.setdefault(provider, []).append(name)
    return found
