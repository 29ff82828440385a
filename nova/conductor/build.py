"""Building servers: the super conductor's first placement of a request,
and a cell conductor's retries on the alternates.

schedule_and_build_instances (super conductor, API database): one
select_destinations for the whole request claims a host per instance.
Each instance is then created in the cell of its host (vm_state
BUILDING), its build request deleted and its mapping pointed at the cell,
and nova-compute on the host is asked to build it with the other hosts
the scheduler offered as alternates. If the scheduler finds no room, each
instance is buried in cell0 instead: created there in ERROR with a fault,
so that the user sees why.

build_instances (cell conductor, cell database only): a compute failed to
spawn and freed its claim; claim the next alternate with the allocation
request the scheduler left in its Selection and send the build there,
until none is left or [scheduler] max_attempts hosts were tried: then the
instance goes to ERROR with a MaxRetriesExceeded fault and holds nothing
in placement.
"""

import json
from typing import Any

from oslo_log import log as logging

from nova import cells
from nova.compute import block_devices
from nova.compute import states
from nova.conductor import task
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import build_requests
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import block_device_mappings
from nova.db.main import instance_actions
from nova.db.main import instances
from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.cell_mapping import CELL0_UUID
from nova.objects.cell_mapping import CellMapping
from nova.objects.instance import Instance
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import placement_client
from nova.scheduler import server_group

LOG = logging.getLogger(__name__)

# system_metadata key counting the hosts a build was sent to.
ATTEMPTS = 'build_attempts'


def _latest(ctx: nova_context.RequestContext,
            build_req: BuildRequest) -> BuildRequest:
    """The build request as stored now: a server update (PUT) may have
    changed it since the API sent it."""
    with engines.api_reader(ctx) as conn:
        try:
            return build_requests.get_by_instance_uuid(
                conn, build_req.instance_uuid)
        except exception.BuildRequestNotFound:
            # Deleted meanwhile: _delete_build_request sees to it.
            return build_req


