"""/os-hypervisors: the compute nodes of every cell, with the state and
status of the nova-compute service that manages each (admins only).

Before 2.53 a hypervisor's id is its cell-local integer id (two cells
may each have a node 1: show answers the first cell's) and its service's
id the service's integer id; from 2.53 both are uuids. Paging (limit,
marker) from 2.33 runs over cells in mapping order, then node id. A node
whose service cannot be found is left out, as upstream does.
"""

import json
from typing import Any

from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import hypervisors as schema
from nova.api import validation
from nova.compute import hosts
from nova.conf import CONF
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova.db.main import services
from nova import policy
from nova.policies import hypervisors as rules

_DETAIL_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                  'memory_mb_used', 'local_gb_used', 'hypervisor_type',
                  'hypervisor_version', 'free_ram_mb', 'free_disk_gb',
                  'current_workload', 'running_vms', 'disk_available_least',
                  'host_ip')
_STAT_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                'free_disk_gb', 'current_workload', 'running_vms',
                'disk_available_least')
UUID_IDS = (2, 53)


def _authorize(req: webob.Request) -> Any:
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    return ctx


def _not_matching(pattern: str) -> fault.HTTPError:
    return fault.not_found("No hypervisor matching '%s' could be found."
                           % pattern)


def _not_found(id: str) -> fault.HTTPError:
    return fault.not_found("Hypervisor with ID '%s' could not be found."
                           % id)


# -- views


def _view(req: webob.Request, node, svc, detail: bool,
          servers: list | None = None) -> dict:
    uuids = common.version(req).matches(UUID_IDS)
    now = timeutils.utcnow().replace(tzinfo=None)
    out = {
        'id': node.uuid if uuids else node.id,
        'hypervisor_hostname': node.hypervisor_hostname,
        'state': 'up' if services.is_up(svc, now, CONF.service_down_time)
        else 'down',
        'status': 'disabled' if svc.disabled else 'enabled',
    }
    if detail:
        for field in _DETAIL_FIELDS:
            out[field] = getattr(node, field)
        out['service'] = {'id': svc.uuid if uuids else svc.id,
                          'host': node.host,
                          'disabled_reason': svc.disabled_reason}
        if common.version(req).matches((2, 28)):
            out['cpu_info'] = _cpu_info(node.cpu_info)
        else:
            out['cpu_info'] = node.cpu_info
    if servers:
        out['servers'] = [{'name': 'instance-%08x' % i.id, 'uuid': i.uuid}
                          for i in servers]
    return out


def _cpu_info(text: str | None) -> dict:
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return {}


# -- reading the cells


def _with_services(ctx: Any, found: list) -> list[tuple[Any, Any, Any]]:
    """(cell, node, service) for the nodes of `found` ((cell, node)
    pairs) whose host has a nova-compute service."""
    svcs = hosts.compute_services(ctx)
    out = []
    for cell, node in found:
        svc = svcs.get((cell.uuid, node.host))
        if svc is not None:
            out.append((cell, node, svc))
    return out


def _servers_of(ctx: Any, rows: list) -> dict[tuple[str, str], list]:
    """{(cell uuid, host): live instances on it} for the rows' hosts."""
    by_cell: dict[str, tuple[Any, set[str]]] = {}
    for cell, node, _svc in rows:
        by_cell.setdefault(cell.uuid, (cell, set()))[1].add(node.host)
    out = {}
    for cell, wanted in by_cell.values():
        with_cell = hosts.gather_cell(ctx, cell, lambda conn, w=wanted: {
            h: instances.list_by_host(conn, h) for h in sorted(w)})
        for host, found in with_cell.items():
            out[(cell.uuid, host)] = found
    return out


def _search(ctx: Any, pattern: str) -> list:
    return _with_services(ctx, hosts.gather(
        ctx, lambda conn: compute_nodes.search(conn, pattern)))


def _flag(value: str | None) -> bool:
    return strutils.bool_from_string(value or False, strict=True)


def _page(req: webob.Request, rows: list) -> tuple[list, int | None]:
    """The rows after the marker, up to the limit (2.33+); and the limit
    (None before 2.33)."""
    version = common.version(req)
    if not version.matches((2, 33)):
        return rows, None
    limit = (common.limit_param(req, CONF.api.max_limit)
             or CONF.api.max_limit)
    marker = req.GET.get('marker')
    if marker is not None:
        uuids = version.matches(UUID_IDS)
        for index, (_cell, node, _svc) in enumerate(rows):
            if (node.uuid if uuids else str(node.id)) == marker:
                rows = rows[index + 1:]
                break
        else:
            raise fault.bad_request('Marker %s could not be found.' % marker)
    return rows[:limit], limit


def _list(req: webob.Request, detail: bool) -> webob.Response:
    ctx = _authorize(req)
    version = common.version(req)
    with_servers = False
    if version.matches(UUID_IDS):
        validation.validate(dict(req.GET), schema.list_query_v253)
        with_servers = _flag(req.GET.get('with_servers'))
        pattern = req.GET.get('hypervisor_hostname_pattern')
        if pattern is not None:
            if 'limit' in req.GET or 'marker' in req.GET:
                raise fault.bad_request(
                    'Paging over hypervisors with the '
                    'hypervisor_hostname_pattern query parameter is not '
                    'supported.')
            rows = _search(ctx, pattern)
            if not rows:
                raise _not_matching(pattern)
            return _respond(req, ctx, rows, detail, with_servers, None)
    rows = _with_services(ctx, hosts.all_nodes(ctx))
    rows, limit = _page(req, rows)
    return _respond(req, ctx, rows, detail, with_servers, limit)


