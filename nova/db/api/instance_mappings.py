"""Queries on instance_mappings: which cell each instance is in."""

from typing import Any

import sqlalchemy as sa

from nova.db.api import cell_mappings
from nova.db.api import tables
from nova.db import writes
from nova import exception
from nova.objects.instance_mapping import InstanceMapping

_t = tables.instance_mappings
_cells = tables.cell_mappings

_UPDATABLE = ('cell_id', 'project_id', 'user_id', 'queued_for_delete')


def _select() -> sa.Select:
    # Outer join: a mapping has no cell until the conductor picks one.
    return (sa.select(_t, *cell_mappings.columns('cellmap_'))
            .outerjoin(_cells, _t.c.cell_id == _cells.c.id))


def _from_row(row: Any) -> InstanceMapping:
    m = row._mapping
    cell = (cell_mappings.from_row(row, 'cellmap_')
            if m['cell_id'] is not None else None)
    return InstanceMapping(
        id=m['id'], instance_uuid=m['instance_uuid'], cell=cell,
        project_id=m['project_id'], user_id=m['user_id'],
        queued_for_delete=bool(m['queued_for_delete']),
        created_at=m['created_at'], updated_at=m['updated_at'])


def get_by_instance_uuid(conn: sa.engine.Connection,
                         instance_uuid: str) -> InstanceMapping:
    row = conn.execute(_select().where(
        _t.c.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.InstanceMappingNotFound(uuid=instance_uuid)
    return _from_row(row)


def list_by_project_id(conn: sa.engine.Connection,
                       project_id: str) -> list[InstanceMapping]:
    rows = conn.execute(_select().where(_t.c.project_id == project_id)
                        .order_by(_t.c.id))
    return [_from_row(r) for r in rows]


def create(conn: sa.engine.Connection, instance_uuid: str, project_id: str,
           cell_id: int | None = None, user_id: str | None = None,
           queued_for_delete: bool = False) -> InstanceMapping:
    conn.execute(_t.insert().values(
        instance_uuid=instance_uuid, project_id=project_id, cell_id=cell_id,
        user_id=user_id, queued_for_delete=queued_for_delete))
    return get_by_instance_uuid(conn, instance_uuid)


def create_missing(conn: sa.engine.Connection, cell_id: int,
                   instances: list[tuple[str, str, str | None]]) -> int:
    """Map to the cell each (uuid, project_id, user_id) that has no
    mapping yet; return how many mappings were made."""
    if not instances:
        return 0
    existing = {r.instance_uuid for r in conn.execute(
        sa.select(_t.c.instance_uuid).where(
            _t.c.instance_uuid.in_([i[0] for i in instances])))}
    new = [{'instance_uuid': uuid, 'project_id': project_id,
            'user_id': user_id, 'cell_id': cell_id,
            'queued_for_delete': False}
           for uuid, project_id, user_id in instances if uuid not in existing]
    if new:
        conn.execute(_t.insert(), new)
    return len(new)


def update(conn: sa.engine.Connection, instance_uuid: str,
           **values: Any) -> InstanceMapping:
    writes.check_columns(values, _UPDATABLE,
                         'Cannot update instance mapping fields %s')
    writes.update_one(
        conn, _t, _t.c.instance_uuid == instance_uuid, values,
        lambda: exception.InstanceMappingNotFound(uuid=instance_uuid))
    return get_by_instance_uuid(conn, instance_uuid)


def delete(conn: sa.engine.Connection, instance_uuid: str) -> None:
    result = conn.execute(_t.delete().where(
        _t.c.instance_uuid == instance_uuid))
    if not result.rowcount:
        raise exception.InstanceMappingNotFound(uuid=instance_uuid)


def count_in_cell(conn: sa.engine.Connection, cell_id: int) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(_t)
                        .where(_t.c.cell_id == cell_id)).scalar_one()


def delete_in_cell(conn: sa.engine.Connection, cell_id: int) -> int:
    return conn.execute(_t.delete().where(_t.c.cell_id == cell_id)).rowcount


def list_live_in_cells(conn: sa.engine.Connection, cell_uuids: list[str],
                       project_id: str | None,
                       limit: int | None = None) -> list[InstanceMapping]:
    """The mappings into those cells not queued for delete (of one project
    unless None), oldest first, at most `limit`."""
    query = (_select().where(_cells.c.uuid.in_(cell_uuids),
                             sa.or_(_t.c.queued_for_delete.is_(False),
                                    _t.c.queued_for_delete.is_(None)))
             .order_by(_t.c.id))
    if project_id is not None:
        query = query.where(_t.c.project_id == project_id)
    if limit is not None:
        query = query.limit(limit)
    return [_from_row(r) for r in conn.execute(query)]
