"""/os-simple-tenant-usage: what each project's servers used between
`start` and `end` (default: now; end is never later than now), in hours
of servers and of their vcpus, memory and disk.

A server counts from launched_at (or start) to terminated_at (or end);
deleted servers count for the time they ran. The servers come from every
cell, each cell's in (project, uuid) order and the cells one after the
other, which is what the 2.40 marker pages through.
"""

import datetime
from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova import cells
from nova.conf import CONF
from nova.db import engines
from nova.db.main import instances as instances_db
from nova import exception
from nova.objects.instance import Instance
from nova import policy
from nova.policies import simple_tenant_usage as rules

LOG = logging.getLogger(__name__)

COLLECTION = 'os-simple-tenant-usage'
_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
            '%Y-%m-%d %H:%M:%S.%f')


def _parse(value: str | None) -> datetime.datetime:
    if not value:
        return timeutils.utcnow().replace(tzinfo=None)
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            pass
    raise fault.bad_request(
        'Invalid datetime string: Datetime is in invalid format')


def _period(req: webob.Request) -> tuple[datetime.datetime,
                                         datetime.datetime, bool]:
    start = _parse(req.GET.get('start'))
    end = _parse(req.GET.get('end'))
    if not start < end:
        raise fault.bad_request('Invalid start time. The start time cannot '
                                'occur after the end time.')
    return start, end, req.GET.get('detailed', '0') == '1'


def _paging(req: webob.Request) -> tuple[int, str | None]:
    """limit and marker from 2.40; before, every server up to
    [api] max_limit."""
    if not common.version(req).matches((2, 40)):
        return CONF.api.max_limit, None
    return (common.limit_param(req, CONF.api.max_limit),
            req.GET.get('marker'))


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
        raise fault.bad_request('Marker %s could not be found.' % marker)
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
    uptime = (ended or now) - instance.launched_at
    return {
        'instance_id': instance.uuid, 'name': instance.display_name,
        'tenant_id': instance.project_id,
        'hours': _hours(instance, start, end),
        'flavor': flavor.name if flavor else '',
        'memory_mb': flavor.memory_mb, 'vcpus': flavor.vcpus,
        'local_gb': flavor.root_gb + flavor.ephemeral_gb,
        'started_at': common.usage_time(instance.launched_at),
        'ended_at': common.usage_time(ended),
        'state': 'terminated' if ended else instance.vm_state,
        'uptime': int(uptime.total_seconds())}


def _usages(found: list[Instance], start: datetime.datetime,
            end: datetime.datetime,
            detailed: bool) -> tuple[list[dict], list[dict]]:
    """(a summary per project in the order first met, every server's
    usage)."""
    now = timeutils.utcnow().replace(tzinfo=None)
    summaries: dict[str, dict] = {}
    servers = []
    for instance in found:
        usage = _server_usage(instance, start, end, now)
        servers.append(usage)
        summary = summaries.get(usage['tenant_id'])
        if summary is None:
            summary = summaries[usage['tenant_id']] = {
                'tenant_id': usage['tenant_id'],
                'total_local_gb_usage': 0, 'total_vcpus_usage': 0,
                'total_memory_mb_usage': 0, 'total_hours': 0,
                'start': common.usage_time(start),
                'stop': common.usage_time(end)}
            if detailed:
                summary['server_usages'] = []
        hours = usage['hours']
        summary['total_local_gb_usage'] += usage['local_gb'] * hours
        summary['total_vcpus_usage'] += usage['vcpus'] * hours
        summary['total_memory_mb_usage'] += usage['memory_mb'] * hours
        summary['total_hours'] += hours
        if detailed:
            summary['server_usages'].append(usage)
    return list(summaries.values()), servers


def _report(req: webob.Request, project_id: str | None,
            detailed: bool | None = None) -> tuple[list[dict], dict]:
    start, end, asked_detail = _period(req)
    end = min(end, timeutils.utcnow().replace(tzinfo=None))
    limit, marker = _paging(req)
    found = _instances(common.context(req), start, end, project_id, limit,
                       marker)
    summaries, servers = _usages(
        found, start, end, asked_detail if detailed is None else detailed)
    links = {}
    if common.version(req).matches((2, 40)) and servers and (
            len(servers) == limit):
        collection = COLLECTION + ('/' + project_id if project_id else '')
        links = {'tenant_usages_links' if project_id is None
                 else 'tenant_usage_links': common.next_link(
                     req, collection, servers[-1]['instance_id'])}
    return summaries, links


def index(req: webob.Request) -> webob.Response:
    """200 {"tenant_usages": [...]} for every project (server_usages with
    detailed=1); 2.40: limit, marker and tenant_usages_links. 400 bad
    start/end or marker; 403 not an admin."""
    policy.authorize(common.context(req), rules.LIST)
    summaries, links = _report(req, None)
    return common.json_response({'tenant_usages': summaries, **links})


def show(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"tenant_usage": {...}} ({} if the project used nothing),
    always with server_usages; 403 another project's for a non-admin."""
    policy.authorize(common.context(req), rules.SHOW,
                     {'project_id': tenant_id})
    summaries, links = _report(req, tenant_id, detailed=True)
    return common.json_response(
        {'tenant_usage': summaries[0] if summaries else {}, **links})
