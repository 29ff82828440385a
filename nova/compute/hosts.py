"""The services and compute nodes of every cell, as the admin APIs
(os-services, os-hypervisors, os-availability-zone, os-aggregates) see
and change them: read from all cells at once, in cell order then id
order. A cell that does not answer is left out of a listing (and
logged), so that one cell down does not take the admin APIs with it.

A service is up when it reported within [DEFAULT] service_down_time
and is not forced down. Deleting a nova-compute service also deletes
its compute nodes, their resource providers in placement, its host
mapping and its aggregate memberships, so that the host can register
afresh.
"""

from collections.abc import Callable
import dataclasses
from typing import Any, TypeVar

from oslo_log import log as logging
from oslo_utils import timeutils

from nova import availability_zones
from nova import cells
from nova.compute import down_cells
from nova.compute.down_cells import PartialService
from nova.compute import rpcapi as compute_rpcapi
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import aggregates
from nova.db.api import host_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova.db.main import services
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.compute_node import ComputeNode
from nova.objects.instance import Instance
from nova.objects.service import Service
from nova import placement_client

LOG = logging.getLogger(__name__)
T = TypeVar('T')

# API services are not listed by os-services (they keep no heartbeat
# worth showing).
_API_BINARIES = ('nova-osapi_compute', 'nova-metadata')
# What os-hypervisors/statistics sums.
_STAT_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                'free_disk_gb', 'current_workload', 'running_vms',
                'disk_available_least')


@dataclasses.dataclass
class ServiceState:
    """A service with the zone it is in and whether it is up."""
    service: Service
    zone: str
    up: bool


@dataclasses.dataclass
class Hypervisor:
    """A compute node, the nova-compute service managing it (and whether
    that is up) and, when asked for, the live servers on its host (None:
    not asked)."""
    cell: CellMapping
    node: ComputeNode
    service: Service
    up: bool
    servers: list[Instance] | None = None


def gather(ctx: Any, read: Callable[[Any], list[T]]
           ) -> list[tuple[CellMapping, T]]:
    """(cell, item) for every item `read(connection)` returns in each
    cell that answers, cells in mapping order."""
    return gather_and_down_cells(ctx, read)[0]


def gather_and_down_cells(ctx: Any, read: Callable[[Any], list[T]]
                          ) -> tuple[list[tuple[CellMapping, T]],
                                     list[CellMapping]]:
    """As gather, and the cells that did not answer."""
    def in_cell(cctx: Any) -> list[T]:
        with engines.cell_reader(cctx.cell, cctx) as conn:
            return read(conn)
    # cell0 too: the scheduler and the super conductor register there.
    targets = cells.load_cells(ctx)
    results = cells.scatter_gather(ctx, targets, in_cell)
    out: list[tuple[CellMapping, T]] = []
    down: list[CellMapping] = []
    for cell in targets:
        result = results[cell.uuid]
        if cells.failed(result):
            LOG.warning('Leaving cell %s out: %s', cell.name or cell.uuid,
                        result)
            down.append(cell)
            continue
        out.extend((cell, item) for item in result)
    return out, down


def gather_cell(ctx: Any, cell: CellMapping, read: Callable[[Any], T]) -> T:
    """`read(connection)` in one cell."""
    with engines.cell_reader(cell, ctx) as conn:
        return read(conn)


def all_services(ctx: Any) -> list[tuple[CellMapping, Service]]:
    return gather(ctx, services.list_all)


def all_nodes(ctx: Any) -> list[tuple[CellMapping, ComputeNode]]:
    return gather(ctx, compute_nodes.list_all)


def compute_services(ctx: Any) -> dict[tuple[str, str], Service]:
    """{(cell uuid, host): its nova-compute service}."""
    return {(cell.uuid, svc.host): svc for cell, svc in gather(
        ctx, lambda conn: services.list_all(conn, 'nova-compute'))}


