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
from oslo_utils import uuidutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import hypervisors as schema
from nova.api import validation
from nova.compute import hosts
from nova.conf import CONF
from nova import exception
from nova.objects.instance import Instance
from nova import policy
from nova.policies import hypervisors as rules

_DETAIL_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                  'memory_mb_used', 'local_gb_used', 'hypervisor_type',
                  'hypervisor_version', 'free_ram_mb', 'free_disk_gb',
                  'current_workload', 'running_vms', 'disk_available_least',
                  'host_ip')
UUID_IDS = (2, 53)


def _authorize(req: webob.Request) -> Any:
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    return ctx


# -- views


def _instance_name(instance: Instance) -> str:
    assert instance.id is not None  # read from the database
    return 'instance-%08x' % instance.id


def _view(req: webob.Request, hv: hosts.Hypervisor, detail: bool) -> dict:
    uuids = common.version(req).matches(UUID_IDS)
    node, svc = hv.node, hv.service
    out: dict[str, Any] = {
        'id': node.uuid if uuids else node.id,
        'hypervisor_hostname': node.hypervisor_hostname,
        'state': 'up' if hv.up else 'down',
        'status': 'disabled' if svc.disabled else 'enabled',
    }
    if detail:
        for field in _DETAIL_FIELDS:
            out[field] = getattr(node, field)
        out.update(hosts.node_usage(node))
        out['service'] = {'id': svc.uuid if uuids else svc.id,
                          'host': node.host,
                          'disabled_reason': svc.disabled_reason}
        if common.version(req).matches((2, 28)):
            out['cpu_info'] = _cpu_info(node.cpu_info)
        else:
            out['cpu_info'] = node.cpu_info
    if hv.servers:
        out['servers'] = [{'name': _instance_name(i), 'uuid': i.uuid}
                          for i in hv.servers]
    return out


def _cpu_info(text: str | None) -> dict:
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return {}


def _flag(value: str | None) -> bool:
    return strutils.bool_from_string(value or False, strict=True)


def _list(req: webob.Request, detail: bool) -> webob.Response:
    ctx = _authorize(req)
    version = common.version(req)
    uuids = version.matches(UUID_IDS)
    with_servers = False
    if uuids:
        validation.validate(dict(req.GET), schema.list_query_v253)
        with_servers = _flag(req.GET.get('with_servers'))
        pattern = req.GET.get('hypervisor_hostname_pattern')
        if pattern is not None:
            if 'limit' in req.GET or 'marker' in req.GET:
                raise fault.bad_request(
                    'Paging over hypervisors with the '
                    'hypervisor_hostname_pattern query parameter is not '
                    'supported.')
            found = hosts.search_hypervisors(ctx, pattern, with_servers)
            return _respond(req, found, detail, None)
    # Paging from 2.33.
    limit = marker = None
    if version.matches((2, 33)):
        limit = (common.limit_param(req, CONF.api.max_limit)
                 or CONF.api.max_limit)
        marker = req.GET.get('marker')
    try:
        found = hosts.list_hypervisors(ctx, with_servers, limit, marker,
                                       uuids)
    except exception.MarkerNotFound as exc:
        raise fault.bad_request(str(exc))
    return _respond(req, found, detail, limit)


def _respond(req: webob.Request, found: list[hosts.Hypervisor],
             detail: bool, limit: int | None) -> webob.Response:
    body: dict[str, Any] = {'hypervisors': [
        _view(req, hv, detail) for hv in found]}
    if limit and len(found) == limit:
        last = found[-1].node
        marker = (last.uuid if common.version(req).matches(UUID_IDS)
                  else str(last.id))
        assert marker is not None  # stored nodes have a uuid
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


def _by_uuid(req: webob.Request, hypervisor_id: str) -> bool:
    """Whether `hypervisor_id` is a uuid (2.53+: 400 if it does not look
    like one) rather than an integer id."""
    if not common.version(req).matches(UUID_IDS):
        return False
    if not uuidutils.is_uuid_like(hypervisor_id):
        raise fault.bad_request('Invalid uuid %s' % hypervisor_id)
    return True


def show(req: webob.Request, hypervisor_id: str) -> webob.Response:
    """200 {"hypervisor": {...}}; 2.53+ the id is a uuid (400 if not)
    and with_servers adds its servers. 404 no such hypervisor."""
    ctx = _authorize(req)
    with_servers = False
    if common.version(req).matches(UUID_IDS):
        validation.validate(dict(req.GET), schema.show_query_v253)
        with_servers = _flag(req.GET.get('with_servers'))
    hv = hosts.get_hypervisor(ctx, hypervisor_id,
                              _by_uuid(req, hypervisor_id), with_servers)
    return common.json_response({'hypervisor': _view(req, hv, True)})


def uptime(req: webob.Request, hypervisor_id: str) -> webob.Response:
    """501 for an existing hypervisor: no virt driver here reports its
    host's uptime (upstream's answer for such drivers; clients such as
    `openstack hypervisor show` expect it). 404 no such hypervisor."""
    ctx = _authorize(req)
    hosts.get_hypervisor(ctx, hypervisor_id, _by_uuid(req, hypervisor_id))
    raise fault.HTTPError(
        501, 'Virt driver does not implement uptime function.')


def statistics(req: webob.Request) -> webob.Response:
    """200 {"hypervisor_statistics": {count, and the sums of sizes and
    usage}} over the nodes whose service is enabled."""
    ctx = _authorize(req)
    return common.json_response(
        {'hypervisor_statistics': hosts.hypervisor_statistics(ctx)})


def _before_uuid_ids(req: webob.Request) -> None:
    # 2.53 replaced these two by GET /os-hypervisors query parameters.
    if common.version(req).matches(UUID_IDS):
        raise fault.not_found()


def search(req: webob.Request, pattern: str) -> webob.Response:
    """2.1-2.52: 200 {"hypervisors": [...]} whose hostname contains
    `pattern`; 404 none does (and from 2.53)."""
    _before_uuid_ids(req)
    ctx = _authorize(req)
    return common.json_response({'hypervisors': [
        _view(req, hv, False) for hv in hosts.search_hypervisors(ctx,
                                                                 pattern)]})


def servers(req: webob.Request, pattern: str) -> webob.Response:
    """2.1-2.52: as search, each with the servers on its host."""
    _before_uuid_ids(req)
    ctx = _authorize(req)
    return common.json_response({'hypervisors': [
        _view(req, hv, False) for hv in hosts.search_hypervisors(
            ctx, pattern, with_servers=True)]})
