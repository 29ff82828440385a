"""Unshelve, as the super conductor does it.

A SHELVED server still has its guest on its host: that host powers it on.
A SHELVED_OFFLOADED one has no host: the scheduler picks and claims one
in the server's cell (as for a build, ignoring the hosts a build was
forced to), and that host spawns it. If no host is found the server stays
offloaded, with a fault saying why.
"""

import copy

from oslo_log import log as logging

from nova.compute import states
from nova.conductor import task
from nova import context as nova_context
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.instance import Instance
from nova.objects.request_spec import Destination
from nova.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


class Unshelver(task.ConductorTask):
    """The unshelve work of one super conductor process."""

    def unshelve_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance,
                          request_spec: RequestSpec) -> None:
        """See the module docstring; the API has set task_state
        UNSHELVING."""
        with engines.api_reader(ctx) as conn:
            cell = instance_mappings.get_by_instance_uuid(
                conn, instance.uuid).cell
        # Only servers that were built (in a cell) can be shelved.
        assert cell is not None
        image = {'id': instance.system_metadata.get('shelved_image_id') or
                 instance.image_ref}
        if instance.vm_state == states.SHELVED:
            assert instance.host is not None and instance.node is not None
            with nova_context.target_cell(ctx, cell) as cctx:
                self.compute_api.unshelve_instance(
                    cctx, instance, instance.host, instance.node, image)
            return
        spec = self._spec(request_spec, instance, cell.uuid)
        try:
            (host_list,) = self.scheduler_api.select_destinations(
                ctx, spec, [instance.uuid])
        except Exception as exc:
            self._no_host(cell, instance, exc)
            return
        chosen = host_list[0]
        LOG.info('Unshelving instance %s onto %s', instance.uuid,
                 chosen.service_host)
        with nova_context.target_cell(ctx, cell) as cctx:
            self.compute_api.unshelve_instance(
                cctx, instance, chosen.service_host, chosen.nodename, image)

    @staticmethod
    def _spec(request_spec: RequestSpec, instance: Instance,
              cell_uuid: str) -> RequestSpec:
        spec = copy.deepcopy(request_spec)
        spec.flavor = instance.flavor
        spec.instance_uuid = instance.uuid
        spec.project_id = instance.project_id
        spec.user_id = instance.user_id
        spec.num_instances = 1
        # A host the original build was forced to is no longer asked for.
        spec.force_hosts, spec.force_nodes = [], []
        destination = spec.requested_destination or Destination()
        destination.cell_uuid = cell_uuid
        spec.requested_destination = destination
        return spec

    @staticmethod
    def _no_host(cell: CellMapping, instance: Instance,
                 exc: Exception) -> None:
        LOG.warning('No host to unshelve instance %s on: %s',
                    instance.uuid, exc)
        with engines.cell_writer(cell) as conn:
            try:
                instances.update(conn, instance.uuid, task_state=None,
                                 expected_task_state=[states.UNSHELVING])
                instances.add_fault_from(conn, instance.uuid, exc)
            except (exception.InstanceNotFound,
                    exception.UnexpectedTaskStateError) as err:
                LOG.info('Instance %s changed meanwhile: %s',
                         instance.uuid, err)