def cell_of_host(ctx: Any, host: str) -> CellMapping:
    """The cell `host` is mapped to; HostMappingNotFound."""
    with engines.api_reader(ctx) as conn:
        return host_mappings.get_by_host(conn, host).cell


def _on_host(ctx: Any, host: str,
             binary: str) -> tuple[CellMapping, Service | None]:
    """The cell of `host` (HostMappingNotFound) and its `binary` service,
    if any. Through the host's mapping, as upstream: a service on a host
    no cell maps (a scheduler's, say) is not found. The match is exact
    even on a database that compares names without case."""
    cell = cell_of_host(ctx, host)
    with engines.cell_reader(cell, ctx) as conn:
        svc = services.get_by_host_and_binary(conn, host, binary)
    return cell, svc if svc is not None and svc.host == host else None


def compute_service(ctx: Any, host: str) -> tuple[CellMapping, Service]:
    """The nova-compute service of `host`, through its host mapping;
    HostMappingNotFound or ComputeHostNotFound."""
    cell, svc = _on_host(ctx, host, 'nova-compute')
    if svc is None:
        raise exception.ComputeHostNotFound(host=host)
    return cell, svc


def find_service(ctx: Any, id: Any) -> tuple[CellMapping, Service]:
    """The service whose uuid (a str that looks like one) or integer id
    (ids are per cell) is `id`; ServiceNotFound, or ServiceNotUnique
    when an integer id names services in several cells."""
    def read(conn: Any) -> list[Service]:
        svc = (services.get_by_uuid(conn, id) if isinstance(id, str)
               else services.get(conn, id))
        return [svc] if svc is not None else []
    found = gather(ctx, read)
    if not found:
        raise exception.ServiceNotFound(service_id=id)
    if len(found) > 1:
        raise exception.ServiceNotUnique(service_id=id)
    return found[0]


# -- os-services


def _is_up(svc: Service) -> bool:
    now = timeutils.utcnow().replace(tzinfo=None)
    return services.is_up(svc, now, CONF.service_down_time)


def _state(svc: Service, zones: dict[str, str]) -> ServiceState:
    return ServiceState(svc, availability_zones.service_zone(svc, zones),
                        _is_up(svc))


def service_states(ctx: Any) -> list[ServiceState]:
    """Every service of the cells that answer, with its zone and state."""
    svcs = all_services(ctx)
    zones = availability_zones.host_zones(ctx)
    return [_state(svc, zones) for _cell, svc in svcs]


def list_services(ctx: Any, host: str | None = None,
                  binary: str | None = None) -> list[ServiceState]:
    """The services but nova-api's, on `host` and of `binary` if given."""
    return [state for state in service_states(ctx)
            if _wanted(state.service, host, binary)]


def _wanted(svc: Any, host: str | None, binary: str | None) -> bool:
    return (svc.binary not in _API_BINARIES
            and (host is None or svc.host == host)
            and (binary is None or svc.binary == binary))


def list_services_and_partial(ctx: Any, host: str | None = None,
                              binary: str | None = None
                              ) -> list[ServiceState | PartialService]:
    """As list_services, then (2.69) a partial record of each compute
    host mapped to a cell that did not answer."""
    svcs, down = gather_and_down_cells(ctx, services.list_all)
    zones = availability_zones.host_zones(ctx)
    found: list[ServiceState | PartialService] = [
        _state(svc, zones) for _cell, svc in svcs
        if _wanted(svc, host, binary)]
    found.extend(p for p in down_cells.services(ctx, down)
                 if _wanted(p, host, binary))
    return found


@engines.retry_on_deadlock
def _save(ctx: Any, cell: CellMapping, svc: Service,
          values: dict[str, Any]) -> Service:
    assert svc.id is not None  # read from the database
    with engines.cell_writer(cell, ctx) as conn:
        services.update(conn, svc.id, **values)
        saved = services.get(conn, svc.id)
        assert saved is not None  # updated above, in this transaction
        return saved


