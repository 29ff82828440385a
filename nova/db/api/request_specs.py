"""Queries on request_specs: each instance's scheduling request, kept as
the RequestSpec record's JSON primitive for the instance's lifetime (moves
are scheduled with it)."""

import json

import sqlalchemy as sa

from nova.db.api import tables
from nova import exception
from nova.objects.request_spec import RequestSpec

_t = tables.request_specs


def _dump(spec: RequestSpec) -> str:
    return json.dumps(spec.to_primitive())


def create(conn: sa.engine.Connection, spec: RequestSpec) -> RequestSpec:
    """Store the spec of spec.instance_uuid (required: ValueError without
    it; oslo.db's DBDuplicateEntry if the instance has one already)."""
    if not spec.instance_uuid:
        raise ValueError('A request spec needs an instance_uuid')
    conn.execute(_t.insert().values(instance_uuid=spec.instance_uuid,
                                    spec=_dump(spec)))
    return spec


def get(conn: sa.engine.Connection, instance_uuid: str) -> RequestSpec:
    """The instance's request spec; RequestSpecNotFound if none."""
    text = conn.execute(sa.select(_t.c.spec).where(
        _t.c.instance_uuid == instance_uuid)).scalar()
    if text is None:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
    return RequestSpec.from_primitive(json.loads(text))


def save(conn: sa.engine.Connection, spec: RequestSpec) -> None:
    """Replace the stored spec of spec.instance_uuid; RequestSpecNotFound
    if it has none."""
    if not conn.execute(_t.update().where(
            _t.c.instance_uuid == spec.instance_uuid).values(
                spec=_dump(spec))).rowcount:
        raise exception.RequestSpecNotFound(instance_uuid=spec.instance_uuid)


def delete(conn: sa.engine.Connection, instance_uuid: str) -> None:
    """Delete the instance's request spec (nothing to do if it has none)."""
    conn.execute(_t.delete().where(_t.c.instance_uuid == instance_uuid))
