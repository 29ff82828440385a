"""/os-services: the services of every cell; enabling, disabling and
forcing down a service; deleting one (admins only).

Before 2.53 a service is named by host and binary in the body of
PUT /os-services/{enable,disable,disable-log-reason,force-down} and its
id is the cell-local integer id; from 2.53 by its uuid in the path.
What deleting a nova-compute service deletes with it:
nova.compute.hosts.
"""

from typing import Any

from oslo_utils import strutils
from oslo_utils import uuidutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import services as schema
from nova.api import validation
from nova.compute.down_cells import PartialService
from nova.compute import hosts
from nova import policy
from nova.policies import services as rules

UUID_IDS = (2, 53)
PARTIAL_RECORDS = (2, 69)
FORCE_DOWN = (2, 11)


def _authorize(req: webob.Request) -> Any:
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    return ctx


def _view(req: webob.Request, state: hosts.ServiceState) -> dict:
    version = common.version(req)
    svc = state.service
    out = {
        'id': svc.uuid if version.matches(UUID_IDS) else svc.id,
        'binary': svc.binary,
        'host': svc.host,
        'zone': state.zone,
        'status': 'disabled' if svc.disabled else 'enabled',
        'state': 'up' if state.up else 'down',
        'updated_at': common.usage_time(svc.updated_at),
        'disabled_reason': svc.disabled_reason,
    }
    if version.matches(FORCE_DOWN):
        out['forced_down'] = svc.forced_down
    return out


def _partial_view(svc: PartialService) -> dict:
    return {'binary': svc.binary, 'host': svc.host, 'status': 'UNKNOWN'}


def index(req: webob.Request) -> webob.Response:
    """200 {"services": [...]} of every cell; query host and binary
    filter. A cell that does not answer: its services are left out
    before 2.69; from 2.69 each compute host mapped to it is listed as
    {binary, host, status UNKNOWN}. 403 not admin."""
    ctx = _authorize(req)
    host, binary = req.GET.get('host'), req.GET.get('binary')
    if not common.version(req).matches(PARTIAL_RECORDS):
        found = hosts.list_services(ctx, host, binary)
        return common.json_response(
            {'services': [_view(req, state) for state in found]})
    listed = hosts.list_services_and_partial(ctx, host, binary)
    return common.json_response({'services': [
        _partial_view(s) if isinstance(s, PartialService) else _view(req, s)
        for s in listed]})


# -- updating


def _legacy_update(req: webob.Request, action: str) -> webob.Response:
    version = common.version(req)
    actions = ('enable', 'disable', 'disable-log-reason') + (
        ('force-down',) if version.matches(FORCE_DOWN) else ())
    body = validation.body(req, schema.update_v211 if version.matches(
        FORCE_DOWN) else schema.update)
    ctx = _authorize(req)
    if action not in actions:
        raise fault.not_found('Unknown action')
    host, binary = body['host'], body['binary']
    answer: dict[str, Any] = {'host': host, 'binary': binary}
    if action == 'force-down':
        if 'forced_down' not in body:
            raise fault.bad_request('Missing forced_down field')
        values: dict[str, Any] = {'forced_down': strutils.bool_from_string(
            body['forced_down'], strict=True)}
        answer['forced_down'] = values['forced_down']
    elif action == 'enable':
        values = {'disabled': False, 'disabled_reason': None}
        answer['status'] = 'enabled'
    else:
        values = {'disabled': True}
        answer['status'] = 'disabled'
        if action == 'disable-log-reason':
            if 'disabled_reason' not in body:
                raise fault.bad_request('Missing disabled reason field')
            values['disabled_reason'] = answer['disabled_reason'] = body[
                'disabled_reason']
    hosts.update_service_by_host(ctx, host, binary, values)
    return common.json_response({'service': answer})


def _uuid_update(req: webob.Request, service_id: str) -> webob.Response:
    body = validation.body(req, schema.update_v253)
    if not uuidutils.is_uuid_like(service_id):
        raise fault.bad_request('Invalid uuid %s' % service_id)
    ctx = _authorize(req)
    forced_down = None
    if 'forced_down' in body:
        forced_down = strutils.bool_from_string(body['forced_down'],
                                                strict=True)
    state = hosts.update_service(ctx, service_id, body.get('status'),
                                 body.get('disabled_reason'), forced_down)
    return common.json_response({'service': _view(req, state)})


def update(req: webob.Request, service_id: str) -> webob.Response:
    """Before 2.53: PUT /os-services/{enable|disable|disable-log-reason|
    force-down (2.11+)} with host and binary: 200 {"service": {host,
    binary, status or forced_down, disabled_reason}}; 404 unknown action,
    host or binary. 2.53+: PUT /os-services/{uuid} with status,
    disabled_reason, forced_down: 200 with the whole service; 400 not a
    uuid, nothing to change, a reason when enabling, or not a
    nova-compute; 404 no such service. 400 bad body, 403 not admin."""
    if common.version(req).matches(UUID_IDS):
        return _uuid_update(req, service_id)
    return _legacy_update(req, service_id)


# -- deleting


def delete(req: webob.Request, service_id: str) -> webob.Response:
    """204. 400 the id is not an integer (a uuid from 2.53) or names
    services in several cells; 403 not admin; 404 no such service."""
    ctx = _authorize(req)
    id: Any = service_id
    if common.version(req).matches(UUID_IDS):
        if not uuidutils.is_uuid_like(service_id):
            raise fault.bad_request('Invalid uuid %s' % service_id)
    else:
        try:
            id = int(service_id)
        except ValueError:
            raise fault.bad_request(
                'Invalid input received: id must be an integer')
    hosts.delete_service(ctx, id)
    return common.empty(204)
