"""Mapping new compute hosts to their cells (cell_v2 discover_hosts).

A compute host registers itself only in its cell's database (computes
never see the API database), so something with access to both has to
notice it and write its host mapping: nova-manage cell_v2 discover_hosts,
or the scheduler's periodic discovery. By default a host is found through
its compute nodes, each marked `mapped` once its host has a mapping so the
next run skips it; by service, through its nova-compute service record.
Runs must not overlap: two would try to map the same host
(HostMappingExists).
"""

from collections.abc import Callable

from oslo_db import exception as db_exc
from oslo_log import log as logging

from nova import context as nova_context
from nova.db.api import cell_mappings
from nova.db.api import host_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import services
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.host_mapping import HostMapping

LOG = logging.getLogger(__name__)

Status = Callable[[str], None]


def discover_hosts(ctx: nova_context.RequestContext,
                   cell_uuid: str | None = None,
                   status: Status = lambda message: None,
                   by_service: bool = False) -> list[HostMapping]:
    """Map every unmapped compute host of one cell (or all) and return
    the new mappings. Raises CellMappingNotFound, HostMappingExists."""
    with engines.api_reader(ctx) as conn:
        if cell_uuid:
            cells = [cell_mappings.get(conn, cell_uuid)]
        else:
            cells = cell_mappings.list_all(conn)
            status('Found %s cell mappings.' % len(cells))
    added: list[HostMapping] = []
    for cell in cells:
        if cell.is_cell0:
            status('Skipping cell0 since it does not contain hosts.')
            continue
        if cell.name:
            status("Getting computes from cell '%s': %s"
                   % (cell.name, cell.uuid))
        else:
            status('Getting computes from cell: %s' % cell.uuid)
        with nova_context.target_cell(ctx, cell) as cctx:
            if by_service:
                new = _map_services(cctx, cell, status)
            else:
                new = _map_compute_nodes(cctx, cell, status)
        status('Found %s unmapped computes in cell: %s'
               % (len(new), cell.uuid))
        added.extend(new)
    return added


def _map_compute_nodes(cctx: nova_context.RequestContext, cell: CellMapping,
                       status: Status) -> list[HostMapping]:
    with engines.cell_reader(cell, cctx) as conn:
        nodes = [n for n in compute_nodes.list_all(conn) if not n.mapped]
    added = []
    for node in nodes:
        status("Checking host mapping for compute host '%s': %s"
               % (node.host, node.uuid))
        mapping = _map_host(cctx, cell, node.host, status,
                            "Creating host mapping for compute host "
                            "'%s': %s" % (node.host, node.uuid))
        if mapping is not None:
            added.append(mapping)
    if nodes:
        # Only after the mappings exist: an interrupted run leaves the
        # nodes unmarked, and the next one finds their hosts mapped.
        with engines.cell_writer(cell, cctx) as conn:
            # (All of them: every node read from the database has an id.)
            compute_nodes.mark_mapped(conn, [n.id for n in nodes
                                             if n.id is not None])
    return added


def _map_services(cctx: nova_context.RequestContext, cell: CellMapping,
                  status: Status) -> list[HostMapping]:
    with engines.cell_reader(cell, cctx) as conn:
        hosts = sorted({s.host for s in
                        services.list_all(conn, binary='nova-compute')})
    added = []
    for host in hosts:
        mapping = _map_host(cctx, cell, host, status,
                            'Creating host mapping for service %s' % host)
        if mapping is not None:
            added.append(mapping)
    return added


def _map_host(cctx: nova_context.RequestContext, cell: CellMapping,
              host: str, status: Status, message: str) -> HostMapping | None:
    """Map `host` to `cell` unless it is mapped already (to any cell)."""
    with engines.api_writer(cctx) as conn:
        if host_mappings.mapped_hosts(conn, [host]):
            return None
        status(message)
        assert cell.id is not None  # read from the database
        try:
            mapping = host_mappings.create(conn, host, cell.id)
        except db_exc.DBDuplicateEntry:
            raise exception.HostMappingExists(name=host)
    LOG.info('Mapped host %s to cell %s', host, cell.name or cell.uuid)
    return mapping
