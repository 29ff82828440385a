"""Resize and cold migration, as the super conductor starts them.

The instance's current allocation (on its source node) is parked on a new
migration's uuid as consumer, so that the source keeps its room while
the instance also claims the new flavor on the destination; the
scheduler then picks and claims a destination in the instance's cell
(never its current host), and the destination compute takes over
(prep_resize). If no destination is found the parked allocation goes
back to the instance and the instance stays where it was.
"""

import copy
import uuid as uuidlib

from oslo_log import log as logging

from nova.compute import states
from nova.conductor import task
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.db.main import migrations
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import Destination
from nova.objects.request_spec import RequestSpec
from nova import placement_client

LOG = logging.getLogger(__name__)


class Migrator(task.ConductorTask):
    """The move work of one super conductor process."""

    def migrate_server(self, ctx: nova_context.RequestContext,
                       instance: Instance, flavor: Flavor | None,
                       request_spec: RequestSpec) -> None:
        """Resize to `flavor`, or cold migrate if it is None (see the
        module docstring). The API has set task_state RESIZE_PREP."""
        with engines.api_reader(ctx) as conn:
            cell = instance_mappings.get_by_instance_uuid(
                conn, instance.uuid).cell
        # The API resizes ACTIVE or STOPPED servers only: built in a cell.
        assert cell is not None
        new_flavor = flavor or instance.flavor
        with engines.cell_writer(cell) as conn:
            migration = migrations.create(conn, Migration(
                uuid=str(uuidlib.uuid4()), instance_uuid=instance.uuid,
                source_compute=instance.host, source_node=instance.node,
                old_instance_type_id=instance.flavor.id,
                new_instance_type_id=new_flavor.id,
                status='pre-migrating',
                migration_type='resize' if flavor else 'migration'))
        assert migration.uuid is not None  # given just above
        parked = self.placement.move_allocations(instance.uuid,
                                                 migration.uuid)
        spec = self._spec(request_spec, instance, new_flavor, cell.uuid,
                          same_host=bool(flavor) and
                          CONF.allow_resize_to_same_host)
        try:
            (host_list,) = self.scheduler_api.select_destinations(
                ctx, spec, [instance.uuid])
        except Exception as exc:
            self._no_destination(cell, instance, migration, parked, exc)
            return
        chosen, alternates = host_list[0], list(host_list[1:])
        LOG.info('Moving instance %s from %s to %s (migration %s)',
                 instance.uuid, instance.host, chosen.service_host,
                 migration.uuid)
        with nova_context.target_cell(ctx, cell) as cctx:
            self.compute_api.prep_resize(
                cctx, instance, {'id': instance.image_ref}, new_flavor,
                migration, spec, alternates, chosen.service_host,
                chosen.nodename)

    @staticmethod
    def _spec(request_spec: RequestSpec, instance: Instance,
              flavor: Flavor, cell_uuid: str,
              same_host: bool = False) -> RequestSpec:
        """The request to place the moved instance: the new flavor, in
        its own cell, anywhere but where it is now (unless `same_host`:
        a resize with [DEFAULT] allow_resize_to_same_host)."""
        spec = copy.deepcopy(request_spec)
        spec.flavor = flavor
        spec.instance_uuid = instance.uuid
        spec.project_id = instance.project_id
        spec.user_id = instance.user_id
        spec.num_instances = 1
        assert instance.host is not None  # ACTIVE or STOPPED: on a host
        if not same_host:
            spec.ignore_hosts = sorted(set(spec.ignore_hosts)
                                       | {instance.host})
        spec.force_hosts, spec.force_nodes = [], []
        destination = spec.requested_destination or Destination()
        destination.cell_uuid = cell_uuid
        spec.requested_destination = destination
        return spec

    def _no_destination(self, cell, instance: Instance,
                        migration: Migration, parked: bool,
                        exc: Exception) -> None:
        LOG.warning('No destination for instance %s: %s', instance.uuid,
                    exc)
        # Created by migrate_server, with a uuid.
        assert migration.id is not None and migration.uuid is not None
        if parked:
            try:
                self.placement.move_allocations(migration.uuid,
                                                instance.uuid)
            except placement_client.PlacementError as perr:
                LOG.error('Could not give instance %s its allocation '
                          'back: %s', instance.uuid, perr)
        with engines.cell_writer(cell) as conn:
            migrations.update(conn, migration.id, status='error')
            try:
                instances.update(conn, instance.uuid, task_state=None,
                                 expected_task_state=[states.RESIZE_PREP,
                                                      None])
                instances.add_fault_from(conn, instance.uuid, exc)
            except (exception.InstanceNotFound,
                    exception.UnexpectedTaskStateError) as err:
                LOG.info('Instance %s changed meanwhile: %s',
                         instance.uuid, err)
