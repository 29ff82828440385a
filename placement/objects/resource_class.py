"""Resource classes: the standard ones (os-resource-classes, fixed ids from
their position in that list) and CUSTOM_* ones (ids from 10000)."""

import contextlib
import datetime
import threading

import os_resource_classes as orc
from oslo_db import exception as db_exc
import sqlalchemy as sa

from placement import database
from placement import errors
from placement import response
from placement import tables

CUSTOM_ID_START = 10000
STANDARD_IDS = {name: idx for idx, name in enumerate(orc.STANDARDS)}
STANDARD_NAMES = {idx: name for name, idx in STANDARD_IDS.items()}

_rc = tables.resource_classes
_inv = tables.inventories
_alloc = tables.allocations
# Concurrent creators may pick the same next id; each retry re-reads it.
_ID_ATTEMPTS = 10
_synced = False
_sync_lock = threading.Lock()


def ensure_standards(ctx) -> None:
    """Write any standard class missing from the table (once per process;
    several processes may race, the loser's duplicates are ignored)."""
    global _synced
    with _sync_lock:
        if _synced:
            return
        with database.writer(ctx) as conn:
            have = set(conn.execute(sa.select(_rc.c.id).where(
                _rc.c.id < CUSTOM_ID_START)).scalars())
            missing = [{'id': i, 'name': n} for n, i in STANDARD_IDS.items()
                       if i not in have]
            if missing:
                with _zero_is_an_id(conn):
                    for row in missing:
                        try:
                            with conn.begin_nested():
                                conn.execute(_rc.insert().values(**row))
                        except db_exc.DBDuplicateEntry:
                            pass
        _synced = True


@contextlib.contextmanager
def _zero_is_an_id(conn):
    """MySQL takes an explicit id 0 (VCPU's) as "next auto-increment value"
    unless told otherwise for the session."""
    if conn.dialect.name != 'mysql':
        yield
        return
    mode = conn.exec_driver_sql('SELECT @@SESSION.sql_mode').scalar()
    conn.exec_driver_sql(
        "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, "
        "',NO_AUTO_VALUE_ON_ZERO')")
    try:
        yield
    finally:
        conn.exec_driver_sql('SET SESSION sql_mode = %s', (mode,))


def id_for(conn, name: str) -> int | None:
    """The id of the class called `name`, or None when there is none."""
    return ids_for(conn, [name]).get(name)


def ids_for(conn, names) -> dict[str, int]:
    """{name: id} for those of `names` that exist."""
    return _look_up(conn, names, STANDARD_IDS, _rc.c.name, _rc.c.id)


def names_for(conn, ids) -> dict[int, str]:
    """{id: name} for the given class ids."""
    return _look_up(conn, ids, STANDARD_NAMES, _rc.c.id, _rc.c.name)


def _look_up(conn, keys, standard: dict, key_column, value_column) -> dict:
    """{key: value} for those of `keys` that exist: standard classes from
    `standard`, custom ones from the table."""
    found = {k: standard[k] for k in keys if k in standard}
    custom = [k for k in keys if k not in standard]
    if custom:
        rows = conn.execute(sa.select(key_column, value_column).where(
            key_column.in_(custom)))
        found.update({key: value for key, value in rows})
    return found


def _now() -> datetime.datetime:
    return response.now().replace(tzinfo=None)


def list_names(ctx) -> list[str]:
    """Every class name, standard ones first, in id order."""
    with database.reader(ctx) as conn:
        return list(conn.execute(
            sa.select(_rc.c.name).order_by(_rc.c.id)).scalars())


def changed_at(ctx, name: str) -> datetime.datetime | None:
    """When class `name` last changed (None for a standard class, which
    never does); 404 when there is no such class."""
    with database.reader(ctx) as conn:
        row = conn.execute(sa.select(_rc.c.created_at, _rc.c.updated_at)
                           .where(_rc.c.name == name)).first()
    if row is None:
        raise _not_found(name)
    return response.newest(row.created_at, row.updated_at)