def _respond(req: webob.Request, ctx: Any, rows: list, detail: bool,
             with_servers: bool, limit: int | None) -> webob.Response:
    on_host = _servers_of(ctx, rows) if with_servers else {}
    body: dict[str, Any] = {'hypervisors': [
        _view(req, node, svc, detail, on_host.get((cell.uuid, node.host)))
        for cell, node, svc in rows]}
    if limit and len(rows) == limit:
        last = rows[-1][1]
        marker = (last.uuid if common.version(req).matches(UUID_IDS)
                  else str(last.id))
        collection = 'os-hypervisors/detail' if detail else 'os-hypervisors'
        body['hypervisors_links'] = common.next_link(req, collection, marker)
    return common.json_response(body)


# -- handlers


def index(req: webob.Request) -> webob.Response:
    """200 {"hypervisors": [{id, hypervisor_hostname, state, status}]};
    2.33+ limit and marker (400 bad value or unknown marker, next link
    in hypervisors_links); 2.53+ hypervisor_hostname_pattern (404 none
    match, 400 with paging) and with_servers. 403 not admin."""
    return _list(req, detail=False)


def detail(req: webob.Request) -> webob.Response:
    """200: as index, with sizes, usage, cpu_info and the service."""
    return _list(req, detail=True)


def _find(req: webob.Request, ctx: Any, hypervisor_id: str) -> tuple:
    """(cell, node, service) of the id (a uuid from 2.53: 400 if not);
    404 if there is none."""
    if common.version(req).matches(UUID_IDS):
        if not uuidutils.is_uuid_like(hypervisor_id):
            raise fault.bad_request('Invalid uuid %s' % hypervisor_id)
        read = (lambda conn: compute_nodes.list_by_uuids(
            conn, [hypervisor_id]))
    else:
        try:
            id = int(hypervisor_id)
        except ValueError:
            raise _not_found(hypervisor_id)
        read = (lambda conn: [n for n in [compute_nodes.get(conn, id)]
                              if n is not None])
    rows = _with_services(ctx, hosts.gather(ctx, read))
    if not rows:
        raise _not_found(hypervisor_id)
    return rows[0]


def show(req: webob.Request, hypervisor_id: str) -> webob.Response:
    """200 {"hypervisor": {...}}; 2.53+ the id is a uuid (400 if not)
    and with_servers adds its servers. 404 no such hypervisor."""
    ctx = _authorize(req)
    with_servers = False
    if common.version(req).matches(UUID_IDS):
        validation.validate(dict(req.GET), schema.show_query_v253)
        with_servers = _flag(req.GET.get('with_servers'))
    cell, node, svc = _find(req, ctx, hypervisor_id)
    servers = (_servers_of(ctx, [(cell, node, svc)]).get(
        (cell.uuid, node.host)) if with_servers else None)
    return common.json_response(
        {'hypervisor': _view(req, node, svc, True, servers)})


def uptime(req: webob.Request, hypervisor_id: str) -> webob.Response:
    """501 for an existing hypervisor: no virt driver here reports its
    host's uptime (upstream's answer for such drivers; clients such as
    `openstack hypervisor show` expect it). 404 no such hypervisor."""
    ctx = _authorize(req)
    _find(req, ctx, hypervisor_id)
    raise fault.HTTPError(
        501, 'Virt driver does not implement uptime function.')


def statistics(req: webob.Request) -> webob.Response:
    """200 {"hypervisor_statistics": {count, and the sums of sizes and
    usage}} over the nodes whose service is enabled."""
    ctx = _authorize(req)
    rows = [r for r in _with_services(ctx, hosts.all_nodes(ctx))
            if not r[2].disabled]
    stats = {field: sum(getattr(node, field) or 0 for _c, node, _s in rows)
             for field in _STAT_FIELDS}
    stats['count'] = len(rows)
    return common.json_response({'hypervisor_statistics': stats})


def _before_uuid_ids(req: webob.Request) -> None:
    # 2.53 replaced these two by GET /os-hypervisors query parameters.
    if common.version(req).matches(UUID_IDS):
        raise fault.not_found()


def search(req: webob.Request, pattern: str) -> webob.Response:
    """2.1-2.52: 200 {"hypervisors": [...]} whose hostname contains
    `pattern`; 404 none does (and from 2.53)."""
    _before_uuid_ids(req)
    ctx = _authorize(req)
    rows = _search(ctx, pattern)
    if not rows:
        raise _not_matching(pattern)
    return common.json_response({'hypervisors': [
        _view(req, node, svc, False) for _c, node, svc in rows]})


def servers(req: webob.Request, pattern: str) -> webob.Response:
    """2.1-2.52: as search, each with the servers on its host."""
    _before_uuid_ids(req)
    ctx = _authorize(req)
    rows = _search(ctx, pattern)
    if not rows:
        raise _not_matching(pattern)
    on_host = _servers_of(ctx, rows)
    return common.json_response({'hypervisors': [
        _view(req, node, svc, False, on_host.get((cell.uuid, node.host)))
        for cell, node, svc in rows]})
