"""/os-services: the services of every cell; enabling, disabling and
forcing down a service; deleting one (admins only).

Before 2.53 a service is named by host and binary in the body of
PUT /os-services/{enable,disable,disable-log-reason,force-down} and its
id is the cell-local integer id; from 2.53 by its uuid in the path.
Deleting a nova-compute service also deletes its compute nodes, their
resource providers in placement, its host mapping and its aggregate
memberships, so that the host can register afresh.
"""

from typing import Any

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import services as schema
from nova.api import validation
from nova import availability_zones
from nova.compute import hosts
from nova.conf import CONF
from nova.db.api import aggregates
from nova.db.api import host_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import services as db
from nova import exception
from nova.objects.service import Service
from nova import placement_client
from nova import policy
from nova.policies import services as rules

LOG = logging.getLogger(__name__)

UUID_IDS = (2, 53)
FORCE_DOWN = (2, 11)
# API services are not listed (they keep no heartbeat worth showing).
_API_BINARIES = ('nova-osapi_compute', 'nova-metadata')


def _authorize(req: webob.Request) -> Any:
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    return ctx


def _view(req: webob.Request, svc: Service, zones: dict[str, str]) -> dict:
    version = common.version(req)
    now = timeutils.utcnow().replace(tzinfo=None)
    out = {
        'id': svc.uuid if version.matches(UUID_IDS) else svc.id,
        'binary': svc.binary,
        'host': svc.host,
        'zone': availability_zones.service_zone(svc, zones),
        'status': 'disabled' if svc.disabled else 'enabled',
        'state': 'up' if db.is_up(svc, now, CONF.service_down_time)
        else 'down',
        'updated_at': common.usage_time(svc.updated_at),
        'disabled_reason': svc.disabled_reason,
    }
    if version.matches(FORCE_DOWN):
        out['forced_down'] = svc.forced_down
    return out


def index(req: webob.Request) -> webob.Response:
    """200 {"services": [...]} of every cell; query host and binary
    filter. 403 not admin."""
    ctx = _authorize(req)
    host, binary = req.GET.get('host'), req.GET.get('binary')
    found = [svc for _cell, svc in hosts.all_services(ctx)
             if svc.binary not in _API_BINARIES
             and (host is None or svc.host == host)
             and (binary is None or svc.binary == binary)]
    zones = availability_zones.host_zones(ctx)
    return common.json_response(
        {'services': [_view(req, svc, zones) for svc in found]})


# -- updating


def _save(ctx: Any, cell: Any, svc: Service, **values: Any) -> Service:
    with engines.cell_writer(cell, ctx) as conn:
        db.update(conn, svc.id, **values)
        return db.get(conn, svc.id)


def _by_host_and_binary(ctx: Any, host: str,
                        binary: str) -> tuple[Any, Service]:
    """Through the host's mapping, as upstream: a service on a host no
    cell maps (a scheduler's, say) is not found."""
    cell = hosts.cell_of_host(ctx, host)
    with engines.cell_reader(cell, ctx) as conn:
        svc = db.get_by_host_and_binary(conn, host, binary)
    if svc is None or svc.host != host:
        raise exception.HostBinaryNotFound(host=host, binary=binary)
    return cell, svc


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
    cell, svc = _by_host_and_binary(ctx, host, binary)
    _save(ctx, cell, svc, **values)
    LOG.info('Service %s on %s: %s', binary, host, values)
    return common.json_response({'service': answer})


def _uuid_update(req: webob.Request, service_id: str) -> webob.Response:
    body = validation.body(req, schema.update_v253)
    if not uuidutils.is_uuid_like(service_id):
        raise fault.bad_request('Invalid uuid %s' % service_id)
    ctx = _authorize(req)
    cell, svc = hosts.find_service(ctx, service_id)
    if svc.binary != 'nova-compute':
        raise fault.bad_request(
            'Updating a %s service is not supported. Only nova-compute '
            'services can be updated.' % svc.binary)
    values: dict[str, Any] = {}
    if body.get('status') == 'enabled':
        if body.get('disabled_reason'):
            raise fault.bad_request("Specifying 'disabled_reason' with "
                                    "status 'enabled' is invalid.")
        values.update(disabled=False, disabled_reason=None)
    elif body.get('status') == 'disabled':
        values.update(disabled=True,
                      disabled_reason=body.get('disabled_reason'))
    if 'forced_down' in body:
        values['forced_down'] = strutils.bool_from_string(
            body['forced_down'], strict=True)
    if not values:
        raise fault.bad_request("No updates were requested. Fields 'status' "
                                "or 'forced_down' should be specified.")
    svc = _save(ctx, cell, svc, **values)
    LOG.info('Service %s on %s: %s', svc.binary, svc.host, values)
    return common.json_response({'service': _view(
        req, svc, availability_zones.host_zones(ctx))})


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


def _forget_compute(ctx: Any, cell: Any, host: str) -> None:
    """What a deleted nova-compute leaves behind outside its service
    row: aggregate memberships, resource providers, host mapping."""
    with engines.api_writer(ctx) as conn:
        for aggregate in aggregates.list_by_host(conn, host):
            aggregates.remove_host(conn, aggregate.id, host)
        try:
            host_mappings.delete(conn, host)
        except exception.HostMappingNotFound:
            pass
    availability_zones.reset_cache()
    with engines.cell_writer(cell, ctx) as conn:
        nodes = compute_nodes.list_by_host(conn, host)
        compute_nodes.destroy_by_host(conn, host)
    client = placement_client.client()
    for node in nodes:
        try:
            client.delete_resource_provider(node.uuid)
        except placement_client.PlacementError as exc:
            LOG.warning('Could not delete resource provider %s of deleted '
                        'compute host %s: %s', node.uuid, host, exc)


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
    try:
        cell, svc = hosts.find_service(ctx, id)
    except exception.ServiceNotFound:
        raise fault.not_found('Service %s not found.' % service_id)
    if svc.binary == 'nova-compute':
        _forget_compute(ctx, cell, svc.host)
    with engines.cell_writer(cell, ctx) as conn:
        db.destroy(conn, svc.id)
    LOG.info('Deleted service %s on %s (%s)', svc.binary, svc.host,
             svc.uuid)
    return common.empty(204)
