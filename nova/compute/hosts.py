"""The services and compute nodes of every cell, as the admin APIs
(os-services, os-hypervisors, os-availability-zone, os-aggregates) see
them: read from all cells at once, in cell order then id order. A cell
that does not answer is left out of a listing (and logged), so that one
cell down does not take the admin APIs with it.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from oslo_log import log as logging

from nova import cells
from nova.db.api import host_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import services
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.compute_node import ComputeNode
from nova.objects.service import Service

LOG = logging.getLogger(__name__)
T = TypeVar('T')


def gather(ctx: Any, read: Callable[[Any], list[T]]
           ) -> list[tuple[CellMapping, T]]:
    """(cell, item) for every item `read(connection)` returns in each
    cell that answers, cells in mapping order."""
    def in_cell(cctx: Any) -> list[T]:
        with engines.cell_reader(cctx.cell, cctx) as conn:
            return read(conn)
    # cell0 too: the scheduler and the super conductor register there.
    targets = cells.load_cells(ctx)
    results = cells.scatter_gather(ctx, targets, in_cell)
    out = []
    for cell in targets:
        result = results[cell.uuid]
        if cells.failed(result):
            LOG.warning('Leaving cell %s out: %s', cell.name or cell.uuid,
                        result)
            continue
        out.extend((cell, item) for item in result)
    return out


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


def compute_service(ctx: Any, host: str) -> tuple[CellMapping, Service]:
    """The nova-compute service of `host`, through its host mapping;
    HostMappingNotFound or ComputeHostNotFound. The match is exact even
    on a database that compares names without case."""
    cell = cell_of_host(ctx, host)
    with engines.cell_reader(cell, ctx) as conn:
        svc = services.get_by_host_and_binary(conn, host, 'nova-compute')
    if svc is None or svc.host != host:
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