def update_service_by_host(ctx: Any, host: str, binary: str,
                           values: dict[str, Any]) -> Service:
    """The `binary` service of `host` with `values` (disabled,
    disabled_reason, forced_down) set; HostMappingNotFound or
    HostBinaryNotFound (404)."""
    cell, svc = _on_host(ctx, host, binary)
    if svc is None:
        raise exception.HostBinaryNotFound(host=host, binary=binary)
    svc = _save(ctx, cell, svc, values)
    LOG.info('Service %s on %s: %s', binary, host, values)
    return svc


def update_service(ctx: Any, uuid: str, status: str | None = None,
                   disabled_reason: str | None = None,
                   forced_down: bool | None = None) -> ServiceState:
    """The nova-compute service `uuid` enabled or disabled (`status`)
    with `disabled_reason`, and/or forced down or not. ServiceNotFound
    (404); ServiceNotUpdatable (400) for another binary;
    ServiceReasonWhenEnabling (400); ServiceNoUpdates (400) when there is
    nothing to change."""
    cell, svc = find_service(ctx, uuid)
    if svc.binary != 'nova-compute':
        raise exception.ServiceNotUpdatable(binary=svc.binary)
    values: dict[str, Any] = {}
    if status == 'enabled':
        if disabled_reason:
            raise exception.ServiceReasonWhenEnabling()
        values.update(disabled=False, disabled_reason=None)
    elif status == 'disabled':
        values.update(disabled=True, disabled_reason=disabled_reason)
    if forced_down is not None:
        values['forced_down'] = forced_down
    if not values:
        raise exception.ServiceNoUpdates()
    svc = _save(ctx, cell, svc, values)
    LOG.info('Service %s on %s: %s', svc.binary, svc.host, values)
    return _state(svc, availability_zones.host_zones(ctx))


def _forget_compute(ctx: Any, cell: CellMapping, host: str) -> None:
    """What a deleted nova-compute leaves behind outside its service
    row: aggregate memberships, resource providers, host mapping."""
    _unmap_host(ctx, host)
    availability_zones.reset_cache()
    nodes = _destroy_nodes(ctx, cell, host)
    client = placement_client.client()
    for node in nodes:
        # Stored nodes have a uuid (compute_nodes.create).
        assert node.uuid is not None
        try:
            client.delete_resource_provider(node.uuid)
        except placement_client.PlacementError as exc:
            LOG.warning('Could not delete resource provider %s of deleted '
                        'compute host %s: %s', node.uuid, host, exc)


@engines.retry_on_deadlock
def _unmap_host(ctx: Any, host: str) -> None:
    """The host out of every aggregate, and its host mapping gone."""
    with engines.api_writer(ctx) as conn:
        for aggregate in aggregates.list_by_host(conn, host):
            assert aggregate.id is not None  # read from the database
            aggregates.remove_host(conn, aggregate.id, host)
        try:
            host_mappings.delete(conn, host)
        except exception.HostMappingNotFound:
            pass


@engines.retry_on_deadlock
def _destroy_nodes(ctx: Any, cell: CellMapping,
                   host: str) -> list[ComputeNode]:
    """Delete the host's compute nodes; the nodes as they were."""
    with engines.cell_writer(cell, ctx) as conn:
        nodes = compute_nodes.list_by_host(conn, host)
        compute_nodes.destroy_by_host(conn, host)
        return nodes


@engines.retry_on_deadlock
def _destroy_service(ctx: Any, cell: CellMapping, id: int) -> None:
    with engines.cell_writer(cell, ctx) as conn:
        services.destroy(conn, id)


