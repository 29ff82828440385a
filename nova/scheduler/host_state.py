"""What the scheduler knows of each candidate compute node while it
places one request: the node and its nova-compute service from the
node's cell database, the instances on it, and its free resources as
placement counted them in the candidates' provider summaries.

Host states are built afresh for every request (the summaries are exact
at that moment); the caller updates them after each claim, so that
several instances of one request are not all weighed against the same
free space.
"""

import dataclasses
import datetime

import os_resource_classes as orc
from oslo_log import log as logging
from oslo_utils import timeutils

from nova import cells
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import aggregates
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova.db.main import services
from nova.objects.compute_node import ComputeNode
from nova.objects.service import Service

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class HostState:
    host: str
    nodename: str
    uuid: str
    cell_uuid: str
    # Resource class -> amount placement can still allocate from the
    # node's provider (shared with the caller's view of every provider).
    free: dict[str, int] = dataclasses.field(default_factory=dict)
    service_up: bool = True
    service_disabled: bool = False
    instances: set[str] = dataclasses.field(default_factory=set)
    aggregates: list[dict] = dataclasses.field(default_factory=list)
    metadata: dict[str, str] = dataclasses.field(default_factory=dict)
    limits: dict = dataclasses.field(default_factory=dict)

    @property
    def free_ram_mb(self) -> int:
        return self.free.get(orc.MEMORY_MB, 0)

    @property
    def free_disk_gb(self) -> int:
        return self.free.get(orc.DISK_GB, 0)

    @property
    def free_vcpus(self) -> int:
        return self.free.get(orc.VCPU, 0)

    @property
    def num_instances(self) -> int:
        return len(self.instances)

    @property
    def availability_zone(self) -> str:
        for aggregate in self.aggregates:
            zone = (aggregate.get('metadata') or {}).get('availability_zone')
            if zone:
                return zone
        return CONF.default_availability_zone


def free_from_summary(summary: dict) -> dict[str, int]:
    """Free amounts by class from one provider summary (capacity is
    already (total - reserved) * allocation_ratio)."""
    return {rc: int(r['capacity']) - int(r['used'])
            for rc, r in summary.get('resources', {}).items()}


def _cell_hosts(ctx: nova_context.RequestContext,
                uuids: list[str]) -> list[tuple[ComputeNode, Service | None,
                                                set[str]]]:
    """The cell's compute nodes among `uuids`, each with its compute
    service and the uuids of the live instances on it."""
    with engines.cell_reader(ctx.cell, ctx) as conn:
        nodes = compute_nodes.list_by_uuids(conn, uuids)
        if not nodes:
            return []
        hosts = sorted({n.host for n in nodes})
        svcs = {s.host: s for s in services.list_all(conn, 'nova-compute')
                if s.host in hosts}
        on_node = instances.uuids_by_node(conn, hosts)
    return [(node, svcs.get(node.host),
             on_node.get((node.host, node.hypervisor_hostname), set()))
            for node in nodes]


def host_states(ctx: nova_context.RequestContext,
                free: dict[str, dict[str, int]],
                cell_uuid: str | None = None) -> list[HostState]:
    """A HostState per compute node among the providers in `free` (rp
    uuid -> free amounts), looked up in every cell (or the one given);
    providers that are not compute nodes of a reachable cell are left
    out. Each state's `free` is the very dict in `free`."""
    uuids = sorted(free)
    targets = [c for c in cells.load_cells(ctx) if not c.is_cell0
               and (cell_uuid is None or c.uuid == cell_uuid)]
    results = cells.scatter_gather(ctx, targets, _cell_hosts, uuids)
    now = timeutils.utcnow().replace(tzinfo=None)
    states = []
    for cell_uuid_, result in sorted(results.items()):
        if cells.failed(result):
            LOG.warning('Scheduling without cell %s: %s', cell_uuid_,
                        result)
            continue
        for node, svc, on_node in result:
            states.append(_state(node, svc, on_node, cell_uuid_,
                                 free[node.uuid], now))
    _add_aggregates(ctx, states)
    return states


def _add_aggregates(ctx: nova_context.RequestContext,
                    states: list[HostState]) -> None:
    """Each state's aggregates ({uuid, name, metadata}, from the API
    database), for the filters that go by them (availability zones)."""
    if not states:
        return
    with engines.api_reader(ctx) as conn:
        by_host = aggregates.by_hosts(conn, [s.host for s in states])
    for state in states:
        state.aggregates = [
            {'uuid': a.uuid, 'name': a.name, 'metadata': dict(a.metadata)}
            for a in by_host.get(state.host, [])]


def _state(node: ComputeNode, svc: Service | None, on_node: set[str],
           cell_uuid: str, free: dict[str, int],
           now: datetime.datetime) -> HostState:
    assert node.uuid is not None  # list_by_uuids matched it by uuid
    return HostState(
        host=node.host, nodename=node.hypervisor_hostname, uuid=node.uuid,
        cell_uuid=cell_uuid, free=free,
        service_up=svc is not None and services.is_up(
            svc, now, CONF.service_down_time),
        service_disabled=svc is None or svc.disabled,
        instances=set(on_node))
