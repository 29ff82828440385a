"""The instance usage audit: once per audit period ([DEFAULT]
instance_usage_audit_period) each compute with [DEFAULT]
instance_usage_audit on records, as a task_log row, how many instances
ran on it during the last completed period; os-instance_usage_audit_log
sums those rows up over every compute host.
"""

import datetime
import time
from typing import Any

from oslo_log import log as logging

from nova.compute import hosts
from nova.conf import CONF
from nova.db import engines
from nova.db.main import instances as instances_db
from nova.db.main import services as services_db
from nova.db.main import task_log

LOG = logging.getLogger(__name__)

TASK_NAME = 'instance_usage_audit'


def _months_back(day: datetime.datetime, months: int) -> datetime.datetime:
    index = day.year * 12 + day.month - 1 - months
    return day.replace(year=index // 12, month=index % 12 + 1)


def last_completed_period(before: datetime.datetime | None = None,
                          unit: str | None = None
                          ) -> tuple[datetime.datetime, datetime.datetime]:
    """(beginning, ending) of the last audit period that ended before
    `before` (now if None). `unit` (the configured period if None) is
    hour, day, month or year, optionally @offset: the minute, hour, day
    of the month or month of the year periods start at."""
    unit = unit or CONF.instance_usage_audit_period
    name, _, offset_text = unit.partition('@')
    offset = int(offset_text or 0)
    now = before or datetime.datetime.utcnow()
    if name == 'hour':
        end = now.replace(minute=offset, second=0, microsecond=0)
        if end >= now:
            end -= datetime.timedelta(hours=1)
        return end - datetime.timedelta(hours=1), end
    if name == 'day':
        end = now.replace(hour=offset, minute=0, second=0, microsecond=0)
        if end >= now:
            end -= datetime.timedelta(days=1)
        return end - datetime.timedelta(days=1), end
    if name == 'month':
        end = datetime.datetime(now.year, now.month, offset or 1)
        if end >= now:
            end = _months_back(end, 1)
        return _months_back(end, 1), end
    if name == 'year':
        end = datetime.datetime(now.year, offset or 1, 1)
        if end >= now:
            end = end.replace(year=end.year - 1)
        return end.replace(year=end.year - 1), end
    raise ValueError('Audit period must be hour, day, month or year, '
                     'not %r' % unit)


# -- the compute's side


def audit_host(db_url: str, host: str,
               before: datetime.datetime | None = None) -> bool:
    """Record the audit of `host` for the last period completed before
    `before` (now if None) in the cell database at `db_url`, unless it
    was done already; whether it ran now."""
    begin, end = last_completed_period(before)
    started = time.monotonic()
    with engines.cell_writer(db_url) as conn:
        if task_log.get(conn, TASK_NAME, host, begin, end) is not None:
            return False
        count = len(instances_db.list_active_in_window(conn, begin, end,
                                                       host=host))
        log = task_log.TaskLog(
            task_name=TASK_NAME, host=host, state=task_log.RUNNING,
            period_beginning=begin, period_ending=end,
            message='Instance usage audit started...', task_items=count)
        task_log.begin_task(conn, log)
    LOG.info('Instance usage audit of host %s from %s to %s: %d instances',
             host, begin, end, count)
    log.message = ('Instance usage audit ran for host %s, %s instances in '
                   '%s seconds.' % (host, count,
                                    time.monotonic() - started))
    with engines.cell_writer(db_url) as conn:
        task_log.end_task(conn, log)
    return True


# -- the API's side


def audit_log(ctx: Any, before: datetime.datetime | None = None) -> dict:
    """The audit of the last period completed before `before` over every
    compute host (disabled ones too: they may still run instances), as
    os-instance_usage_audit_log shows it."""
    begin, end = last_completed_period(before)
    logs = [log for _cell, log in hosts.gather(
        ctx, lambda conn: task_log.list_for_period(conn, TASK_NAME, begin,
                                                   end))]
    all_hosts = {svc.host for _cell, svc in hosts.gather(
        ctx, lambda conn: services_db.list_all(conn, 'nova-compute'))}
    done = {log.host for log in logs if log.state == task_log.DONE}
    running = {log.host for log in logs if log.state == task_log.RUNNING}
    not_run = all_hosts - {log.host for log in logs}
    errors = sum(log.errors for log in logs)
    return {
        'period_beginning': str(begin),
        'period_ending': str(end),
        'num_hosts': len(all_hosts),
        'num_hosts_done': len(done),
        'num_hosts_running': len(running),
        'num_hosts_not_run': len(not_run),
        'hosts_not_run': sorted(not_run),
        'total_instances': sum(log.task_items for log in logs),
        'total_errors': errors,
        'overall_status': '%s hosts done. %s errors.' % (
            'ALL' if len(done) == len(all_hosts)
            else '%s of %s' % (len(done), len(all_hosts)), errors),
        'log': {log.host: {'state': log.state, 'instances': log.task_items,
                           'errors': log.errors, 'message': log.message}
                for log in logs},
    }
