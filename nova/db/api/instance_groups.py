"""Server groups in the API database: the group, its policy rows (with
the policy's rules as JSON) and its member rows, plus the counts quota
needs.

A member whose server was deleted keeps its row until the group goes
(upstream does the same); `live_members` and the member count leave such
servers out by their instance mapping (gone, or queued for delete).
"""

from collections.abc import Sequence
import json
from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from nova.db.api import tables
from nova import exception
from nova.objects.instance_group import InstanceGroup

LOG = logging.getLogger(__name__)

_g = tables.instance_groups
_p = tables.instance_group_policy
_m = tables.instance_group_member
_im = tables.instance_mappings


def _load(conn: sa.engine.Connection,
          rows: Sequence[Any]) -> list[InstanceGroup]:
    """Groups of `rows` with their policies and members (two queries)."""
    ids = [r.id for r in rows]
    policies: dict[int, list[str]] = {}
    rules: dict[int, dict[str, int]] = {}
    members: dict[int, list[str]] = {}
    if ids:
        for group_id, policy, text in conn.execute(
                sa.select(_p.c.group_id, _p.c.policy, _p.c.rules)
                .where(_p.c.group_id.in_(ids)).order_by(_p.c.id)):
            policies.setdefault(group_id, []).append(policy)
            if text:
                rules[group_id] = json.loads(text)
        for row in conn.execute(sa.select(_m.c.group_id, _m.c.instance_uuid)
                                .where(_m.c.group_id.in_(ids))
                                .order_by(_m.c.id)):
            members.setdefault(row.group_id, []).append(row.instance_uuid)
    return [InstanceGroup(uuid=r.uuid, project_id=r.project_id,
                          user_id=r.user_id, name=r.name,
                          policies=policies.get(r.id, []),
                          rules=rules.get(r.id, {}),
                          members=members.get(r.id, []), id=r.id,
                          created_at=r.created_at) for r in rows]


def create(conn: sa.engine.Connection, project_id: str, user_id: str,
           name: str, policies: list[str],
           rules: dict[str, int] | None = None) -> InstanceGroup:
    """A new group; `rules` are its policy's (kept, as upstream, on the
    policy row as JSON)."""
    uuid = uuidutils.generate_uuid()
    now = timeutils.utcnow()
    key = conn.execute(_g.insert().values(
        uuid=uuid, project_id=project_id, user_id=user_id, name=name,
        created_at=now)).inserted_primary_key
    assert key is not None  # set by every single-row insert
    group_id = key[0]
    for policy in policies:
        conn.execute(_p.insert().values(
            group_id=group_id, policy=policy,
            rules=json.dumps(rules) if rules else None, created_at=now))
    LOG.info('Server group %s (%s%s) created for project %s', uuid,
             ', '.join(policies) or 'no policy',
             ' %s' % json.dumps(rules) if rules else '', project_id)
    return get_by_uuid(conn, uuid)


def get_by_uuid(conn: sa.engine.Connection, uuid: str) -> InstanceGroup:
    row = conn.execute(sa.select(_g).where(_g.c.uuid == uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    return _load(conn, [row])[0]


def get_by_instance_uuid(conn: sa.engine.Connection,
                         instance_uuid: str) -> InstanceGroup | None:
    """The group the instance is a member of, or None."""
    row = conn.execute(sa.select(_g).join(_m, _m.c.group_id == _g.c.id)
                       .where(_m.c.instance_uuid == instance_uuid)).first()
    return _load(conn, [row])[0] if row is not None else None


def list_groups(conn: sa.engine.Connection,
                project_id: str | None = None) -> list[InstanceGroup]:
    """Every group (of `project_id`, if given), oldest first."""
    query = sa.select(_g)
    if project_id is not None:
        query = query.where(_g.c.project_id == project_id)
    return _load(conn, conn.execute(query.order_by(_g.c.id)).all())


def delete(conn: sa.engine.Connection, uuid: str) -> None:
    """Delete the group with its policies and members (its servers stay);
    InstanceGroupNotFound if there is none."""
    row = conn.execute(sa.select(_g.c.id).where(_g.c.uuid == uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    conn.execute(_p.delete().where(_p.c.group_id == row.id))
    conn.execute(_m.delete().where(_m.c.group_id == row.id))
    conn.execute(_g.delete().where(_g.c.id == row.id))
    LOG.info('Server group %s deleted', uuid)


def add_members(conn: sa.engine.Connection, group_id: int,
                instance_uuids: list[str]) -> None:
    now = timeutils.utcnow()
    for uuid in instance_uuids:
        conn.execute(_m.insert().values(group_id=group_id,
                                        instance_uuid=uuid, created_at=now))


def remove_members(conn: sa.engine.Connection, group_id: int,
                   instance_uuids: list[str]) -> None:
    if instance_uuids:
        conn.execute(_m.delete().where(
            _m.c.group_id == group_id, _m.c.instance_uuid.in_(instance_uuids)))


def _live() -> Any:
    """Member rows whose server exists and is not being deleted."""
    return sa.select(_m.c.instance_uuid, _m.c.group_id, _im.c.user_id).join(
        _im, _im.c.instance_uuid == _m.c.instance_uuid).where(
        sa.or_(_im.c.queued_for_delete.is_(None),
               _im.c.queued_for_delete == sa.false()))


def live_members(conn: sa.engine.Connection,
                 group: InstanceGroup) -> list[str]:
    """The group's members that are not deleted, in the order added."""
    live = {r.instance_uuid for r in conn.execute(
        _live().where(_m.c.group_id == group.id))}
    return [uuid for uuid in group.members if uuid in live]


def count_by_project(conn: sa.engine.Connection, project_id: str,
                     user_id: str | None = None) -> int:
    """The project's groups (only those `user_id` created, if given)."""
    query = sa.select(sa.func.count()).select_from(_g).where(
        _g.c.project_id == project_id)
    if user_id is not None:
        query = query.where(_g.c.user_id == user_id)
    return conn.execute(query).scalar_one()


def count_members_by_user(conn: sa.engine.Connection, group_id: int,
                          user_id: str) -> int:
    """The group's live members that `user_id` created (what the
    server_group_members quota limits, as upstream counts it)."""
    live = _live().where(_m.c.group_id == group_id,
                         _im.c.user_id == user_id).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(
        live)).scalar_one()
