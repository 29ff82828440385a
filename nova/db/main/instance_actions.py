"""Instance actions and their events in a cell database.

The API starts an action for each user request on a server (keyed by the
request id); the services that carry it out record events under it (the
compute's "compute_reboot_instance" with its result and traceback). A
failed event marks its action's message 'Error', as upstream does.
"""

import datetime
from typing import Any

from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.main import tables
from nova import exception
from nova.objects.instance_action import InstanceAction

_a = tables.instance_actions
_e = tables.instance_actions_events

_EVENT_FIELDS = ('event', 'start_time', 'finish_time', 'result',
                 'traceback', 'host', 'details')


def _from_row(row: Any, events: list[dict] | None = None) -> InstanceAction:
    return InstanceAction(
        id=row.id, action=row.action, instance_uuid=row.instance_uuid,
        request_id=row.request_id, user_id=row.user_id,
        project_id=row.project_id, start_time=row.start_time,
        finish_time=row.finish_time, message=row.message,
        updated_at=row.updated_at, events=events or [])


def _row(conn: sa.engine.Connection, uuid: str, request_id: str) -> Any:
    row = conn.execute(sa.select(_a).where(
        _a.c.instance_uuid == uuid, _a.c.request_id == request_id)
        .order_by(_a.c.id.desc())).first()
    if row is None:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=uuid)
    return row


def start_action(conn: sa.engine.Connection, ctx: Any, uuid: str,
                 action: str) -> InstanceAction:
    """Record that ctx's request (ctx.request_id, user and project) starts
    `action` (an upstream name: 'create', 'reboot', ...) on the instance."""
    now = timeutils.utcnow()
    conn.execute(_a.insert().values(
        action=action, instance_uuid=uuid, request_id=ctx.request_id,
        user_id=ctx.user_id, project_id=ctx.project_id, start_time=now,
        updated_at=now))
    return _from_row(_row(conn, uuid, ctx.request_id))


def finish_action(conn: sa.engine.Connection, ctx: Any, uuid: str,
                  message: str | None = None) -> InstanceAction:
    """Mark ctx's action on the instance finished (with `message`, if
    given); InstanceActionNotFound if it was never started."""
    row = _row(conn, uuid, ctx.request_id)
    now = timeutils.utcnow()
    values: dict[str, Any] = {'finish_time': now, 'updated_at': now}
    if message is not None:
        values['message'] = message
    conn.execute(_a.update().where(_a.c.id == row.id).values(**values))
    return _from_row(_row(conn, uuid, ctx.request_id))


def start_event(conn: sa.engine.Connection, ctx: Any, uuid: str,
                event: str, host: str | None) -> None:
    """Record that `event` of ctx's action started on `host`;
    InstanceActionNotFound if the action was never started."""
    row = _row(conn, uuid, ctx.request_id)
    now = timeutils.utcnow()
    conn.execute(_e.insert().values(action_id=row.id, event=event,
                                    start_time=now, host=host))
    conn.execute(_a.update().where(_a.c.id == row.id).values(updated_at=now))


def finish_event(conn: sa.engine.Connection, ctx: Any, uuid: str,
                 event: str, result: str = 'Success',
                 traceback: str | None = None) -> None:
    """Record the end of the latest `event` of ctx's action: result
    'Success' or 'Error' (which also marks the action's message 'Error').
    InstanceActionNotFound if the action was never started; an event never
    started is recorded as starting and finishing now."""
    row = _row(conn, uuid, ctx.request_id)
    now = timeutils.utcnow()
    values = {'finish_time': now, 'result': result, 'traceback': traceback,
              'updated_at': now}
    latest = conn.execute(sa.select(sa.func.max(_e.c.id)).where(
        _e.c.action_id == row.id, _e.c.event == event)).scalar()
    if latest is None:
        conn.execute(_e.insert().values(action_id=row.id, event=event,
                                        start_time=now, **values))
    else:
        conn.execute(_e.update().where(_e.c.id == latest).values(**values))
    action: dict[str, Any] = {'updated_at': now}
    if result.lower() == 'error':
        action['message'] = 'Error'
    conn.execute(_a.update().where(_a.c.id == row.id).values(**action))


def list_actions(conn: sa.engine.Connection, uuid: str,
                 limit: int | None = None, marker: str | None = None,
                 changes_since: datetime.datetime | None = None,
                 changes_before: datetime.datetime | None = None
                 ) -> list[InstanceAction]:
    """The instance's actions, newest first (without their events): at
    most `limit` of those after the action of request id `marker`
    (MarkerNotFound if the instance has none), updated at or after
    `changes_since` and at or before `changes_before`."""
    query = sa.select(_a).where(_a.c.instance_uuid == uuid)
    if marker is not None:
        after = conn.execute(sa.select(_a.c.created_at, _a.c.id).where(
            _a.c.instance_uuid == uuid, _a.c.request_id == marker)
            .order_by(_a.c.id.desc())).first()
        if after is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(sa.or_(
            _a.c.created_at < after.created_at,
            sa.and_(_a.c.created_at == after.created_at,
                    _a.c.id < after.id)))
    if changes_since is not None:
        query = query.where(_a.c.updated_at >= changes_since)
    if changes_before is not None:
        query = query.where(_a.c.updated_at <= changes_before)
    query = query.order_by(_a.c.created_at.desc(), _a.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_from_row(r) for r in conn.execute(query)]


def get_action(conn: sa.engine.Connection, uuid: str,
               request_id: str) -> InstanceAction:
    """The action of `request_id` on the instance with its events, newest
    first; InstanceActionNotFound if there is none."""
    row = _row(conn, uuid, request_id)
    events = conn.execute(sa.select(*[_e.c[f] for f in _EVENT_FIELDS])
                          .where(_e.c.action_id == row.id)
                          .order_by(_e.c.start_time.desc(), _e.c.id.desc()))
    return _from_row(row, [dict(e._mapping) for e in events])
