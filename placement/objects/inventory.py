"""Inventories: how much of each resource class a provider offers.

Every write bumps the provider's generation in the same transaction.
`write_all` is the one place a provider's whole inventory is replaced (PUT
.../inventories, DELETE .../inventories and the reshaper use it).
"""

import dataclasses
import datetime

from oslo_db import exception as db_exc
import sqlalchemy as sa

from placement import database
from placement import errors
from placement import response
from placement import tables
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj
from placement.schemas.inventory import MAX_INT

FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
          'allocation_ratio')
DEFAULTS = {'reserved': 0, 'min_unit': 1, 'max_unit': MAX_INT,
            'step_size': 1, 'allocation_ratio': 1.0}

_inv = tables.inventories
_alloc = tables.allocations


@dataclasses.dataclass
class Inventory:
    resource_class: str
    total: int
    reserved: int
    min_unit: int
    max_unit: int
    step_size: int
    allocation_ratio: float
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None

    def fields(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    @property
    def last_modified(self) -> datetime.datetime | None:
        return response.newest(self.created_at, self.updated_at)


def with_defaults(data: dict) -> dict:
    """The inventory fields of `data`, defaults filled in."""
    fields = dict(DEFAULTS)
    fields.update({k: v for k, v in data.items() if k in FIELDS})
    fields['allocation_ratio'] = float(fields['allocation_ratio'])
    return fields


def _check_capacity(action: str, provider: rp_obj.Provider,
                    inventories: dict[str, dict],
                    reserved_may_equal_total: bool) -> None:
    """400 when an inventory reserves more than it has (or, before 1.26,
    all of it)."""
    for rc_name, fields in inventories.items():
        reserved, total = fields['reserved'], fields['total']
        if reserved > total or (reserved == total and
                                not reserved_may_equal_total):
            limit = ('greater than total' if reserved_may_equal_total
                     else 'greater than or equal to total')
            raise errors.BadRequest(
                "Unable to %s inventory for resource provider %s: Invalid "
                "inventory for '%s' on resource provider '%s'. The reserved "
                "value is %s." % (action, provider.uuid, rc_name,
                                  provider.uuid, limit))


def _provider_to_write(conn, action: str, uuid: str,
                       inventories: dict[str, dict],
                       reserved_may_equal_total: bool) -> rp_obj.Provider:
    """The provider about to get `inventories`; 404 when there is none,
    400 when an inventory reserves too much."""
    provider = rp_obj.get_or_404(conn, uuid)
    _check_capacity(action, provider, inventories, reserved_may_equal_total)
    return provider


def _from_row(row, rc_name: str) -> Inventory:
    return Inventory(resource_class=rc_name,
                     **{name: getattr(row, name) for name in FIELDS},
                     created_at=row.created_at, updated_at=row.updated_at)


def get_all(conn, provider_id: int) -> dict[str, Inventory]:
    """{class name: Inventory} of one provider."""
    rows = conn.execute(sa.select(_inv).where(
        _inv.c.resource_provider_id == provider_id)).all()
    names = resource_class.names_for(conn, {r.resource_class_id
                                            for r in rows})
    inventories = (_from_row(r, names[r.resource_class_id]) for r in rows)
    return {inv.resource_class: inv for inv in inventories}


def list_for_provider(ctx, uuid: str
                      ) -> tuple[rp_obj.Provider, dict[str, Inventory]]:
    with database.reader(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        return provider, get_all(conn, provider.id)


def _one(conn, provider: rp_obj.Provider, rc_name: str) -> Inventory | None:
    rc_id = resource_class.id_for(conn, rc_name)
    if rc_id is None:
        return None
    row = conn.execute(sa.select(_inv).where(
        _inv.c.resource_provider_id == provider.id,
        _inv.c.resource_class_id == rc_id)).first()
    return _from_row(row, rc_name) if row else None


def show(ctx, uuid: str, rc_name: str) -> tuple[rp_obj.Provider, Inventory]:
    """One inventory; 404 when the provider or the inventory is missing."""
    with database.reader(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        inventory = _one(conn, provider, rc_name)
        if inventory is None:
            raise errors.NotFound('No inventory of class %s for %s'
                                  % (rc_name, uuid))
        return provider, inventory


def _class_id(conn, provider: rp_obj.Provider, rc_name: str,
              action: str) -> int:
    rc_id = resource_class.id_for(conn, rc_name)
    if rc_id is None:
        raise errors.BadRequest(
            'Unable to %s inventory for resource provider %s: No such '
            'resource class %s.' % (action, provider.uuid, rc_name))
    return rc_id


def create(ctx, uuid: str, rc_name: str, data: dict,
           reserved_may_equal_total: bool
           ) -> tuple[rp_obj.Provider, Inventory]:
    """Add one inventory. 400 for an unknown class or bad capacity; 409 if
    the provider already has an inventory of that class."""
    fields = with_defaults(data)
    now = response.now().replace(tzinfo=None)
    with database.writer(ctx) as conn:
        provider = _provider_to_write(conn, 'create', uuid, {rc_name: fields},
                                      reserved_may_equal_total)
        rc_id = _class_id(conn, provider, rc_name, 'create')
        try:
            conn.execute(_inv.insert().values(
                resource_provider_id=provider.id, resource_class_id=rc_id,
                created_at=now, **fields))
        except db_exc.DBDuplicateEntry:
            raise errors.Conflict(
                "Update conflict: Inventory for '%s' on resource provider "
                "'%s' already exists." % (rc_name, uuid))
        rp_obj.bump_generation(conn, provider)
    return provider, Inventory(rc_name, created_at=now, **fields)


def update(ctx, uuid: str, rc_name: str, generation: int, data: dict,
           reserved_may_equal_total: bool
           ) -> tuple[rp_obj.Provider, Inventory]:
    """Change one existing inventory. 400 when the provider has no
    inventory of that class or for bad capacity; 409 concurrent_update on a
    generation mismatch."""
    fields = with_defaults(data)
    now = response.now().replace(tzinfo=None)
    with database.writer(ctx) as conn:
        provider = _provider_to_write(conn, 'update', uuid, {rc_name: fields},
                                      reserved_may_equal_total)
        rp_obj.bump_generation(conn, provider, generation)
        rc_id = resource_class.id_for(conn, rc_name)
        result = conn.execute(_inv.update().where(
            _inv.c.resource_provider_id == provider.id,
            _inv.c.resource_class_id == rc_id).values(updated_at=now,
                                                      **fields))
        if rc_id is None or result.rowcount != 1:
            raise errors.BadRequest(
                'No inventory record with resource class %s for resource '
                'provider %s' % (rc_name, uuid))
    return provider, Inventory(rc_name, updated_at=now, **fields)


def _check_not_in_use(conn, provider: rp_obj.Provider, rc_ids) -> None:
    """409 inventory.inuse if any of these classes has allocations."""
    used = conn.execute(
        sa.select(_alloc.c.resource_class_id).distinct().where(
            _alloc.c.resource_provider_id == provider.id,
            _alloc.c.resource_class_id.in_(list(rc_ids)))).scalars().all()
    if used:
        names = resource_class.names_for(conn, used)
        raise errors.Conflict(
            "Inventory for '%s' on resource provider '%s' in use."
            % (', '.join(names[i] for i in sorted(used)), provider.uuid),
            code=errors.INVENTORY_INUSE)


def write_all(conn, provider: rp_obj.Provider,
              inventories: dict[int, dict]) -> None:
    """Make the provider's inventory exactly {class id: fields} (fields
    complete, as from with_defaults). 409 inventory.inuse when a class to
    remove has allocations. Does not touch the generation. Shrinking below
    what is allocated is allowed: the allocations stay."""
    existing = set(conn.execute(sa.select(_inv.c.resource_class_id).where(
        _inv.c.resource_provider_id == provider.id)).scalars())
    gone = existing - set(inventories)
    now = response.now().replace(tzinfo=None)
    if gone:
        _check_not_in_use(conn, provider, gone)
        conn.execute(_inv.delete().where(
            _inv.c.resource_provider_id == provider.id,
            _inv.c.resource_class_id.in_(list(gone))))
    # One executemany for every kept class; bind names may not be column
    # names in an UPDATE, hence the prefix.
    kept = [dict({'b_' + k: v for k, v in fields.items()}, b_rc=rc_id)
            for rc_id, fields in inventories.items() if rc_id in existing]
    if kept:
        conn.execute(
            _inv.update().where(
                _inv.c.resource_provider_id == provider.id,
                _inv.c.resource_class_id == sa.bindparam('b_rc'))
            .values(updated_at=now,
                    **{name: sa.bindparam('b_' + name) for name in FIELDS}),
            kept)
    added = [dict(fields, resource_provider_id=provider.id,
                  resource_class_id=rc_id, created_at=now)
             for rc_id, fields in inventories.items()
             if rc_id not in existing]
    if added:
        conn.execute(_inv.insert(), added)


def replace(ctx, uuid: str, generation: int, data: dict[str, dict],
            reserved_may_equal_total: bool
            ) -> tuple[rp_obj.Provider, dict[str, Inventory]]:
    """Replace a provider's whole inventory with {class name: fields}.
    400 for unknown classes or bad capacity; 409 concurrent_update on a
    generation mismatch, inventory.inuse when removing a class that has
    allocations."""
    inventories = {name: with_defaults(d) for name, d in data.items()}
    with database.writer(ctx) as conn:
        provider = _provider_to_write(conn, 'update', uuid, inventories,
                                      reserved_may_equal_total)
        ids = resource_class.ids_for(conn, inventories)
        unknown = sorted(set(inventories) - set(ids))
        if unknown:
            raise errors.BadRequest(
                'Unknown resource class in inventory for resource provider '
                '%s: %s' % (uuid, ', '.join(unknown)))
        rp_obj.bump_generation(conn, provider, generation)
        write_all(conn, provider, {ids[name]: fields
                                   for name, fields in inventories.items()})
        return provider, get_all(conn, provider.id)


def delete(ctx, uuid: str, rc_name: str) -> None:
    """Remove one inventory. 404 when there is none of that class; 409
    inventory.inuse when it has allocations."""
    with database.writer(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        rc_id = resource_class.id_for(conn, rc_name)
        if rc_id is not None:
            _check_not_in_use(conn, provider, [rc_id])
            deleted = conn.execute(_inv.delete().where(
                _inv.c.resource_provider_id == provider.id,
                _inv.c.resource_class_id == rc_id)).rowcount
        if rc_id is None or not deleted:
            raise errors.NotFound('No inventory of class %s found for delete'
                                  % rc_name)
        rp_obj.bump_generation(conn, provider)


def delete_all(ctx, uuid: str) -> None:
    """Remove every inventory of a provider (bumping the generation even
    when there was none). 409 inventory.inuse if any has allocations."""
    with database.writer(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        write_all(conn, provider, {})
        rp_obj.bump_generation(conn, provider)
