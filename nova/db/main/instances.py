"""Queries on a cell's instances table."""

import datetime
from typing import Literal, NamedTuple

import sqlalchemy as sa

from nova.db.main import tables

_t = tables.instances


class InstanceRef(NamedTuple):
    """Just enough of an instance to map it to its cell."""
    uuid: str
    project_id: str | None
    user_id: str | None
    created_at: datetime.datetime | None
    id: int


def page_all(conn: sa.engine.Connection, limit: int,
             marker: str | None = None) -> list[InstanceRef]:
    """Instances, deleted ones included, oldest first, after the one whose
    uuid is `marker` (from the start when the marker is gone)."""
    query = sa.select(_t.c.uuid, _t.c.project_id, _t.c.user_id,
                      _t.c.created_at, _t.c.id)
    if marker is not None:
        after = conn.execute(sa.select(_t.c.created_at, _t.c.id)
                             .where(_t.c.uuid == marker)).first()
        if after is not None:
            query = query.where(_after(after.created_at, after.id))
    # NULL created_at first on every backend (PostgreSQL puts it last).
    has_created = sa.case((_t.c.created_at.is_(None), 0), else_=1)
    rows = conn.execute(query.order_by(has_created, _t.c.created_at, _t.c.id)
                        .limit(limit))
    return [InstanceRef(*r) for r in rows]


def _after(created_at: datetime.datetime | None, id: int) -> sa.ColumnElement:
    if created_at is None:
        return sa.or_(_t.c.created_at.is_not(None),
                      sa.and_(_t.c.created_at.is_(None), _t.c.id > id))
    return sa.or_(_t.c.created_at > created_at,
                  sa.and_(_t.c.created_at == created_at, _t.c.id > id))


def state(conn: sa.engine.Connection,
          uuid: str) -> Literal['live', 'deleted'] | None:
    """Whether the instance is live, soft-deleted, or gone (None)."""
    deleted = conn.execute(sa.select(_t.c.deleted)
                           .where(_t.c.uuid == uuid)).first()
    if deleted is None:
        return None
    return 'deleted' if deleted[0] else 'live'


def count_live(conn: sa.engine.Connection, host: str | None = None) -> int:
    """Instances not deleted (on `host`, if given)."""
    query = (sa.select(sa.func.count()).select_from(_t)
             .where(_t.c.deleted == 0))
    if host is not None:
        query = query.where(_t.c.host == host)
    return conn.execute(query).scalar_one()


def uuids_by_node(conn: sa.engine.Connection,
                  hosts: list[str]) -> dict[tuple[str, str], set[str]]:
    """{(host, node): uuids of the live instances there} on `hosts`."""
    if not hosts:
        return {}
    rows = conn.execute(sa.select(_t.c.host, _t.c.node, _t.c.uuid).where(
        _t.c.host.in_(hosts), _t.c.deleted == 0))
    out: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        out.setdefault((row.host, row.node), set()).add(row.uuid)
    return out
