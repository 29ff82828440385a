"""Traits: the standard ones (os-traits), written to the table at start,
and CUSTOM_* ones created through the API; and the set of traits each
resource provider has."""

import dataclasses
import datetime
import threading

from oslo_db import exception as db_exc
import os_traits
import sqlalchemy as sa

from placement import database
from placement import errors
from placement import response
from placement import tables

_t = tables.traits
_rpt = tables.resource_provider_traits
_synced = False
_sync_lock = threading.Lock()

CUSTOM_PREFIX = 'CUSTOM_'


@dataclasses.dataclass
class ProviderTraits:
    """A provider's trait names, its generation, and the newest change
    time among those traits (None when it has none)."""
    names: list[str]
    generation: int
    updated: datetime.datetime | None


def ensure_standards(ctx) -> None:
    """Write any os-traits trait missing from the table, once per process."""
    global _synced
    with _sync_lock:
        if _synced:
            return
        wanted = set(os_traits.get_traits())
        with database.writer(ctx) as conn:
            have = set(conn.execute(sa.select(_t.c.name).where(
                ~_t.c.name.startswith(CUSTOM_PREFIX))).scalars())
            missing = sorted(wanted - have)
            if missing:
                try:
                    with conn.begin_nested():
                        conn.execute(_t.insert(), [
                            {'name': n, 'created_at': _now()}
                            for n in missing])
                except db_exc.DBDuplicateEntry:
                    # Another process synced at the same moment.
                    pass
        _synced = True


def ids_for(conn, names) -> dict[str, int]:
    """{name: id} for those of `names` that exist."""
    names = list(names)
    if not names:
        return {}
    rows = conn.execute(sa.select(_t.c.name, _t.c.id).where(
        _t.c.name.in_(names)))
    return {name: id_ for name, id_ in rows}


def _now() -> datetime.datetime:
    return response.now().replace(tzinfo=None)


def _changed(row) -> datetime.datetime | None:
    return response.newest(row.created_at, row.updated_at)


def ensure(ctx, name: str) -> tuple[bool, datetime.datetime | None]:
    """Create the custom trait `name` unless it exists. Returns whether it
    was created, and when the trait last changed."""
    with database.writer(ctx) as conn:
        row = conn.execute(sa.select(_t.c.created_at, _t.c.updated_at).where(
            _t.c.name == name)).first()
        if row is not None:
            return False, _changed(row)
        stamp = _now()
        try:
            with conn.begin_nested():
                conn.execute(_t.insert().values(name=name, created_at=stamp))
        except db_exc.DBDuplicateEntry:
            # Created by a concurrent request since we looked.
            return False, response.newest(stamp)
        return True, response.newest(stamp)


def changed_at(ctx, name: str) -> datetime.datetime | None:
    """When trait `name` last changed; 404 when there is no such trait."""
    with database.reader(ctx) as conn:
        row = conn.execute(sa.select(_t.c.created_at, _t.c.updated_at).where(
            _t.c.name == name)).first()
    if row is None:
        raise errors.NotFound('No such trait(s): %s.' % name)
    return _changed(row)


def delete(ctx, name: str) -> None:
    """Delete custom trait `name`: 404 when missing, 400 for a standard
    trait, 409 while any provider has it."""
    with database.writer(ctx) as conn:
        trait_id = conn.execute(sa.select(_t.c.id).where(
            _t.c.name == name)).scalar()
        if trait_id is None:
            raise errors.NotFound('No such trait(s): %s.' % name)
        if not name.startswith(CUSTOM_PREFIX):
            raise errors.BadRequest('Cannot delete standard trait %s.' % name)
        in_use = errors.Conflict('The trait %s is in use by a resource '
                                 'provider.' % name)
        if conn.execute(sa.select(sa.exists().where(
                _rpt.c.trait_id == trait_id))).scalar():
            raise in_use
        try:
            conn.execute(_t.delete().where(_t.c.id == trait_id))
        except db_exc.DBReferenceError:
            # A provider got the trait in a transaction we could not see.
            raise in_use


def list_traits(ctx, names: list[str] | None = None,
                prefix: str | None = None,
                associated: bool | None = None
                ) -> tuple[list[str], datetime.datetime | None]:
    """Trait names, sorted, filtered by exact `names`, a name `prefix`, and
    whether any provider has them; with the newest change among them."""
    query = sa.select(_t.c.name, _t.c.created_at, _t.c.updated_at)
    if names is not None:
        query = query.where(_t.c.name.in_(names))
    if prefix is not None:
        query = query.where(_t.c.name.startswith(prefix, autoescape=True))
    if associated is not None:
        used = sa.exists().where(_rpt.c.trait_id == _t.c.id)
        query = query.where(used if associated else ~used)
    with database.reader(ctx) as conn:
        rows = conn.execute(query.order_by(_t.c.name)).all()
    return ([row.name for row in rows],
            response.newest(*(_changed(row) for row in rows)))


def _rp_obj():
    # Imported late: resource_provider imports placement.query, which
    # imports this module.
    from placement.objects import resource_provider
    return resource_provider


def _traits_of(conn, provider) -> ProviderTraits:
    rows = conn.execute(
        sa.select(_t.c.name, _t.c.created_at, _t.c.updated_at)
        .select_from(_rpt.join(_t, _t.c.id == _rpt.c.trait_id))
        .where(_rpt.c.resource_provider_id == provider.id)
        .order_by(_t.c.name)).all()
    return ProviderTraits(
        names=[row.name for row in rows], generation=provider.generation,
        updated=response.newest(*(_changed(row) for row in rows)))


def provider_traits(ctx, uuid: str) -> ProviderTraits:
    """The traits of provider `uuid` (404 when there is no such provider)."""
    with database.reader(ctx) as conn:
        return _traits_of(conn, _rp_obj().get_or_404(conn, uuid))


def _replace_provider_traits(conn, provider,
                             wanted: dict[str, int]) -> None:
    have = set(conn.execute(sa.select(_rpt.c.trait_id).where(
        _rpt.c.resource_provider_id == provider.id)).scalars())
    keep = set(wanted.values())
    gone = have - keep
    if gone:
        conn.execute(_rpt.delete().where(
            _rpt.c.resource_provider_id == provider.id,
            _rpt.c.trait_id.in_(gone)))
    added = keep - have
    if added:
        stamp = _now()
        conn.execute(_rpt.insert(), [
            {'resource_provider_id': provider.id, 'trait_id': trait_id,
             'created_at': stamp} for trait_id in sorted(added)])


def set_provider_traits(ctx, uuid: str, names: list[str],
                        generation: int | None) -> ProviderTraits:
    """Make `names` the whole trait set of provider `uuid` and move it to
    its next generation. 404 for an unknown provider, 400 for unknown
    traits, 409 (placement.concurrent_update) when `generation` (None: the
    one just read) is not the provider's current one."""
    rp_obj = _rp_obj()
    with database.writer(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        wanted = ids_for(conn, names)
        missing = sorted(set(names) - set(wanted))
        if missing:
            raise errors.BadRequest('No such trait(s): %s.'
                                    % ', '.join(missing))
        rp_obj.bump_generation(
            conn, provider, generation,
            "Resource provider's generation already changed. Please update "
            "the generation and try again.")
        _replace_provider_traits(conn, provider, wanted)
        return _traits_of(conn, provider)
