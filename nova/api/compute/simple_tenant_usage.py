"""/os-simple-tenant-usage: what each project's servers used between
`start` and `end` (default: now), in hours of servers and of their vcpus,
memory and disk (nova.compute.usage counts them); from 2.40 paged by
limit and a server's uuid as marker.
"""

import datetime

from oslo_utils import timeutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.compute import usage as usage_api
from nova.conf import CONF
from nova import policy
from nova.policies import simple_tenant_usage as rules

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


def _server_view(usage: dict) -> dict:
    return dict(usage, started_at=common.usage_time(usage['started_at']),
                ended_at=common.usage_time(usage['ended_at']))


def _summary_view(summary: dict, detailed: bool) -> dict:
    view = dict(summary, start=common.usage_time(summary['start']),
                stop=common.usage_time(summary['stop']))
    servers = view.pop('server_usages')
    if detailed:
        view['server_usages'] = [_server_view(u) for u in servers]
    return view


def _report(req: webob.Request, project_id: str | None,
            detailed: bool | None = None) -> tuple[list[dict], dict]:
    start, end, asked_detail = _period(req)
    limit, marker = _paging(req)
    summaries, servers = usage_api.get_usage(common.context(req), start, end,
                                             project_id, limit, marker)
    links = {}
    if common.version(req).matches((2, 40)) and servers and (
            len(servers) == limit):
        collection = COLLECTION + ('/' + project_id if project_id else '')
        links = {'tenant_usages_links' if project_id is None
                 else 'tenant_usage_links': common.next_link(
                     req, collection, servers[-1]['instance_id'])}
    if detailed is None:
        detailed = asked_detail
    return [_summary_view(s, detailed) for s in summaries], links


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