def delete_service(ctx: Any, id: Any) -> None:
    """Delete the service of uuid or integer id `id` (as find_service),
    and with a nova-compute what it leaves behind. ServiceToDeleteNotFound
    (404); ServiceNotUnique (400)."""
    try:
        cell, svc = find_service(ctx, id)
    except exception.ServiceNotFound:
        raise exception.ServiceToDeleteNotFound(service_id=id)
    if svc.binary == 'nova-compute':
        _forget_compute(ctx, cell, svc.host)
    assert svc.id is not None  # read from the database
    _destroy_service(ctx, cell, svc.id)
    LOG.info('Deleted service %s on %s (%s)', svc.binary, svc.host,
             svc.uuid)


# -- os-hypervisors


def _hypervisors(ctx: Any, found: list[tuple[CellMapping, ComputeNode]],
                 with_servers: bool) -> list[Hypervisor]:
    """Hypervisors of the nodes of `found` whose host has a nova-compute
    service (a node without one is left out, as upstream does); with the
    servers on their hosts if `with_servers`."""
    svcs = compute_services(ctx)
    out = []
    for cell, node in found:
        svc = svcs.get((cell.uuid, node.host))
        if svc is not None:
            out.append(Hypervisor(cell, node, svc, _is_up(svc)))
    if with_servers:
        _add_servers(ctx, out)
    return out


def _add_servers(ctx: Any, found: list[Hypervisor]) -> None:
    """Fill in the live instances on each hypervisor's host, one read per
    cell."""
    by_cell: dict[str, tuple[CellMapping, set[str]]] = {}
    for hv in found:
        by_cell.setdefault(hv.cell.uuid, (hv.cell, set()))[1].add(
            hv.node.host)
    on_host: dict[tuple[str, str], list[Instance]] = {}
    for cell, wanted in by_cell.values():
        def read(conn: Any, w: set[str] = wanted
                 ) -> dict[str, list[Instance]]:
            return {h: instances.list_by_host(conn, h) for h in sorted(w)}
        with_cell = gather_cell(ctx, cell, read)
        for host, servers in with_cell.items():
            on_host[(cell.uuid, host)] = servers
    for hv in found:
        hv.servers = on_host.get((hv.cell.uuid, hv.node.host))


def list_hypervisors(ctx: Any, with_servers: bool = False,
                     limit: int | None = None, marker: str | None = None,
                     uuids: bool = False) -> list[Hypervisor]:
    """The hypervisors of every cell (cells in mapping order, then node
    id): at most `limit` of those after the one `marker` names (by uuid
    if `uuids`, else by integer id); MarkerNotFound if none does."""
    found = _hypervisors(ctx, all_nodes(ctx), with_servers=False)
    if marker is not None:
        for index, hv in enumerate(found):
            if (hv.node.uuid if uuids else str(hv.node.id)) == marker:
                found = found[index + 1:]
                break
        else:
            raise exception.MarkerNotFound(marker=marker)
    found = found[:limit]
    if with_servers:
        _add_servers(ctx, found)
    return found


def search_hypervisors(ctx: Any, pattern: str,
                       with_servers: bool = False) -> list[Hypervisor]:
    """The hypervisors whose hostname contains `pattern`;
    HypervisorNotMatching (404) if there is none."""
    found = _hypervisors(ctx, gather(
        ctx, lambda conn: compute_nodes.search(conn, pattern)), with_servers)
    if not found:
        raise exception.HypervisorNotMatching(pattern=pattern)
    return found


def get_hypervisor(ctx: Any, hypervisor_id: str, uuids: bool,
                   with_servers: bool = False) -> Hypervisor:
    """The hypervisor of uuid (`uuids`) or integer id `hypervisor_id`
    (two cells may each have a node 1: the first cell's);
    HypervisorNotFound (404), also for an id that is not an integer."""
    read: Callable[[Any], list[ComputeNode]]
    if uuids:
        def read(conn: Any) -> list[ComputeNode]:
            return compute_nodes.list_by_uuids(conn, [hypervisor_id])
    else:
        try:
            id = int(hypervisor_id)
        except ValueError:
            raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)

        def read(conn: Any) -> list[ComputeNode]:
            node = compute_nodes.get(conn, id)
            return [node] if node is not None else []
    found = _hypervisors(ctx, gather(ctx, read), with_servers=False)
    if not found:
        raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
    if with_servers:
        _add_servers(ctx, found[:1])
    return found[0]


