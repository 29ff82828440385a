"""What projects' servers used over a period, as os-simple-tenant-usage
reports it: hours of servers and of their vcpus, memory and disk.

A server counts from launched_at (or the period's start) to
terminated_at (or its end, never later than now); deleted servers count
for the time they ran. The servers come from every cell that answers,
each cell's in (project, uuid) order and the cells one after the other,
which is the order a marker pages through.
"""

import datetime
from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils

from nova import cells
from nova.db import engines
from nova.db.main import instances as instances_db
from nova import exception
from nova.objects.instance import Instance

LOG = logging.getLogger(__name__)


def _in_cell(cctx: Any, start: datetime.datetime, end: datetime.datetime,
             project_id: str | None, limit: int,
             marker: str | None) -> tuple[bool, list[Instance]]:
    """(whether the marker is in this cell, its page): a cell without
    the marker answers from its start, for the cells after the marker's."""
    with engines.cell_reader(cctx.cell, cctx) as conn:
        if marker is not None:
            try:
                return True, instances_db.list_active_in_window(
                    conn, start, end, project_id, limit, marker)
            except exception.MarkerNotFound:
                pass
        return False, instances_db.list_active_in_window(
            conn, start, end, project_id, limit)


def _instances(ctx: Any, start: datetime.datetime, end: datetime.datetime,
               project_id: str | None, limit: int,
               marker: str | None) -> list[Instance]:
    results = cells.scatter_gather(ctx, cells.load_cells(ctx), _in_cell,
                                   start, end, project_id, limit, marker)
    found: list[Instance] = []
    seen_marker = marker is None
    for cell in cells.load_cells(ctx):
        result = results.get(cell.uuid, cells.DID_NOT_RESPOND)
        if cells.failed(result):
            LOG.warning('Usage leaves out cell %s: %s',
                        cell.name or cell.uuid, result)
            continue
        has_marker, page = result
        if not seen_marker:
            if not has_marker:
                continue  # before the marker's cell
            seen_marker = True
        found.extend(page)
    if not seen_marker:
        raise exception.InvalidMarker(marker=marker)
    return found[:limit]


def _hours(instance: Instance, start: datetime.datetime,
           end: datetime.datetime) -> float:
    launched, terminated = instance.launched_at, instance.terminated_at
    if launched is None or launched > end:
        return 0
    if terminated is not None and terminated < start:
        return 0
    stop = min(end, terminated) if terminated is not None else end
    return (stop - max(launched, start)).total_seconds() / 3600.0


def _server_usage(instance: Instance, start: datetime.datetime,
                  end: datetime.datetime, now: datetime.datetime) -> dict:
    flavor = instance.flavor
    ended = instance.terminated_at
    # list_active_in_window only returns instances launched before `end`.
    assert instance.launched_at is not None
    uptime = (ended or now) - instance.launched_at
    return {
        'instance_id': instance.uuid, 'name': instance.display_name,
        'tenant_id': instance.project_id,
        'hours': _hours(instance, start, end),
        'flavor': flavor.name if flavor else '',
        'memory_mb': flavor.memory_mb, 'vcpus': flavor.vcpus,
        'local_gb': flavor.root_gb + flavor.ephemeral_gb,
        'started_at': instance.launched_at,
        'ended_at': ended,
        'state': 'terminated' if ended else instance.vm_state,
        'uptime': int(uptime.total_seconds())}


def get_usage(ctx: Any, start: datetime.datetime, end: datetime.datetime,
              project_id: str | None, limit: int,
              marker: str | None = None) -> tuple[list[dict], list[dict]]:
    """(a summary per project in the order first met, every server's
    usage in page order) of at most `limit` servers of `project_id` (None:
    of every project) that ran between `start` and `end`, after the
    server `marker` (InvalidMarker, a 400, if no cell that answers has
    it).

    A server's usage: instance_id, name, tenant_id, hours, flavor,
    memory_mb, vcpus, local_gb, started_at and ended_at (datetimes),
    state, uptime (seconds). A summary: tenant_id, the total_*_usage and
    total_hours, start and stop (datetimes: the period, its end no later
    than now) and server_usages, its project's servers' usages."""
    now = timeutils.utcnow().replace(tzinfo=None)
    end = min(end, now)
    summaries: dict[str, dict] = {}
    servers = []
    for instance in _instances(ctx, start, end, project_id, limit, marker):
        usage = _server_usage(instance, start, end, now)
        servers.append(usage)
        summary = summaries.get(usage['tenant_id'])
        if summary is None:
            summary = summaries[usage['tenant_id']] = {
                'tenant_id': usage['tenant_id'],
                'total_local_gb_usage': 0, 'total_vcpus_usage': 0,
                'total_memory_mb_usage': 0, 'total_hours': 0,
                'start': start, 'stop': end, 'server_usages': []}
        hours = usage['hours']
        summary['total_local_gb_usage'] += usage['local_gb'] * hours
        summary['total_vcpus_usage'] += usage['vcpus'] * hours
        summary['total_memory_mb_usage'] += usage['memory_mb'] * hours
        summary['total_hours'] += hours
        summary['server_usages'].append(usage)
    return list(summaries.values()), servers
