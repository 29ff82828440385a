"""Queries on a cell's compute_nodes table: the hypervisor nodes each
nova-compute reports, with their size and usage.

Functions take a Core connection from engines.cell_reader / cell_writer.
"""

import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa

from nova.db.main import tables
from nova.db import writes
from nova.objects.compute_node import ComputeNode

_t = tables.compute_nodes
_FIELDS = tuple(f.name for f in dataclasses.fields(ComputeNode))
_DEFAULTED = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
              'memory_mb_used', 'local_gb_used', 'hypervisor_version',
              'mapped', 'deleted')


def from_row(row: Any) -> ComputeNode:
    m = row._mapping
    values = {name: m[name] for name in _FIELDS}
    for name in _DEFAULTED:
        values[name] = values[name] or 0
    if values['host_ip'] is not None:
        values['host_ip'] = str(values['host_ip'])
    return ComputeNode(**values)


def list_all(conn: sa.engine.Connection) -> list[ComputeNode]:
    """Every compute node not deleted, by id."""
    rows = conn.execute(sa.select(_t).where(_t.c.deleted == 0)
                        .order_by(_t.c.id))
    return [from_row(r) for r in rows]


def list_by_host(conn: sa.engine.Connection,
                 host: str) -> list[ComputeNode]:
    rows = conn.execute(sa.select(_t).where(_t.c.host == host,
                                            _t.c.deleted == 0)
                        .order_by(_t.c.id))
    return [from_row(r) for r in rows]


def list_by_uuids(conn: sa.engine.Connection,
                  uuids: list[str]) -> list[ComputeNode]:
    """The live nodes among `uuids` (placement's provider uuids)."""
    if not uuids:
        return []
    rows = conn.execute(sa.select(_t).where(_t.c.uuid.in_(uuids),
                                            _t.c.deleted == 0)
                        .order_by(_t.c.id))
    return [from_row(r) for r in rows]


def search(conn: sa.engine.Connection, pattern: str) -> list[ComputeNode]:
    """The live nodes whose hypervisor_hostname contains `pattern`."""
    rows = conn.execute(sa.select(_t).where(
        _t.c.hypervisor_hostname.contains(pattern, autoescape=True),
        _t.c.deleted == 0).order_by(_t.c.id))
    return [from_row(r) for r in rows]


def destroy_by_host(conn: sa.engine.Connection, host: str) -> None:
    """Soft-delete every node of `host` (its service is being deleted)."""
    conn.execute(_t.update().where(_t.c.host == host, _t.c.deleted == 0)
                 .values(deleted=_t.c.id,
                         deleted_at=datetime.datetime.utcnow()))


def get(conn: sa.engine.Connection, id: int) -> ComputeNode | None:
    row = conn.execute(sa.select(_t).where(_t.c.id == id,
                                           _t.c.deleted == 0)).first()
    return from_row(row) if row is not None else None


def get_by_host_and_nodename(conn: sa.engine.Connection, host: str,
                             nodename: str) -> ComputeNode | None:
    """The live node `nodename` of compute `host`, or None."""
    row = conn.execute(sa.select(_t).where(
        _t.c.host == host, _t.c.hypervisor_hostname == nodename,
        _t.c.deleted == 0)).first()
    return from_row(row) if row is not None else None


def create(conn: sa.engine.Connection, node: ComputeNode) -> ComputeNode:
    """Insert `node` (a uuid is generated if it has none) and return it as
    stored. Raises oslo.db's DBDuplicateEntry if the host already has a
    live node of that name."""
    created = get(conn, writes.insert(conn, _t, node, _FIELDS))
    assert created is not None  # inserted just above
    return created


def update(conn: sa.engine.Connection, id: int, **values: Any) -> None:
    writes.check_columns(values, _FIELDS,
                         'compute_nodes have no column(s) %s')
    conn.execute(_t.update().where(_t.c.id == id).values(**values))


def mark_mapped(conn: sa.engine.Connection, ids: list[int],
                mapped: bool = True) -> None:
    """Record that the nodes' hosts have (or no longer have) a host
    mapping, so that discover_hosts skips (or finds again) them."""
    if ids:
        conn.execute(_t.update().where(_t.c.id.in_(ids))
                     .values(mapped=1 if mapped else 0))