def node_usage(node: ComputeNode) -> dict[str, int]:
    """The node's usage figures, integers as upstream always gives them:
    as its compute last wrote them or, for a row no compute has updated
    since, worked out from its sizes (no servers counted)."""
    free_disk_gb = node.local_gb - node.local_gb_used
    fallback = {'free_ram_mb': node.memory_mb - node.memory_mb_used,
                'free_disk_gb': free_disk_gb,
                'disk_available_least': free_disk_gb,
                'running_vms': 0, 'current_workload': 0}
    return {field: value if getattr(node, field) is None
            else getattr(node, field) for field, value in fallback.items()}


def hypervisor_statistics(ctx: Any) -> dict[str, int]:
    """{count, and the sums of sizes and usage} over the hypervisors whose
    service is enabled."""
    enabled = [hv for hv in _hypervisors(ctx, all_nodes(ctx), False)
               if not hv.service.disabled]
    stats = dict.fromkeys(_STAT_FIELDS, 0)
    for hv in enabled:
        figures = node_usage(hv.node)
        for field in _STAT_FIELDS:
            stats[field] += figures.get(field, getattr(hv.node, field) or 0)
    stats['count'] = len(enabled)
    return stats


# -- os-hosts (deprecated)


def list_hosts(ctx: Any, zone: str | None = None) -> list[ServiceState]:
    """The enabled services but nova-api's, in zone `zone` if given."""
    return [state for state in service_states(ctx)
            if not state.service.disabled
            and state.service.binary not in _API_BINARIES
            and (zone is None or state.zone == zone)]


def host_resources(ctx: Any, host: str
                   ) -> tuple[ComputeNode, list[Instance]]:
    """The first compute node of `host` and the live instances on it;
    HostMappingNotFound or ComputeHostNotFound (404)."""
    cell = cell_of_host(ctx, host)

    def read(conn: Any) -> tuple[list[ComputeNode], list[Instance]]:
        return (compute_nodes.list_by_host(conn, host),
                instances.list_by_host(conn, host))
    nodes, servers = gather_cell(ctx, cell, read)
    if not nodes:
        raise exception.ComputeHostNotFound(host=host)
    return nodes[0], servers


def _up_compute(ctx: Any, host: str) -> CellMapping:
    """The cell of `host`, whose nova-compute must be up:
    HostMappingNotFound or ComputeHostNotFound (404),
    ComputeServiceUnavailable (400)."""
    cell, svc = compute_service(ctx, host)
    if not _is_up(svc):
        raise exception.ComputeServiceUnavailable(host=host)
    return cell


def _ask_host(ctx: Any, host: str, method: str, *args: Any) -> str:
    """What `host`'s compute answers to `method` (NotImplementedError
    when its driver cannot), logged."""
    cell = _up_compute(ctx, host)
    with nova_context.target_cell(ctx, cell) as cctx:
        result = getattr(compute_rpcapi.ComputeAPI(), method)(
            cctx, host, *args)
    LOG.info('Host %s: %s%s -> %s', host, method, args, result)
    return result


def set_host_enabled(ctx: Any, host: str, enabled: bool) -> str:
    """Have `host`'s driver take new guests or not: 'enabled' or
    'disabled' (or whatever else the driver says)."""
    return _ask_host(ctx, host, 'set_host_enabled', enabled)


def set_host_maintenance(ctx: Any, host: str, mode: bool) -> str:
    """'on_maintenance' or 'off_maintenance', as the driver says."""
    return _ask_host(ctx, host, 'host_maintenance_mode', mode)


def host_power_action(ctx: Any, host: str, action: str) -> str:
    """startup, shutdown or reboot the host; the driver's answer."""
    return _ask_host(ctx, host, 'host_power_action', action)
