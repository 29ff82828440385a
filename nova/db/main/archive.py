"""Archiving a cell database's deleted rows, and purging the archive.

Deleting an instance (or a service, a migration ...) only marks its rows
deleted. `archive_deleted_rows` moves such rows into the shadow tables
(``shadow_<table>``), and with them the rows that hang off a deleted
instance or instance action even when nobody marked those deleted (faults,
actions and their events are kept for the deleted instance's history).
Tables are visited children first, so that a parent row's delete never
meets a child still pointing at it; each table's batch is copied and deleted
in one transaction. Tags have no shadow table: an archived instance's tags
are deleted with it.

`purge_shadow_tables` then deletes archived rows for good.
"""

from collections.abc import Callable, Iterator, Sequence
import datetime
from typing import Any

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db.main import tables

LOG = logging.getLogger(__name__)

#: The largest --max_rows accepted (a signed 32-bit LIMIT).
MAX_ROWS = 0x7FFFFFFF

# Statement parameters per IN list: well below every backend's limit
# (SQLite's is the lowest).
_CHUNK = 500

# Actions and their events are not marked deleted with their instance, so
# their deleted_at stays empty: purge --before judges them by creation.
_PURGE_BY = {'instance_actions': 'created_at',
             'instance_actions_events': 'created_at'}


def _live_tables() -> list[sa.Table]:
    """The tables with a shadow, children before their parents."""
    return [t for t in reversed(tables.metadata.sorted_tables)
            if t.name in tables.SHADOWS]


def _chunks(values: Sequence) -> Iterator[Sequence]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _deleted(table: sa.Table,
             before: datetime.datetime | None) -> sa.ColumnElement:
    condition = table.c.deleted != 0
    if before is not None:
        condition = sa.and_(condition, table.c.deleted_at < before)
    return condition


def _archivable(table: sa.Table,
                before: datetime.datetime | None) -> sa.ColumnElement:
    """Rows of `table` to archive: deleted ones, and those whose instance
    (or, for action events, whose action) is deleted."""
    condition = _deleted(table, before)
    instances = tables.instances
    deleted_instances = sa.select(instances.c.uuid).where(
        _deleted(instances, before))
    if table is instances:
        return condition
    if 'instance_uuid' in table.c:
        return sa.or_(condition,
                      table.c.instance_uuid.in_(deleted_instances))
    if table is tables.instance_actions_events:
        actions = tables.instance_actions
        deleted_actions = sa.select(actions.c.id).where(sa.or_(
            _deleted(actions, before),
            actions.c.instance_uuid.in_(deleted_instances)))
        return sa.or_(condition, table.c.action_id.in_(deleted_actions))
    return condition


def _archive_table(target: Any, table: sa.Table, limit: int,
                   before: datetime.datetime | None,
                   instance_uuids: list[str]) -> int:
    """Move up to `limit` rows of `table`; add the uuids of archived
    instances to `instance_uuids`. Returns the number of rows moved."""
    shadow = tables.SHADOWS[table.name]
    columns = [c.name for c in table.c]
    moved = 0
    uuids: list[str] = []
    try:
        with engines.cell_writer(target) as conn:
            ids = conn.execute(
                sa.select(table.c.id).where(_archivable(table, before))
                .order_by(table.c.id).limit(limit)).scalars().all()
            for chunk in _chunks(ids):
                if table is tables.instances:
                    batch = conn.execute(
                        sa.select(table.c.uuid)
                        .where(table.c.id.in_(chunk))).scalars().all()
                    conn.execute(tables.tags.delete().where(
                        tables.tags.c.resource_id.in_(batch)))
                    uuids.extend(batch)
                conn.execute(shadow.insert().from_select(
                    columns, sa.select(table).where(table.c.id.in_(chunk))))
                moved += conn.execute(
                    table.delete().where(table.c.id.in_(chunk))).rowcount
    except db_exc.DBReferenceError as exc:
        # A row still points at one of these (written since the child
        # tables were visited): leave the table for the next run.
        LOG.warning('Cannot archive %s yet, rows still refer to it: %s',
                    table.name, exc)
        return 0
    instance_uuids.extend(uuids)
    return moved


def archive_deleted_rows(
        target: Any, max_rows: int,
        before: datetime.datetime | None = None,
) -> tuple[dict[str, int], list[str]]:
    """Move up to `max_rows` deleted rows of the cell database `target`
    (a cell mapping or a URL) into its shadow tables; with `before`, only
    rows deleted before then.

    Returns the rows moved per table (tables with none left out) and the
    uuids of the instances archived.
    """
    archived: dict[str, int] = {}
    instance_uuids: list[str] = []
    total = 0
    for table in _live_tables():
        if total >= max_rows:
            break
        moved = _archive_table(target, table, max_rows - total, before,
                               instance_uuids)
        if moved:
            archived[table.name] = moved
            total += moved
    if archived:
        LOG.info('Archived %d deleted rows (%s)', total,
                 ', '.join('%s: %d' % item
                           for item in sorted(archived.items())))
    return archived, instance_uuids


def delete_api_records(conn: sa.engine.Connection,
                       instance_uuids: Sequence[str]) -> dict[str, int]:
    """Delete the API database's records of archived instances (their
    instance mappings, request specs and server group memberships).
    Returns the rows deleted per table, every table included."""
    deleted = {}
    for table in (api_tables.instance_mappings, api_tables.request_specs,
                  api_tables.instance_group_member):
        count = 0
        for chunk in _chunks(instance_uuids):
            count += conn.execute(table.delete().where(
                table.c.instance_uuid.in_(chunk))).rowcount
        deleted[table.name] = count
    return deleted


def purge_shadow_tables(target: Any,
                        before: datetime.datetime | None = None,
                        status: Callable[[str], None] = lambda msg: None,
                        ) -> int:
    """Delete archived rows from the shadow tables of the cell database
    `target`: those deleted (actions: created) before `before`, or all.
    `status` hears one line per table purged. Returns the rows deleted."""
    total = 0
    for table in _live_tables():
        shadow = tables.SHADOWS[table.name]
        delete = shadow.delete()
        column = None
        if before is not None:
            column = shadow.c[_PURGE_BY.get(table.name, 'deleted_at')]
            delete = delete.where(column < before)
        with engines.cell_writer(target) as conn:
            count = conn.execute(delete).rowcount
        if count:
            status('Deleted %d rows from %s based on timestamp column %s'
                   % (count, shadow.name,
                      column.name if column is not None else '(n/a)'))
        total += count
    return total
