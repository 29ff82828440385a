"""Queries on a cell's services table: one row per binary per host.

A service's liveness is its heartbeat: `heartbeat()` bumps report_count and
last_seen_up every report_interval, and `is_up()` judges it against
service_down_time. Functions take a Core connection from
engines.cell_reader / cell_writer.
"""

import datetime
from typing import Any

import sqlalchemy as sa

from nova.db.main import tables
from nova.db import writes
from nova.objects.service import Service

_t = tables.services
_FIELDS = ('id', 'uuid', 'host', 'binary', 'topic', 'report_count',
           'disabled', 'disabled_reason', 'forced_down', 'last_seen_up',
           'version', 'created_at', 'updated_at', 'deleted')


def from_row(row: Any) -> Service:
    m = row._mapping
    values = {name: m[name] for name in _FIELDS}
    for flag in ('disabled', 'forced_down'):
        values[flag] = bool(values[flag])
    values['version'] = values['version'] or 0
    return Service(**values)


def list_all(conn: sa.engine.Connection,
             binary: str | None = None) -> list[Service]:
    """Every service not deleted (of `binary`, if given), by id."""
    query = sa.select(_t).where(_t.c.deleted == 0).order_by(_t.c.id)
    if binary is not None:
        query = query.where(_t.c.binary == binary)
    return [from_row(r) for r in conn.execute(query)]


def get(conn: sa.engine.Connection, id: int) -> Service | None:
    row = conn.execute(sa.select(_t).where(_t.c.id == id,
                                           _t.c.deleted == 0)).first()
    return from_row(row) if row is not None else None


def get_by_uuid(conn: sa.engine.Connection, uuid: str) -> Service | None:
    row = conn.execute(sa.select(_t).where(_t.c.uuid == uuid,
                                           _t.c.deleted == 0)).first()
    return from_row(row) if row is not None else None


def destroy(conn: sa.engine.Connection, id: int) -> None:
    """Soft-delete the service (its host may register again)."""
    conn.execute(_t.update().where(_t.c.id == id, _t.c.deleted == 0).values(
        deleted=_t.c.id, deleted_at=datetime.datetime.utcnow()))


def get_by_host_and_binary(conn: sa.engine.Connection, host: str,
                           binary: str) -> Service | None:
    """The live service `binary` on `host`, or None."""
    row = conn.execute(sa.select(_t).where(
        _t.c.host == host, _t.c.binary == binary, _t.c.deleted == 0)).first()
    return from_row(row) if row is not None else None


def create(conn: sa.engine.Connection, service: Service) -> Service:
    """Insert `service` (a uuid is generated if it has none) and return
    it as stored. Raises oslo.db's DBDuplicateEntry if host and binary (or
    topic) already have a live row."""
    created = get(conn, writes.insert(conn, _t, service, _FIELDS))
    assert created is not None  # inserted just above
    return created


def update(conn: sa.engine.Connection, id: int, **values: Any) -> None:
    writes.check_columns(values, _FIELDS, 'services have no column(s) %s')
    conn.execute(_t.update().where(_t.c.id == id).values(**values))


def heartbeat(conn: sa.engine.Connection, service_id: int,
              now: datetime.datetime) -> None:
    """Record that the service reported in at `now` (naive UTC)."""
    conn.execute(_t.update().where(_t.c.id == service_id).values(
        report_count=_t.c.report_count + 1, last_seen_up=now))


def is_up(service: Service, now: datetime.datetime, down_time: int) -> bool:
    """Whether `service` has reported within `down_time` seconds of `now`.

    A service forced down is down whatever its heartbeat says; one that has
    never reported counts from when its row was last written.
    """
    if service.forced_down:
        return False
    seen = service.last_seen_up or service.updated_at or service.created_at
    if seen is None:
        return False
    return abs((now - seen).total_seconds()) <= down_time
