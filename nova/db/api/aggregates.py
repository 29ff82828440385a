"""Queries on aggregates, aggregate_hosts and aggregate_metadata.

An aggregate is read whole (hosts and metadata with it). Names are unique;
a host is in an aggregate at most once. Functions take a Core connection
from engines.api_reader / api_writer.
"""

from collections.abc import Sequence
from typing import Any

from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from nova.db.api import tables
from nova import exception
from nova.objects.aggregate import AZ_KEY
from nova.objects.aggregate import Aggregate

_agg = tables.aggregates
_hosts = tables.aggregate_hosts
_meta = tables.aggregate_metadata


def _load(conn: sa.engine.Connection,
          rows: Sequence[Any]) -> list[Aggregate]:
    """Aggregates of `rows`, their hosts and metadata read in two more
    queries whatever their number."""
    found = {r.id: Aggregate(id=r.id, uuid=r.uuid, name=r.name,
                             created_at=r.created_at,
                             updated_at=r.updated_at) for r in rows}
    if not found:
        return []
    ids = list(found)
    for row in conn.execute(sa.select(_hosts.c.aggregate_id, _hosts.c.host)
                            .where(_hosts.c.aggregate_id.in_(ids))
                            .order_by(_hosts.c.id)):
        found[row.aggregate_id].hosts.append(row.host)
    for meta in conn.execute(sa.select(_meta.c.aggregate_id, _meta.c.key,
                                       _meta.c.value)
                             .where(_meta.c.aggregate_id.in_(ids))
                             .order_by(_meta.c.id)):
        found[meta.aggregate_id].metadata[meta.key] = meta.value
    return [found[r.id] for r in rows]


def _id(aggregate_id: Any) -> int | None:
    try:
        return int(aggregate_id)
    except (TypeError, ValueError):
        return None


def list_all(conn: sa.engine.Connection) -> list[Aggregate]:
    """Every aggregate, by id."""
    return _load(conn, conn.execute(sa.select(_agg).order_by(_agg.c.id))
                 .all())


def get(conn: sa.engine.Connection, aggregate_id: Any) -> Aggregate:
    """The aggregate of that id; AggregateNotFound (also for an id that
    is not an integer)."""
    id = _id(aggregate_id)
    rows = [] if id is None else conn.execute(
        sa.select(_agg).where(_agg.c.id == id)).all()
    if not rows:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return _load(conn, rows)[0]


def list_by_host(conn: sa.engine.Connection, host: str,
                 key: str | None = None) -> list[Aggregate]:
    """The aggregates `host` is in (those having metadata `key`, if
    given), by id."""
    query = (sa.select(_agg).join(_hosts, _hosts.c.aggregate_id == _agg.c.id)
             .where(_hosts.c.host == host).order_by(_agg.c.id))
    if key is not None:
        query = query.where(sa.exists().where(_meta.c.aggregate_id ==
                                              _agg.c.id, _meta.c.key == key))
    return _load(conn, conn.execute(query).all())


def by_hosts(conn: sa.engine.Connection,
             hosts: list[str]) -> dict[str, list[Aggregate]]:
    """{host: the aggregates it is in} for those of `hosts` in any."""
    if not hosts:
        return {}
    pairs = conn.execute(sa.select(_hosts.c.host, _hosts.c.aggregate_id)
                         .where(_hosts.c.host.in_(sorted(set(hosts))))
                         .order_by(_hosts.c.aggregate_id)).all()
    ids = sorted({p.aggregate_id for p in pairs})
    loaded = {a.id: a for a in _load(conn, conn.execute(
        sa.select(_agg).where(_agg.c.id.in_(ids)).order_by(_agg.c.id))
        .all())} if ids else {}
    out: dict[str, list[Aggregate]] = {}
    for pair in pairs:
        out.setdefault(pair.host, []).append(loaded[pair.aggregate_id])
    return out


