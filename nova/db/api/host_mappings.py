"""Queries on host_mappings: which cell each compute host is in."""

from typing import Any

import sqlalchemy as sa

from nova.db.api import cell_mappings
from nova.db.api import tables
from nova import exception
from nova.objects.host_mapping import HostMapping

_t = tables.host_mappings
_cells = tables.cell_mappings


def _select() -> sa.Select:
    return (sa.select(_t, *cell_mappings.columns('cellmap_'))
            .join(_cells, _t.c.cell_id == _cells.c.id))


def _from_row(row: Any) -> HostMapping:
    m = row._mapping
    return HostMapping(id=m['id'], host=m['host'],
                       cell=cell_mappings.from_row(row, 'cellmap_'),
                       created_at=m['created_at'], updated_at=m['updated_at'])


def list_all(conn: sa.engine.Connection,
             cell_uuid: str | None = None) -> list[HostMapping]:
    """Every host mapping (of one cell, if given), by host."""
    query = _select().order_by(_t.c.host)
    if cell_uuid is not None:
        query = query.where(_cells.c.uuid == cell_uuid)
    return [_from_row(r) for r in conn.execute(query)]


def get_by_host(conn: sa.engine.Connection, host: str) -> HostMapping:
    row = conn.execute(_select().where(_t.c.host == host)).first()
    if row is None:
        raise exception.HostMappingNotFound(name=host)
    return _from_row(row)


def mapped_hosts(conn: sa.engine.Connection, hosts: list[str]) -> set[str]:
    """Those of `hosts` that already have a mapping."""
    if not hosts:
        return set()
    rows = conn.execute(sa.select(_t.c.host).where(_t.c.host.in_(hosts)))
    return {r.host for r in rows}


def create(conn: sa.engine.Connection, host: str,
           cell_id: int) -> HostMapping:
    conn.execute(_t.insert().values(host=host, cell_id=cell_id))
    return get_by_host(conn, host)


def delete(conn: sa.engine.Connection, host: str) -> None:
    result = conn.execute(_t.delete().where(_t.c.host == host))
    if not result.rowcount:
        raise exception.HostMappingNotFound(name=host)


def count_in_cell(conn: sa.engine.Connection, cell_id: int) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(_t)
                        .where(_t.c.cell_id == cell_id)).scalar_one()
