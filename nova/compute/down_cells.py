"""What the API database knows of the servers and services of a cell that
does not answer: microversion 2.69's partial records.

A server of such a cell is its instance mapping (uuid, project, user,
creation time); shown on its own it adds what its request spec says
(flavor, image, availability zone). A service is its host mapping: a
nova-compute on that host. The caller renders them with status UNKNOWN.
"""

import dataclasses
import datetime
from typing import Any

from oslo_log import log as logging

from nova.compute import api as compute_api
from nova.compute import instance_list
from nova.db.api import host_mappings
from nova.db.api import instance_mappings
from nova.db.api import request_specs
from nova.db import engines
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class PartialServer:
    """A server of a cell that did not answer. `flavor` is None unless
    its request spec was read (a show, not a list)."""
    uuid: str
    project_id: str
    user_id: str | None
    created_at: datetime.datetime | None
    flavor: Flavor | None = None
    image_ref: str | None = None
    availability_zone: str | None = None


@dataclasses.dataclass
class PartialService:
    """A nova-compute of a cell that did not answer."""
    host: str
    binary: str = 'nova-compute'


def servers(ctx: Any, cell_uuids: list[str], project_id: str | None,
            limit: int | None = None) -> list[PartialServer]:
    """The servers mapped to those cells and not being deleted, of one
    project (None: all), at most `limit`."""
    if not cell_uuids or limit == 0:
        return []
    for cell_uuid in cell_uuids:
        LOG.warning('Cell %s is not answering: its servers are listed '
                    'from the API database only', cell_uuid)
    with engines.api_reader(ctx) as conn:
        mappings = instance_mappings.list_live_in_cells(
            conn, cell_uuids, project_id, limit)
    return [PartialServer(m.instance_uuid, m.project_id, m.user_id,
                          m.created_at) for m in mappings]


def server(ctx: Any, uuid: str) -> PartialServer:
    """The server `uuid` of a cell that did not answer, with what its
    request spec says (InstanceNotFound if it has no mapping)."""
    with engines.api_reader(ctx) as conn:
        try:
            mapping = instance_mappings.get_by_instance_uuid(conn, uuid)
        except exception.InstanceMappingNotFound:
            raise exception.InstanceNotFound(instance_id=uuid)
        try:
            spec = request_specs.get(conn, uuid)
        except exception.RequestSpecNotFound:
            spec = None
    found = PartialServer(uuid, mapping.project_id, mapping.user_id,
                          mapping.created_at)
    if spec is not None:
        found.flavor = spec.flavor
        found.image_ref = (spec.image or {}).get('id')
        found.availability_zone = spec.availability_zone
        found.user_id = found.user_id or spec.user_id
    return found


def services(ctx: Any, cells: list[CellMapping]) -> list[PartialService]:
    """The compute hosts mapped to those cells."""
    found: list[PartialService] = []
    with engines.api_reader(ctx) as conn:
        for cell in cells:
            LOG.warning('Cell %s is not answering: its compute services '
                        'are listed from the host mappings only',
                        cell.name or cell.uuid)
            found.extend(PartialService(m.host)
                         for m in host_mappings.list_all(conn, cell.uuid))
    return found


def list_servers(ctx: Any, filters: dict,
                 sort_keys: list[str] | None = None,
                 sort_dirs: list[str] | None = None,
                 limit: int | None = None, marker: str | None = None
                 ) -> list[Instance | PartialServer]:
    """instance_list.list_servers at 2.69: the servers of the cells that
    did not answer come first, as partial records (of the filters, only
    the project applies to them), within `limit` with the others."""
    found, down = instance_list.list_servers_and_down_cells(
        ctx, filters, sort_keys, sort_dirs, limit, marker)
    partial = servers(ctx, down, filters.get('project_id'),
                      None if limit is None else limit - len(found))
    return [*partial, *found]


def get(ctx: Any, uuid: str) -> compute_api.Server | PartialServer:
    """compute.api.get, or the partial record of a server whose cell does
    not answer (InstanceNotFound if none the caller may see)."""
    try:
        return compute_api.get(ctx, uuid)
    except exception.CellUnavailable:
        found = server(ctx, uuid)
    if not ctx.is_admin and found.project_id != ctx.project_id:
        raise exception.InstanceNotFound(instance_id=uuid)
    return found