def zones_by_host(conn: sa.engine.Connection) -> dict[str, set[str]]:
    """{host: the availability zones its aggregates name} in one query."""
    rows = conn.execute(
        sa.select(_hosts.c.host, _meta.c.value)
        .join(_meta, _meta.c.aggregate_id == _hosts.c.aggregate_id)
        .where(_meta.c.key == AZ_KEY))
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row.host, set()).add(row.value)
    return out


def _name_taken(conn: sa.engine.Connection, name: str,
                other_than: int | None = None) -> bool:
    query = sa.select(_agg.c.id).where(_agg.c.name == name)
    if other_than is not None:
        query = query.where(_agg.c.id != other_than)
    return conn.execute(query).first() is not None


def create(conn: sa.engine.Connection, name: str,
           metadata: dict[str, str] | None = None) -> Aggregate:
    """A new aggregate with a fresh uuid; AggregateNameExists."""
    if _name_taken(conn, name):
        raise exception.AggregateNameExists(aggregate_name=name)
    try:
        result = conn.execute(_agg.insert().values(
            uuid=uuidutils.generate_uuid(), name=name))
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateNameExists(aggregate_name=name)
    key = result.inserted_primary_key
    assert key is not None  # set by every single-row insert
    id = key[0]
    if metadata:
        conn.execute(_meta.insert(), [
            {'aggregate_id': id, 'key': k, 'value': v}
            for k, v in metadata.items()])
    return get(conn, id)


def _touch(conn: sa.engine.Connection, id: int) -> None:
    conn.execute(_agg.update().where(_agg.c.id == id)
                 .values(updated_at=timeutils.utcnow()))


def rename(conn: sa.engine.Connection, id: int, name: str) -> None:
    """AggregateNameExists if another aggregate has `name`."""
    if _name_taken(conn, name, other_than=id):
        raise exception.AggregateNameExists(aggregate_name=name)
    try:
        conn.execute(_agg.update().where(_agg.c.id == id).values(name=name))
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateNameExists(aggregate_name=name)


def update_metadata(conn: sa.engine.Connection, id: int,
                    updates: dict[str, str | None]) -> None:
    """Set each key to its value; a None value deletes the key (a key
    that is not there is no error)."""
    for key, value in updates.items():
        conn.execute(_meta.delete().where(_meta.c.aggregate_id == id,
                                          _meta.c.key == key))
        if value is not None:
            conn.execute(_meta.insert().values(aggregate_id=id, key=key,
                                               value=value))
    _touch(conn, id)


def add_host(conn: sa.engine.Connection, id: int, host: str) -> None:
    """AggregateHostExists if the host is in the aggregate already."""
    exists = conn.execute(sa.select(_hosts.c.id).where(
        _hosts.c.aggregate_id == id, _hosts.c.host == host)).first()
    if exists is not None:
        raise exception.AggregateHostExists(aggregate_id=id, host=host)
    try:
        conn.execute(_hosts.insert().values(aggregate_id=id, host=host))
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateHostExists(aggregate_id=id, host=host)
    _touch(conn, id)


def remove_host(conn: sa.engine.Connection, id: int, host: str) -> None:
    """AggregateHostNotFound if the host is not in the aggregate."""
    result = conn.execute(_hosts.delete().where(
        _hosts.c.aggregate_id == id, _hosts.c.host == host))
    if not result.rowcount:
        raise exception.AggregateHostNotFound(aggregate_id=id, host=host)
    _touch(conn, id)


def destroy(conn: sa.engine.Connection, id: int) -> None:
    """Delete the aggregate and its metadata (the caller checked it has
    no hosts)."""
    conn.execute(_meta.delete().where(_meta.c.aggregate_id == id))
    conn.execute(_hosts.delete().where(_hosts.c.aggregate_id == id))
    if not conn.execute(_agg.delete().where(_agg.c.id == id)).rowcount:
        raise exception.AggregateNotFound(aggregate_id=id)
