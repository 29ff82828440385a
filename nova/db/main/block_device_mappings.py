"""Queries on a cell's block_device_mapping table: the disks of servers,
one row per Cinder volume attached (or being attached)."""

import dataclasses
from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.main import tables
from nova.db import writes
from nova import exception
from nova.objects.block_device import BlockDeviceMapping

LOG = logging.getLogger(__name__)

_t = tables.block_device_mapping
_FIELDS = tuple(f.name for f in dataclasses.fields(BlockDeviceMapping))
_UPDATABLE = ('attachment_id', 'connection_info', 'device_name',
              'delete_on_termination', 'tag', 'volume_id', 'volume_size',
              'boot_index')


def _from_row(row: Any) -> BlockDeviceMapping:
    values = {name: row._mapping[name] for name in _FIELDS}
    values['delete_on_termination'] = bool(values['delete_on_termination'])
    return BlockDeviceMapping(**values)


def create(conn: sa.engine.Connection,
           bdm: BlockDeviceMapping) -> BlockDeviceMapping:
    """Insert the mapping (a uuid is generated if it has none)."""
    id = writes.insert(conn, _t, bdm, _FIELDS)
    return _get_one(conn, _t.c.id == id, id)


def _get_one(conn: sa.engine.Connection, where: Any,
             key: Any) -> BlockDeviceMapping:
    row = conn.execute(sa.select(_t).where(where, _t.c.deleted == 0)).first()
    if row is None:
        raise exception.VolumeBDMNotFound(volume_id=key)
    return _from_row(row)


def get_by_volume(conn: sa.engine.Connection, instance_uuid: str,
                  volume_id: str) -> BlockDeviceMapping:
    """The live mapping of `volume_id` on the instance (VolumeBDMNotFound
    if the volume is not attached to it)."""
    return _get_one(conn, sa.and_(_t.c.instance_uuid == instance_uuid,
                                  _t.c.volume_id == volume_id), volume_id)


def list_by_instances(conn: sa.engine.Connection, uuids: list[str]
                      ) -> dict[str, list[BlockDeviceMapping]]:
    """instance uuid -> its live mappings, boot disk first, then by
    creation; one query for a page of servers."""
    found: dict[str, list[BlockDeviceMapping]] = {u: [] for u in uuids}
    if not uuids:
        return found
    rows = conn.execute(sa.select(_t).where(
        _t.c.instance_uuid.in_(uuids), _t.c.deleted == 0).order_by(
            sa.func.coalesce(_t.c.boot_index, 1 << 30), _t.c.id))
    for row in rows:
        found[row.instance_uuid].append(_from_row(row))
    return found


def list_by_instance(conn: sa.engine.Connection,
                     uuid: str) -> list[BlockDeviceMapping]:
    return list_by_instances(conn, [uuid])[uuid]


def update(conn: sa.engine.Connection, id: int,
           **values: Any) -> BlockDeviceMapping:
    """Change the mapping's attachment, connection or device fields."""
    writes.check_columns(values, _UPDATABLE,
                         'Cannot update block device mapping field(s) %s')
    values['updated_at'] = timeutils.utcnow()
    where = sa.and_(_t.c.id == id, _t.c.deleted == 0)
    writes.update_one(conn, _t, where, values,
                      lambda: exception.VolumeBDMNotFound(volume_id=id))
    return _get_one(conn, _t.c.id == id, id)


def destroy(conn: sa.engine.Connection, id: int) -> None:
    """Soft-delete the mapping (no error if it is gone already)."""
    now = timeutils.utcnow()
    conn.execute(_t.update().where(_t.c.id == id, _t.c.deleted == 0).values(
        deleted=_t.c.id, deleted_at=now, updated_at=now))
