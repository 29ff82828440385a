"""Moving servers off their host, for admins: live migration (and, while
one is under way, forcing it to complete or aborting it) and evacuation
of a server whose host is down. Checked here as upstream's compute API
checks them; the super conductor then finds and claims the destination
(nova.conductor.live_migrate and evacuate).
"""

from typing import Any

from oslo_log import log as logging

from nova.compute import api as compute_api
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.conductor import rpcapi as conductor_rpcapi
from nova.db import engines
from nova.db.main import instance_actions
from nova.db.main import instances as instances_db
from nova.db.main import migrations as migrations_db
from nova import exception
from nova.objects.migration import Migration

LOG = logging.getLogger(__name__)

# The live migration statuses that abort accepts, before and from 2.65.
ABORTABLE = ('running',)
ABORTABLE_2_65 = ('queued', 'preparing', 'running')


def live_migrate(ctx: Any, uuid: str, host: str | None,
                 block_migration: bool, force: bool,
                 wait: bool = False) -> None:
    """Live-migrate an ACTIVE or PAUSED server to `host` (scheduled
    there unless `force`), or where the scheduler picks. Raises
    ComputeHostNotFound for an unknown host, InstanceIsLocked,
    InstanceInvalidState; what the conductor finds (no valid host, a
    host down) leaves the server where it is, with a fault, and is
    raised here too if `wait`."""
    server = compute_api.get(ctx, uuid)
    instance = server.instance
    compute_api.check_unlocked(ctx, instance)
    compute_api.check_state(instance, 'live-migration',
                            (states.ACTIVE, states.PAUSED), (None,))
    if host is not None:
        compute_api.check_compute_host(ctx, host)
    spec = compute_api._request_spec(ctx, instance)
    compute_api._act(
        ctx, uuid, 'live-migration', vm_states=(states.ACTIVE, states.PAUSED),
        new_task_state=states.MIGRATING,
        cast=lambda c, i: conductor_rpcapi.ConductorAPI().
        live_migrate_instance(ctx, i, host, block_migration, force, spec,
                              wait))


def evacuate(ctx: Any, uuid: str, host: str | None, force: bool,
             admin_password: str | None) -> None:
    """Rebuild a server whose host's compute service is down on `host`
    (scheduled there unless `force`) or where the scheduler picks.
    Raises ComputeServiceInUse (its host is up), InstanceInvalidState."""
    server = compute_api.get(ctx, uuid)
    instance = server.instance
    compute_api.check_state(instance, 'evacuate',
                            (states.ACTIVE, states.STOPPED, states.ERROR))
    if not instance.host:
        raise exception.InstanceInvalidState(
            action='evacuate', instance_uuid=uuid, attr='host', state=None)
    with compute_api.in_cell(ctx, server) as cctx:
        if compute_api._host_is_up(cctx, server):
            raise exception.ComputeServiceInUse(host=instance.host)
        instance, migration = _start_evacuation(cctx, server, host)
    spec = compute_api._request_spec(ctx, instance)
    conductor_rpcapi.ConductorAPI().evacuate_instance(
        ctx, instance, migration, host, force, admin_password, spec)
    LOG.info('evacuate of server %s from %s requested', uuid,
             instance.host)


@engines.retry_on_deadlock
def _start_evacuation(cctx: Any, server: compute_api.Server,
                      host: str | None) -> tuple[Any, Migration]:
    instance = server.instance
    with engines.cell_writer(server.cell, cctx) as conn:
        updated = instances_db.update(
            conn, instance.uuid, expected_task_state=instance.task_state,
            task_state=states.REBUILDING)
        migration = migrations_db.create(conn, Migration(
            instance_uuid=instance.uuid, migration_type='evacuation',
            status='accepted', source_compute=instance.host,
            source_node=instance.node, dest_compute=host,
            old_instance_type_id=instance.flavor.id,
            new_instance_type_id=instance.flavor.id))
        instance_actions.start_action(conn, cctx, instance.uuid, 'evacuate')
    return updated, migration


def _live_migration(ctx: Any, server: compute_api.Server,
                    migration_id: str) -> Migration:
    """The server's live migration `migration_id`;
    MigrationNotFoundForInstance if it has none of that id."""
    missing = exception.MigrationNotFoundForInstance(
        migration_id=migration_id, instance_id=server.instance.uuid)
    try:
        with engines.cell_reader(server.cell, ctx) as conn:
            migration = migrations_db.get(conn, int(migration_id))
    except (ValueError, exception.MigrationNotFound):
        raise missing
    if (migration.instance_uuid != server.instance.uuid
            or migration.migration_type != 'live-migration'):
        raise missing
    return migration


def _check_migrating(ctx: Any, uuid: str, action: str) -> compute_api.Server:
    server = compute_api.get(ctx, uuid)
    compute_api.check_unlocked(ctx, server.instance)
    compute_api.check_state(server.instance, action, None,
                            (states.MIGRATING,))
    return server


def force_complete(ctx: Any, uuid: str, migration_id: str) -> None:
    """Have the running live migration finish now. Raises
    InstanceIsLocked, InstanceInvalidState (not migrating),
    MigrationNotFoundForInstance, InvalidMigrationState (not
    running)."""
    server = _check_migrating(ctx, uuid, 'force_complete')
    migration = _live_migration(ctx, server, migration_id)
    if migration.status != 'running':
        raise exception.InvalidMigrationState(
            migration_id=migration_id, instance_uuid=uuid,
            state=migration.status, method='force complete')
    compute_api._act(
        ctx, uuid, 'force_complete', vm_states=None,
        task_states=(states.MIGRATING,),
        record='live_migration_force_complete',
        cast=lambda c, i: compute_rpcapi.ComputeAPI().
        live_migration_force_complete(c, i))


def abort(ctx: Any, uuid: str, migration_id: str,
          abortable: tuple[str, ...]) -> None:
    """Cancel the live migration if its status is `abortable` (else
    InvalidMigrationState); also InstanceIsLocked, InstanceInvalidState,
    MigrationNotFoundForInstance."""
    server = _check_migrating(ctx, uuid, 'abort live migration')
    migration = _live_migration(ctx, server, migration_id)
    if migration.status not in abortable:
        raise exception.InvalidMigrationState(
            migration_id=migration_id, instance_uuid=uuid,
            state=migration.status, method='abort live migration')
    mid = migration.id
    assert mid is not None  # stored
    compute_api._act(
        ctx, uuid, 'abort live migration', vm_states=None,
        task_states=(states.MIGRATING,), record='live_migration_cancel',
        cast=lambda c, i: compute_rpcapi.ComputeAPI().live_migration_abort(
            c, i, mid))
