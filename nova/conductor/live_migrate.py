"""Live migration, as the super conductor starts it: a migration record
(type live-migration) takes over the instance's source allocation, a
destination is claimed (scheduled, or the forced host), and the source
compute is told to move the running guest (see ComputeManager's live
migration). If no destination can be had the instance stays where it
is, its allocation given back, the migration in error."""

import uuid as uuidlib

from oslo_log import log as logging

from nova.conductor import destinations
from nova.conductor import task
from nova import context as nova_context
from nova.db import engines
from nova.db.main import migrations
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


class LiveMigrator(task.ConductorTask):

    def live_migrate_instance(self, ctx: nova_context.RequestContext,
                              instance: Instance, host: str | None,
                              block_migration: bool, force: bool,
                              request_spec: RequestSpec,
                              wait: bool = False) -> None:
        """The API has set task_state MIGRATING and recorded the
        action. With `wait` (before 2.34) what stops the move from
        starting is raised to the API too."""
        cell = destinations.cell_of(ctx, instance.uuid)
        with engines.cell_writer(cell) as conn:
            migration = migrations.create(conn, Migration(
                uuid=str(uuidlib.uuid4()), instance_uuid=instance.uuid,
                migration_type='live-migration', status='accepted',
                source_compute=instance.host, source_node=instance.node,
                dest_compute=host, old_instance_type_id=instance.flavor.id,
                new_instance_type_id=instance.flavor.id))
        assert migration.uuid is not None and migration.id is not None
        self.placement.move_allocations(instance.uuid, migration.uuid)
        try:
            assert instance.host is not None  # ACTIVE or PAUSED: on a host
            destinations.check_up(cell, instance.host)
            dest, node = destinations.choose(
                ctx, self.placement, self.scheduler_api, cell, instance,
                request_spec, host, force, migration.uuid)
            destinations.check_up(cell, dest)
        except Exception as exc:
            destinations.give_back(self.placement, cell, instance,
                                   migration, exc)
            if wait:
                raise
            return
        with engines.cell_writer(cell) as conn:
            migration = migrations.update(conn, migration.id,
                                          dest_compute=dest, dest_node=node,
                                          dest_host=dest)
        LOG.info('Live migrating instance %s from %s to %s (migration %s)',
                 instance.uuid, instance.host, dest, migration.uuid)
        with nova_context.target_cell(ctx, cell) as cctx:
            self.compute_api.live_migration(cctx, instance, dest, migration,
                                            block_migration)