def _not_found(name: str) -> errors.NotFound:
    return errors.NotFound('No such resource class %s.' % name)


def _custom_id(conn, name: str, action: str) -> int:
    """The id of custom class `name`, which is about to be changed by
    `action` ('update', 'delete'): 400 for a standard class, 404 when
    there is no such class."""
    if name in STANDARD_IDS:
        raise errors.BadRequest('Cannot %s standard resource class %s'
                                % (action, name))
    class_id = id_for(conn, name)
    if class_id is None:
        raise _not_found(name)
    return class_id


def _insert_custom(conn, name: str) -> None:
    """Insert custom class `name` with the next free id from
    CUSTOM_ID_START; 409 if the name is taken."""
    taken = _duplicate('Conflicting resource class already exists: %s'
                       % name)
    if id_for(conn, name) is not None:
        raise taken
    for _attempt in range(_ID_ATTEMPTS):
        # Locking the highest row makes concurrent creators take turns.
        highest = conn.execute(sa.select(_rc.c.id).order_by(
            _rc.c.id.desc()).limit(1).with_for_update()).scalar()
        next_id = max(CUSTOM_ID_START, (highest or 0) + 1)
        try:
            with conn.begin_nested():
                conn.execute(_rc.insert().values(
                    id=next_id, name=name, created_at=_now()))
            return
        except db_exc.DBDuplicateEntry:
            # A concurrent writer took the id or the name; a locking read
            # sees its committed row even under repeatable read.
            if conn.execute(sa.select(_rc.c.id).where(
                    _rc.c.name == name).with_for_update()).first():
                raise taken
    raise errors.Conflict('Could not allocate an id for resource class %s; '
                          'try again.' % name)


def _duplicate(detail: str) -> errors.Conflict:
    return errors.Conflict(detail, code=errors.DUPLICATE_NAME)


def create(ctx, name: str) -> None:
    """Create custom class `name`; 409 when it exists."""
    with database.writer(ctx) as conn:
        _insert_custom(conn, name)


def ensure(ctx, name: str) -> bool:
    """Create custom class `name` unless it exists; True if created."""
    with database.writer(ctx) as conn:
        if id_for(conn, name) is not None:
            return False
        try:
            _insert_custom(conn, name)
        except errors.Conflict:
            # Created by a concurrent request since we looked.
            if id_for(conn, name) is None:
                raise
            return False
        return True


def rename(ctx, name: str, new_name: str) -> None:
    """Rename custom class `name` to `new_name`: 400 for a standard class,
    404 when missing, 409 when `new_name` is taken."""
    with database.writer(ctx) as conn:
        class_id = _custom_id(conn, name, 'update')
        if id_for(conn, new_name) is not None:
            raise _duplicate('Resource class already exists: %s' % new_name)
        try:
            with conn.begin_nested():
                conn.execute(_rc.update().where(_rc.c.id == class_id).values(
                    name=new_name, updated_at=_now()))
        except db_exc.DBDuplicateEntry:
            raise _duplicate('Resource class already exists: %s' % new_name)


def delete(ctx, name: str) -> None:
    """Delete custom class `name`: 400 for a standard class, 404 when
    missing, 409 while inventories or allocations use it."""
    with database.writer(ctx) as conn:
        class_id = _custom_id(conn, name, 'delete')
        usage = conn.execute(sa.select(
            sa.exists().where(_inv.c.resource_class_id == class_id),
            sa.exists().where(_alloc.c.resource_class_id == class_id))).one()
        if usage[0] or usage[1]:
            where = 'inventory' if usage[0] else 'allocations'
            raise errors.Conflict('Error in delete resource class: Class is '
                                  'in use in %s' % where)
        conn.execute(_rc.delete().where(_rc.c.id == class_id))
