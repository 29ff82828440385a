"""Queries on cell_mappings: the list of cells."""

from typing import Any

import sqlalchemy as sa

from nova.db.api import tables
from nova.db import writes
from nova import exception
from nova.objects import cell_mapping
from nova.objects.cell_mapping import CellMapping

_t = tables.cell_mappings


def from_row(row: Any, prefix: str = '') -> CellMapping:
    """A CellMapping from a row whose columns may carry `prefix`, its URL
    templates expanded with this host's configuration."""
    m = row._mapping
    return CellMapping(
        id=m[prefix + 'id'], uuid=m[prefix + 'uuid'], name=m[prefix + 'name'],
        transport_url=cell_mapping.format_mq_url(m[prefix + 'transport_url']),
        database_connection=cell_mapping.format_db_url(
            m[prefix + 'database_connection']),
        disabled=bool(m[prefix + 'disabled']),
        created_at=m[prefix + 'created_at'],
        updated_at=m[prefix + 'updated_at'])


def columns(prefix: str) -> list:
    """cell_mappings' columns labelled with `prefix`, for joins."""
    return [c.label(prefix + c.name) for c in _t.c]


def list_all(conn: sa.engine.Connection) -> list[CellMapping]:
    """Every cell, by name (unnamed ones first), then uuid."""
    rows = conn.execute(sa.select(_t).order_by(_t.c.name, _t.c.uuid))
    return [from_row(r) for r in rows]


def get(conn: sa.engine.Connection, uuid: str) -> CellMapping:
    row = conn.execute(sa.select(_t).where(_t.c.uuid == uuid)).first()
    if row is None:
        raise exception.CellMappingNotFound(uuid=uuid)
    return from_row(row)


def get_by_id(conn: sa.engine.Connection, id: int) -> CellMapping:
    row = conn.execute(sa.select(_t).where(_t.c.id == id)).first()
    if row is None:
        raise exception.CellMappingNotFound(uuid='with id %s' % id)
    return from_row(row)


def get_by_name(conn: sa.engine.Connection, name: str) -> list[CellMapping]:
    """Cells called `name` (names need not be unique)."""
    rows = conn.execute(sa.select(_t).where(_t.c.name == name)
                        .order_by(_t.c.uuid))
    return [from_row(r) for r in rows]


def create(conn: sa.engine.Connection, mapping: CellMapping) -> CellMapping:
    conn.execute(_t.insert().values(
        uuid=mapping.uuid, name=mapping.name,
        transport_url=mapping.transport_url,
        database_connection=mapping.database_connection,
        disabled=mapping.disabled))
    return get(conn, mapping.uuid)


_UPDATABLE = ('name', 'transport_url', 'database_connection', 'disabled')


def update(conn: sa.engine.Connection, uuid: str,
           **values: Any) -> CellMapping:
    writes.check_columns(values, _UPDATABLE,
                         'Cannot update cell mapping fields %s')
    writes.update_one(conn, _t, _t.c.uuid == uuid, values,
                      lambda: exception.CellMappingNotFound(uuid=uuid))
    return get(conn, uuid)


def delete(conn: sa.engine.Connection, uuid: str) -> None:
    result = conn.execute(_t.delete().where(_t.c.uuid == uuid))
    if not result.rowcount:
        raise exception.CellMappingNotFound(uuid=uuid)
