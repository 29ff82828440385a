"""Runs of periodic tasks per host and period in a cell database (upstream's
task_log): a run starts RUNNING and ends DONE with its item and error
counts. The instance usage audit is the one task that writes here."""

import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa

from nova.db.main import tables

_t = tables.task_log

RUNNING = 'RUNNING'
DONE = 'DONE'


@dataclasses.dataclass
class TaskLog:
    task_name: str
    host: str
    state: str
    period_beginning: datetime.datetime
    period_ending: datetime.datetime
    message: str
    task_items: int = 0
    errors: int = 0


def _from_row(row: Any) -> TaskLog:
    return TaskLog(task_name=row.task_name, host=row.host, state=row.state,
                   period_beginning=row.period_beginning,
                   period_ending=row.period_ending, message=row.message,
                   task_items=row.task_items or 0, errors=row.errors or 0)


def _period(task_name: str, begin: datetime.datetime,
            end: datetime.datetime) -> list:
    return [_t.c.task_name == task_name, _t.c.period_beginning == begin,
            _t.c.period_ending == end, _t.c.deleted == 0]


def get(conn: sa.engine.Connection, task_name: str, host: str,
        begin: datetime.datetime, end: datetime.datetime) -> TaskLog | None:
    """The run of `task_name` on `host` for the period, if any."""
    row = conn.execute(sa.select(_t).where(
        _t.c.host == host, *_period(task_name, begin, end))).first()
    return _from_row(row) if row is not None else None


def list_for_period(conn: sa.engine.Connection, task_name: str,
                    begin: datetime.datetime,
                    end: datetime.datetime) -> list[TaskLog]:
    """Every host's run of `task_name` for the period, by host."""
    rows = conn.execute(sa.select(_t).where(
        *_period(task_name, begin, end)).order_by(_t.c.host))
    return [_from_row(r) for r in rows]


def begin_task(conn: sa.engine.Connection, log: TaskLog) -> None:
    """Record the run as RUNNING; DBDuplicateEntry (the unique
    constraint) if this host already ran the task for the period."""
    conn.execute(_t.insert().values(
        task_name=log.task_name, host=log.host, state=RUNNING,
        period_beginning=log.period_beginning,
        period_ending=log.period_ending, message=log.message,
        task_items=log.task_items, errors=log.errors))


def end_task(conn: sa.engine.Connection, log: TaskLog) -> None:
    """Mark the run DONE with its error count and closing message."""
    conn.execute(_t.update().where(
        _t.c.host == log.host,
        *_period(log.task_name, log.period_beginning, log.period_ending))
        .values(state=DONE, errors=log.errors, message=log.message))
