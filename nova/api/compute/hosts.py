"""/os-hosts: the deprecated view of physical hosts (admins only; every
route answers 404 from 2.43, os-services and os-hypervisors replace it).

Enabling, maintenance and power actions are asked of the host's
hypervisor driver: 501 when it cannot, 400 when the host's compute is
down or the driver's answer is not one the API knows, 404 no such host.
"""

from collections.abc import Callable
from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import hosts as schema
from nova.api import validation
from nova.compute import hosts as host_api
from nova.objects.compute_node import ComputeNode
from nova.objects.instance import Instance
from nova import policy
from nova.policies import hosts as rules

GONE = (2, 43)
NOT_SUPPORTED = 'The requested functionality is not supported.'


def _authorize(req: webob.Request) -> Any:
    if common.version(req).matches(GONE):
        raise fault.not_found()
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    return ctx


def index(req: webob.Request) -> webob.Response:
    """200 {"hosts": [{"host_name", "service", "zone"}]} of the enabled
    services; query zone filters."""
    ctx = _authorize(req)
    validation.validate(dict(req.GET), schema.index_query)
    found = host_api.list_hosts(ctx, req.GET.get('zone') or None)
    return common.json_response({'hosts': [
        {'host_name': state.service.host, 'service': state.service.topic,
         'zone': state.zone} for state in found]})


def _resource(host: str, project: str, cpu: int, memory_mb: int,
              disk_gb: int) -> dict:
    return {'resource': {'host': host, 'project': project, 'cpu': cpu,
                         'memory_mb': memory_mb, 'disk_gb': disk_gb}}


def _resources(host: str, node: ComputeNode,
               servers: list[Instance]) -> list[dict]:
    """The node's size, its usage, what its servers' flavors add up to,
    then the same per project."""
    out = [_resource(host, '(total)', node.vcpus, node.memory_mb,
                     node.local_gb),
           _resource(host, '(used_now)', node.vcpus_used,
                     node.memory_mb_used, node.local_gb_used)]
    totals: dict[str | None, list[int]] = {None: [0, 0, 0]}
    for server in servers:
        flavor = server.flavor
        for key in (None, server.project_id):
            sums = totals.setdefault(key, [0, 0, 0])
            sums[0] += flavor.vcpus
            sums[1] += flavor.memory_mb
            sums[2] += flavor.root_gb + flavor.ephemeral_gb
    out.append(_resource(host, '(used_max)', *totals.pop(None)))
    out.extend(_resource(host, project or '', *sums)
               for project, sums in totals.items())
    return out


def show(req: webob.Request, host_name: str) -> webob.Response:
    """200 {"host": [{"resource": {...}}, ...]}; 404 no such compute
    host."""
    ctx = _authorize(req)
    node, servers = host_api.host_resources(ctx, host_name)
    return common.json_response({'host': _resources(host_name, node,
                                                    servers)})


def _ask(ask: Callable[[], str], expected: tuple[str, ...] | None) -> str:
    """The driver's answer; 501 if it cannot, 400 if the answer is not
    one of `expected`."""
    try:
        result = ask()
    except NotImplementedError:
        raise fault.HTTPError(501, NOT_SUPPORTED)
    if expected is not None and result not in expected:
        raise fault.bad_request(str(result))
    return result


def update(req: webob.Request, host_name: str) -> webob.Response:
    """200 {"host", and "status" and/or "maintenance_mode" as the host now
    is}. 400 bad body."""
    ctx = _authorize(req)
    body = validation.body(req, schema.update)
    out = {'host': host_name}
    if 'status' in body:
        enabled = body['status'].lower() == 'enable'
        out['status'] = _ask(lambda: host_api.set_host_enabled(
            ctx, host_name, enabled), ('enabled', 'disabled'))
    if 'maintenance_mode' in body:
        mode = body['maintenance_mode'].lower() == 'enable'
        out['maintenance_mode'] = _ask(lambda: host_api.set_host_maintenance(
            ctx, host_name, mode), ('on_maintenance', 'off_maintenance'))
    return common.json_response(out)


def _power(action: str):
    def handle(req: webob.Request, host_name: str) -> webob.Response:
        """200 {"host", "power_action"}."""
        ctx = _authorize(req)
        result = _ask(lambda: host_api.host_power_action(
            ctx, host_name, action), None)
        return common.json_response({'host': host_name,
                                     'power_action': result})
    handle.__name__ = action
    return handle


startup = _power('startup')
shutdown = _power('shutdown')
reboot = _power('reboot')