class Builder(task.ConductorTask):
    """The build work of one conductor process."""

    # Super conductor

    def schedule_and_build_instances(
            self, ctx: nova_context.RequestContext,
            build_reqs: list[BuildRequest], specs: list[RequestSpec],
            image: dict, admin_password: str | None, injected_files: list,
            requested_networks: Any, block_device_mapping: list) -> None:
        """See the module docstring; `specs` has one spec per build
        request, and specs[0] speaks for the whole request."""
        uuids = [br.instance_uuid for br in build_reqs]
        spec = specs[0]
        spec.num_instances = len(uuids)
        try:
            host_lists = self.scheduler_api.select_destinations(
                ctx, spec, uuids)
        except Exception as exc:
            LOG.warning('Could not schedule %s: %s', ', '.join(uuids), exc)
            for build_req in build_reqs:
                self._bury_in_cell0(ctx, build_req, exc)
            return
        if spec.instance_group:
            # Members accepted meanwhile, for the compute's late check.
            server_group.refresh_members(ctx, spec)
            for request_spec in specs[1:]:
                request_spec.instance_group = spec.instance_group
        by_uuid = {c.uuid: c for c in cells.load_cells(ctx)}
        for build_req, request_spec, host_list in zip(build_reqs, specs,
                                                      host_lists):
            chosen, alternates = host_list[0], list(host_list[1:])
            cell = by_uuid.get(chosen.cell_uuid)
            if cell is None:
                cell = {c.uuid: c for c in cells.load_cells(
                    ctx, fresh=True)}[chosen.cell_uuid]
            instance = self._create_in_cell(ctx, build_req, cell, chosen)
            if instance is None:
                continue
            with nova_context.target_cell(ctx, cell) as cctx:
                self.compute_api.build_and_run_instance(
                    cctx, instance, chosen.service_host, chosen.nodename,
                    image, request_spec, admin_password, injected_files,
                    requested_networks, block_device_mapping,
                    chosen.limits, alternates)

    def _create_in_cell(self, ctx: nova_context.RequestContext,
                        build_req: BuildRequest, cell: CellMapping,
                        chosen: Selection) -> Instance | None:
        """The instance, created in `cell` on the chosen host, its build
        request gone and its mapping pointing at the cell; None (and its
        claim freed) if the user deleted it meanwhile."""
        instance = _latest(ctx, build_req).instance
        instance.update(
            host=chosen.service_host, node=chosen.nodename,
            launched_on=chosen.service_host, vm_state=states.BUILDING,
            task_state=states.SCHEDULING,
            system_metadata={**instance.system_metadata, ATTEMPTS: '1'})
        if not instance.tags and build_req.tags:
            instance.tags = list(build_req.tags)
        bdms = block_devices.from_dicts(build_req.block_device_mappings)
        with engines.cell_writer(cell) as conn:
            instance = instances.create(conn, instance)
            for bdm in bdms:
                block_device_mappings.create(conn, bdm)
            instance_actions.start_action(conn, ctx, instance.uuid,
                                          'create')
        if not self._delete_build_request(ctx, instance, cell):
            self.placement.free_allocations(instance.uuid)
            block_devices.unreserve(ctx, bdms)
            return None
        LOG.info('Instance %s created in cell %s on host %s', instance.uuid,
                 cell.name or cell.uuid, chosen.service_host)
        return instance

    def _delete_build_request(self, ctx: nova_context.RequestContext,
                              instance: Instance, cell: CellMapping) -> bool:
        """Delete the build request and map the instance to `cell`; if
        the build request was already gone the user deleted the server
        meanwhile: destroy the instance just created and say False."""
        # One transaction: a reader must never find the build request
        # gone and the mapping still without a cell (a 404 meanwhile).
        with engines.api_writer(ctx) as conn:
            deleted = build_requests.delete(conn, instance.uuid)
            if deleted:
                instance_mappings.update(conn, instance.uuid,
                                         cell_id=cell.id)
        if not deleted:
            LOG.info('Instance %s was deleted before it was built',
                     instance.uuid)
            with engines.cell_writer(cell) as conn:
                instances.destroy(conn, instance.uuid)
            return False
        return True

    def _bury_in_cell0(self, ctx: nova_context.RequestContext,
                       build_req: BuildRequest, exc: Exception) -> None:
        """Keep the instance that could not be scheduled in cell0, in
        ERROR with the reason as its fault."""
        cell0 = next((c for c in cells.load_cells(ctx)
                      if c.uuid == CELL0_UUID), None)
        if cell0 is None:
            LOG.error('No cell0 mapping: instance %s that could not be '
                      'scheduled stays a build request',
                      build_req.instance_uuid)
            return
        instance = build_req.instance
        instance.update(vm_state=states.ERROR, task_state=None)
        if not instance.tags and build_req.tags:
            instance.tags = list(build_req.tags)
        with engines.cell_writer(cell0) as conn:
            instances.create(conn, instance)
            instance_actions.start_action(conn, ctx, instance.uuid,
                                          'create')
            instances.add_fault_from(conn, instance.uuid, exc)
        # Its volumes are not kept for a server that was never built.
        block_devices.unreserve(
            ctx, block_devices.from_dicts(build_req.block_device_mappings))
        if self._delete_build_request(ctx, instance, cell0):
            LOG.info('Instance %s put in cell0: %s', instance.uuid, exc)

    # Cell conductor

    def build_instances(self, ctx: nova_context.RequestContext,
                        cell: CellMapping, instance: Instance, image: dict,
                        request_spec: RequestSpec,
                        host_list: list[Selection],
                        admin_password: str | None, injected_files: list,
                        requested_networks: Any) -> None:
        """Retry a failed build on the next alternate (see the module
        docstring); `cell` is this conductor's own cell."""
        uuid = instance.uuid
        attempts = int(instance.system_metadata.get(ATTEMPTS, '1'))
        remaining = list(host_list)
        while remaining and attempts < CONF.scheduler.max_attempts:
            selection = remaining.pop(0)
            if not self._claim(instance, selection):
                continue
            attempts += 1
            try:
                with engines.cell_writer(cell) as conn:
                    instance = instances.update(
                        conn, uuid, host=selection.service_host,
                        node=selection.nodename,
                        launched_on=selection.service_host,
                        system_metadata={**instance.system_metadata,
                                         ATTEMPTS: str(attempts)},
                        expected_task_state=states.SCHEDULING)
            except (exception.InstanceNotFound,
                    exception.UnexpectedTaskStateError) as exc:
                LOG.info('Not retrying the build of %s: %s', uuid, exc)
                self.placement.free_allocations(uuid)
                return
            LOG.info('Retrying the build of %s on %s (attempt %d)', uuid,
                     selection.service_host, attempts)
            with nova_context.target_cell(ctx, cell) as cctx:
                self.compute_api.build_and_run_instance(
                    cctx, instance, selection.service_host,
                    selection.nodename, image, request_spec,
                    admin_password, injected_files, requested_networks,
                    [], selection.limits, remaining)
            return
        self._give_up(ctx, cell, instance, attempts)

    def _claim(self, instance: Instance, selection: Selection) -> bool:
        """Claim the alternate's resources for the instance; False if
        the room went meanwhile (or there is no allocation request)."""
        if not selection.allocation_request:
            return False
        request = json.loads(selection.allocation_request)
        try:
            claimed = self.placement.claim(
                instance.uuid, request['allocations'], instance.project_id,
                instance.user_id,
                version=(selection.allocation_request_version
                         or placement_client.MICROVERSION))
        except placement_client.PlacementError as exc:
            LOG.warning('Could not claim %s for %s: %s',
                        selection.service_host, instance.uuid, exc)
            return False
        if not claimed:
            LOG.info('Alternate %s has no room left for %s',
                     selection.service_host, instance.uuid)
        return claimed

    def _give_up(self, ctx: nova_context.RequestContext, cell: CellMapping,
                 instance: Instance, attempts: int) -> None:
        exc = exception.MaxRetriesExceeded(
            reason='Exhausted all hosts available for retrying build '
                   'failures for instance %s.' % instance.uuid)
        LOG.error('Build of instance %s failed on %d hosts: %s',
                  instance.uuid, attempts, exc)
        try:
            with engines.cell_writer(cell) as conn:
                instances.update(conn, instance.uuid, vm_state=states.ERROR,
                                 task_state=None, host=None, node=None,
                                 expected_task_state=states.SCHEDULING)
                instances.add_fault_from(conn, instance.uuid, exc)
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError) as err:
            LOG.info('Instance %s changed meanwhile: %s', instance.uuid,
                     err)
        self.placement.free_allocations(instance.uuid)
