"""Queries on a cell's migrations table (resizes and cold migrations).

A migration is in progress until it reaches one of DONE_STATUSES; while
it is, the instance may not start another move.
"""

import dataclasses
from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.main import tables
from nova.db import writes
from nova import exception
from nova.objects.migration import Migration

LOG = logging.getLogger(__name__)

_t = tables.migrations
_FIELDS = tuple(f.name for f in dataclasses.fields(Migration))
_UPDATABLE = tuple(f for f in _FIELDS if f not in ('id', 'uuid',
                                                    'created_at'))
DONE_STATUSES = ('confirmed', 'reverted', 'error', 'failed', 'completed',
                 'cancelled', 'done')


def _from_row(row: Any) -> Migration:
    return Migration(**{name: row._mapping[name] for name in _FIELDS})


def create(conn: sa.engine.Connection, migration: Migration) -> Migration:
    """Insert the migration (a uuid is generated if it has none)."""
    made = get(conn, writes.insert(conn, _t, migration, _FIELDS))
    LOG.info('Migration %s (%s) of instance %s from %s', made.uuid,
             made.migration_type, made.instance_uuid, made.source_compute)
    return made


def get(conn: sa.engine.Connection, id: int) -> Migration:
    """The live migration `id` (MigrationNotFound if none)."""
    return _get_one(conn, _t.c.id == id, id)


def get_by_uuid(conn: sa.engine.Connection, uuid: str) -> Migration:
    """The live migration `uuid` (MigrationNotFound if none)."""
    return _get_one(conn, _t.c.uuid == uuid, uuid)


def _get_one(conn: sa.engine.Connection, where: Any,
             key: int | str) -> Migration:
    row = conn.execute(sa.select(_t).where(where, _t.c.deleted == 0)).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=key)
    return _from_row(row)


def update(conn: sa.engine.Connection, id: int, **values: Any) -> Migration:
    """Change Migration fields (not id, uuid, created_at); return it."""
    writes.check_columns(values, _UPDATABLE,
                         'Cannot update migration field(s) %s')
    values['updated_at'] = timeutils.utcnow()
    writes.update_one(conn, _t, sa.and_(_t.c.id == id, _t.c.deleted == 0),
                      values,
                      lambda: exception.MigrationNotFound(migration_id=id))
    return get(conn, id)


def get_in_progress_by_instance(conn: sa.engine.Connection, uuid: str,
                                migration_type: str | None = None
                                ) -> Migration | None:
    """The instance's newest migration (of `migration_type`, if given)
    that has not reached a DONE_STATUSES status, or None."""
    query = sa.select(_t).where(_t.c.deleted == 0,
                                _t.c.instance_uuid == uuid,
                                _t.c.status.not_in(DONE_STATUSES))
    if migration_type is not None:
        query = query.where(_t.c.migration_type == migration_type)
    row = conn.execute(query.order_by(_t.c.created_at.desc(),
                                      _t.c.id.desc())).first()
    return _from_row(row) if row is not None else None


def list_migrations(conn: sa.engine.Connection,
                    filters: dict[str, Any]) -> list[Migration]:
    """Migrations, newest first, matching `filters`: instance_uuid,
    status, migration_type, source_compute, dest_compute (each a value or
    a list), host (either side), changes-since (updated_at at or after),
    changes-before (updated_at at or before).
    A filter whose value is None is no filter."""
    query = sa.select(_t).where(_t.c.deleted == 0)
    for name, value in filters.items():
        if value is None:
            continue
        if name == 'host':
            query = query.where(sa.or_(_t.c.source_compute == value,
                                       _t.c.dest_compute == value))
        elif name == 'changes-since':
            query = query.where(_t.c.updated_at >= value)
        elif name == 'changes-before':
            query = query.where(_t.c.updated_at <= value)
        elif name in ('instance_uuid', 'status', 'migration_type',
                      'source_compute', 'dest_compute'):
            wanted = (list(value) if isinstance(value, (list, tuple, set))
                      else [value])
            query = query.where(_t.c[name].in_(wanted))
        else:
            raise ValueError('Unknown migration filter %s' % name)
    rows = conn.execute(query.order_by(_t.c.created_at.desc(),
                                       _t.c.id.desc()))
    return [_from_row(r) for r in rows]
