"""Consumers, and the project, user and consumer type records they refer to.

A consumer row exists while the consumer holds allocations: it is created
with its first allocations (generation 1) and deleted with its last. Its
project and user are stored by external id in the projects and users tables;
consumer types (1.38) by name in consumer_types. These functions take an open
connection: the allocation writers call them inside their own transaction.
"""

import dataclasses
import datetime

import sqlalchemy as sa

from placement import tables

_c = tables.consumers
_p = tables.projects
_u = tables.users
_ct = tables.consumer_types

# The consumer_type shown for consumers written before 1.38 (no type).
UNKNOWN_TYPE = 'unknown'


@dataclasses.dataclass
class Consumer:
    uuid: str
    generation: int
    project_id: int
    user_id: int
    consumer_type_id: int | None


@dataclasses.dataclass
class NamedIds:
    """Internal ids of external project ids, user ids and type names."""
    projects: dict[str, int]
    users: dict[str, int]
    types: dict[str, int]


def bind_list(name: str) -> sa.BindParameter:
    """A parameter taking a list, for `IN` in statements built once."""
    return sa.bindparam(name, expanding=True)


def _null() -> sa.ColumnElement:
    return sa.null().cast(sa.Integer)


# Built once: constructing SQLAlchemy statements costs more than running
# them on SQLite. One round trip finds the consumers and the ids of the
# projects, users and types named (kinds 0-2); the padding columns carry
# the consumer rows (kind 3).
_KINDS = ((_p, _p.c.external_id, 'projects'),
          (_u, _u.c.external_id, 'users'),
          (_ct, _ct.c.name, 'types'))
_CONSUMER_KIND = len(_KINDS)
_LOOKUP = sa.union_all(
    *[sa.select(sa.literal_column(str(kind)).label('kind'),
                col.label('name'), table.c.id.label('id'),
                _null().label('generation'), _null().label('project_id'),
                _null().label('user_id'), _null().label('consumer_type_id'))
      .where(col.in_(bind_list(param)))
      for kind, (table, col, param) in enumerate(_KINDS)],
    sa.select(sa.literal_column(str(_CONSUMER_KIND)), _c.c.uuid, _c.c.id,
              _c.c.generation, _c.c.project_id, _c.c.user_id,
              _c.c.consumer_type_id)
    .where(_c.c.uuid.in_(bind_list('uuids'))))


def lookup(conn, uuids, projects: set, users: set,
           types: set) -> tuple[dict[str, Consumer], NamedIds]:
    """The existing consumers among `uuids` (by uuid), and the ids of
    those of the external project ids, user ids and consumer type names
    that exist. One query."""
    consumers = {}
    found: list[dict] = [{}, {}, {}]
    rows = conn.execute(_LOOKUP, {'uuids': list(uuids),
                                  'projects': list(projects),
                                  'users': list(users),
                                  'types': list(types)})
    for row in rows:
        if int(row.kind) == _CONSUMER_KIND:
            consumers[row.name] = Consumer(
                row.name, row.generation, row.project_id, row.user_id,
                row.consumer_type_id)
        else:
            found[int(row.kind)][row.name] = row.id
    return consumers, NamedIds(*found)


def add_missing_ids(conn, ids: NamedIds, projects: set, users: set,
                    types: set, now: datetime.datetime) -> None:
    """Insert the projects, users and consumer types that lookup() did not
    find and record their ids in `ids`.

    A concurrent request may insert the same name first; the unique
    constraint then raises DBDuplicateEntry, which the allocation writers
    retry (the retry finds the row).
    """
    for (table, col, _param), names, known in zip(
            _KINDS, (projects, users, types),
            (ids.projects, ids.users, ids.types)):
        missing = [n for n in names if n not in known]
        if missing:
            conn.execute(table.insert(), [
                {col.key: n, 'created_at': now} for n in missing])
            known.update(conn.execute(sa.select(col, table.c.id).where(
                col.in_(missing))).all())


_INSERT = _c.insert()


def create_many(conn, rows: list[dict], now: datetime.datetime) -> None:
    """Insert new consumers, each already holding allocations (generation
    1). rows: dicts of uuid, project_id, user_id, consumer_type_id."""
    conn.execute(_INSERT, [dict(row, generation=1, created_at=now)
                           for row in rows])


def bump(conn, consumer: Consumer, project_id: int, user_id: int,
         consumer_type_id: int | None, now: datetime.datetime) -> bool:
    """Advance an existing consumer's generation and record its (possibly
    changed) project, user and type. False when another writer changed the
    consumer since it was read."""
    result = conn.execute(_c.update().where(
        _c.c.uuid == consumer.uuid,
        _c.c.generation == consumer.generation).values(
            generation=consumer.generation + 1, project_id=project_id,
            user_id=user_id, consumer_type_id=consumer_type_id,
            updated_at=now))
    return result.rowcount == 1


def delete_many(conn, uuids) -> None:
    """Delete consumer records (their allocations are already gone)."""
    uuids = list(uuids)
    if uuids:
        conn.execute(_c.delete().where(_c.c.uuid.in_(uuids)))
