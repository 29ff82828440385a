"""Evacuation, as the super conductor carries it on: the instance of a
down host is given a destination (scheduled, or the forced host) and
then holds allocations on both its source and its destination, as
upstream's, until the source comes back and drops its share. The
destination compute rebuilds it there. No destination: the instance
goes to ERROR on its down host, the migration ends in error."""

from oslo_log import log as logging

from nova.compute import states
from nova.conductor import destinations
from nova.conductor import task
from nova import context as nova_context
from nova.db import engines
from nova.db.main import migrations
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


class Evacuator(task.ConductorTask):

    def evacuate_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance, migration: Migration,
                          host: str | None, force: bool,
                          admin_password: str | None,
                          request_spec: RequestSpec) -> None:
        """The API has set task_state REBUILDING, recorded the action and
        the migration (type evacuation, status accepted)."""
        cell = destinations.cell_of(ctx, instance.uuid)
        assert migration.uuid is not None and migration.id is not None
        # Parked on the migration while the destination is claimed for
        # the instance (the scheduler claims for a consumer holding
        # nothing), then merged back.
        self.placement.move_allocations(instance.uuid, migration.uuid)
        try:
            dest, node = destinations.choose(
                ctx, self.placement, self.scheduler_api, cell, instance,
                request_spec, host, force, migration.uuid)
            self.placement.move_allocations(migration.uuid, instance.uuid,
                                            merge=True)
        except Exception as exc:
            destinations.give_back(self.placement, cell, instance,
                                   migration, exc, vm_state=states.ERROR)
            return
        with engines.cell_writer(cell) as conn:
            migration = migrations.update(conn, migration.id,
                                          dest_compute=dest, dest_node=node,
                                          dest_host=dest,
                                          status='pre-migrating')
        LOG.info('Evacuating instance %s from %s to %s (migration %s)',
                 instance.uuid, instance.host, dest, migration.uuid)
        with nova_context.target_cell(ctx, cell) as cctx:
            self.compute_api.evacuate_instance(cctx, instance, dest, node,
                                               migration, admin_password)
