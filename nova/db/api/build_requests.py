"""Queries on build_requests: servers the API accepted that no cell holds
yet. The instance, its block device mappings and tags are stored as JSON
(the instance as its record primitive)."""

import json
from typing import Any

from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.api import tables
from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.instance import Instance

_t = tables.build_requests


def _from_row(row: Any) -> BuildRequest:
    return BuildRequest(
        instance=Instance.from_primitive(json.loads(row.instance)),
        project_id=row.project_id,
        block_device_mappings=json.loads(row.block_device_mappings or '[]'),
        tags=json.loads(row.tags or '[]'), id=row.id,
        created_at=row.created_at)


def create(conn: sa.engine.Connection, req: BuildRequest) -> BuildRequest:
    """Insert `req`; oslo.db's DBDuplicateEntry if its instance already
    has one."""
    conn.execute(_t.insert().values(
        instance_uuid=req.instance_uuid, project_id=req.project_id,
        instance=json.dumps(req.instance.to_primitive()),
        block_device_mappings=json.dumps(req.block_device_mappings),
        tags=json.dumps(req.tags),
        created_at=req.created_at or timeutils.utcnow()))
    return get_by_instance_uuid(conn, req.instance_uuid)


def get_by_instance_uuid(conn: sa.engine.Connection,
                         instance_uuid: str) -> BuildRequest:
    """The build request of the instance; BuildRequestNotFound if none."""
    row = conn.execute(sa.select(_t).where(
        _t.c.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)
    return _from_row(row)


def update_instance(conn: sa.engine.Connection, instance_uuid: str,
                    **values: Any) -> Instance | None:
    """Set `values` (Instance fields) on the instance the build request
    holds; the instance as stored, or None if there is no build request
    (any more)."""
    row = conn.execute(sa.select(_t.c.instance).where(
        _t.c.instance_uuid == instance_uuid)).first()
    if row is None:
        return None
    instance = Instance.from_primitive(json.loads(row.instance))
    instance.update(**values)
    written = conn.execute(_t.update().where(
        _t.c.instance_uuid == instance_uuid).values(
            instance=json.dumps(instance.to_primitive()))).rowcount
    return instance if written else None


def delete(conn: sa.engine.Connection, instance_uuid: str) -> bool:
    """Delete the instance's build request; True only if this call did
    (False: already gone, e.g. the server was deleted before it was
    scheduled, or another caller deleted it first)."""
    return bool(conn.execute(_t.delete().where(
        _t.c.instance_uuid == instance_uuid)).rowcount)


def list_by_project(conn: sa.engine.Connection,
                    project_id: str | None) -> list[BuildRequest]:
    """The project's build requests (every project's if None), oldest
    first."""
    query = sa.select(_t).order_by(_t.c.created_at, _t.c.id)
    if project_id is not None:
        query = query.where(_t.c.project_id == project_id)
    return [_from_row(r) for r in conn.execute(query)]
