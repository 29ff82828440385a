"""The operations on existing servers the compute API performs.

A server is found through its instance mapping: no cell yet means it is
still a build request; otherwise its cell's database holds it, and
actions go to its compute host on that cell's queue. Creating servers is
nova.compute.create.

An action checks the server's vm_state/task_state the way upstream does
(InstanceInvalidState, a 409), refuses a locked server to non-admins
(InstanceIsLocked), moves task_state with a compare-and-swap (a
concurrent action loses with UnexpectedTaskStateError, a 409), records
the instance action, and casts once the cell transaction is committed.
"""

import dataclasses
from typing import Any, Callable

from oslo_log import log as logging
from oslo_utils import timeutils

from nova import cells
from nova.compute import block_devices
from nova.compute import create
from nova.compute import hosts
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.conductor import rpcapi as conductor_rpcapi
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import build_requests
from nova.db.api import instance_mappings
from nova.db.api import request_specs
from nova.db import engines
from nova.db.main import block_device_mappings
from nova.db.main import instance_actions
from nova.db.main import instances as instances_db
from nova.db.main import migrations as migrations_db
from nova.db.main import services as services_db
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.instance import Instance
from nova.objects.request_spec import Destination
from nova.objects.request_spec import RequestSpec
from nova import placement_client
from nova import quota
from nova.volume import cinder as volume_api

LOG = logging.getLogger(__name__)

# vm_states an action accepts, as upstream's check_instance_state.
ALLOW_SOFT_REBOOT = (states.ACTIVE,)
ALLOW_HARD_REBOOT = (states.ACTIVE, states.STOPPED, states.PAUSED,
                     states.SUSPENDED, states.ERROR)
HARD_REBOOT_TASK_STATES = (None, states.REBOOTING, states.REBOOT_PENDING,
                           states.REBOOT_STARTED, states.REBOOTING_HARD,
                           states.RESUMING, states.UNPAUSING, states.PAUSING,
                           states.SUSPENDING)
# Where metadata and tags may change (a server being built may not).
ALLOW_METADATA = (states.ACTIVE, states.PAUSED, states.SUSPENDED,
                  states.STOPPED)
ALLOW_TAGS = (states.ACTIVE, states.PAUSED, states.RESCUED, states.RESIZED,
              states.STOPPED, states.SUSPENDED, states.SHELVED,
              states.SHELVED_OFFLOADED)

# Most tags one server may have.
MAX_TAGS = 50

@dataclasses.dataclass
class Server:
    """A server found: its instance, and its cell (None: still a build
    request, not scheduled yet)."""
    instance: Instance
    cell: CellMapping | None

    @property
    def scheduled(self) -> bool:
        return self.cell is not None


# -- finding a server


def _visible(ctx: Any, instance: Instance) -> bool:
    # Another project's server does not exist for a non-admin (404, not
    # 403), as upstream's project-only database queries make it.
    return ctx.is_admin or instance.project_id == ctx.project_id


def _locate(ctx: Any, uuid: str, read_deleted: bool) -> Server | None:
    """The server through its mapping; None if the mapping has no cell
    and the build request is gone (the conductor is moving it)."""
    with engines.api_reader(ctx) as conn:
        try:
            mapping = instance_mappings.get_by_instance_uuid(conn, uuid)
        except exception.InstanceMappingNotFound:
            raise exception.InstanceNotFound(instance_id=uuid)
        if mapping.cell is None:
            try:
                req = build_requests.get_by_instance_uuid(conn, uuid)
            except exception.BuildRequestNotFound:
                return None
            return Server(req.instance, None)
    try:
        instance = cells.call(ctx, mapping.cell, _read_instance, uuid,
                              read_deleted)
    except cells.CellDown as exc:
        LOG.warning('Server %s unreachable: %s', uuid, exc)
        raise exception.CellUnavailable(
            instance_uuid=uuid, cell=mapping.cell.name or mapping.cell.uuid)
    return Server(instance, mapping.cell)


def _read_instance(cctx: Any, uuid: str, read_deleted: bool) -> Instance:
    with engines.cell_reader(cctx.cell, cctx) as conn:
        return instances_db.get(conn, uuid, read_deleted)


def get(ctx: Any, uuid: str, read_deleted: bool = False) -> Server:
    """The server `uuid` (InstanceNotFound if none the caller may see)."""
    # A build request that vanished was just put in a cell: look again.
    server = (_locate(ctx, uuid, read_deleted) or
              _locate(ctx, uuid, read_deleted))
    if server is None or not _visible(ctx, server.instance):
        raise exception.InstanceNotFound(instance_id=uuid)
    return server


def in_cell(ctx: Any, server: Server) -> Any:
    return nova_context.target_cell(ctx, server.cell)


# -- deleting


def _forget_build(conn: Any, uuid: str) -> bool:
    """Delete a build request with its spec and mapping; False if the
    conductor had taken it already."""
    if not build_requests.delete(conn, uuid):
        return False
    for delete in (request_specs.delete, instance_mappings.delete):
        try:
            delete(conn, uuid)
        except exception.NotFound:
            pass
    return True


def check_unlocked(ctx: Any, instance: Instance) -> None:
    if instance.locked and not ctx.is_admin:
        raise exception.InstanceIsLocked(instance_uuid=instance.uuid)


def check_state(instance: Instance, action: str,
                 vm_states: tuple | None = None,
                 task_states: tuple | None = None) -> None:
    if vm_states is not None and instance.vm_state not in vm_states:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance.uuid, attr='vm_state',
            state=instance.vm_state)
    if task_states is not None and instance.task_state not in task_states:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance.uuid, attr='task_state',
            state=instance.task_state)


def delete(ctx: Any, uuid: str, force: bool = False) -> None:
    """Delete the server: a build request goes at once (the conductor
    notices); a server with no host, or whose host is down, is deleted
    here; else its compute host is asked to (task_state DELETING).
    With [DEFAULT] reclaim_instance_interval > 0 a server that was ever
    launched, on a host that is up, is soft-deleted instead (see
    _start_soft_delete); deleting a soft-deleted one deletes it for
    good; with no host up it is deleted at once, as upstream. `force`:
    only a soft-deleted server (forceDelete), otherwise
    InstanceInvalidState."""
    server = get(ctx, uuid)
    if not server.scheduled:
        if _delete_build(ctx, uuid):
            LOG.info('Deleted server %s before it was scheduled', uuid)
            return
        server = get(ctx, uuid)
    instance = server.instance
    check_unlocked(ctx, instance)
    if force:
        check_state(instance, 'forceDelete', (states.SOFT_DELETED,))
    if instance.task_state == states.DELETING:
        return
    soft = (not force and CONF.reclaim_instance_interval > 0 and
            instance.launched_at is not None and
            instance.vm_state != states.SOFT_DELETED)
    with in_cell(ctx, server) as cctx:
        if not _host_is_up(cctx, server):
            _local_delete(cctx, server)
        elif soft:
            instance = _start_soft_delete(cctx, server)
            _compute().soft_delete_instance(cctx, instance)
            LOG.info('Soft-deleting server %s', uuid)
        else:
            instance = _start_delete(cctx, server)
            compute_rpcapi.ComputeAPI().terminate_instance(cctx, instance)
    _queue_for_delete(ctx, uuid)


@engines.retry_on_deadlock
def _start_soft_delete(cctx: Any, server: Server) -> Instance:
    """task_state SOFT_DELETING, the soft-delete clock started
    (terminated_at), the delete action recorded. Its host powers it off
    (SOFT_DELETED); it keeps its resources and counts against quota
    until the host reclaims it, unless restore() brings it back."""
    uuid = server.instance.uuid
    with engines.cell_writer(server.cell, cctx) as conn:
        instance = instances_db.update(
            conn, uuid, expected_task_state=server.instance.task_state,
            task_state=states.SOFT_DELETING,
            terminated_at=timeutils.utcnow().replace(tzinfo=None))
        instance_actions.start_action(conn, cctx, uuid, 'delete')
        return instance


def restore(ctx: Any, uuid: str) -> None:
    """Have the host of a soft-deleted server power it on again
    (InstanceInvalidState if it is not soft-deleted)."""
    _act(ctx, uuid, 'restore', vm_states=(states.SOFT_DELETED,),
         new_task_state=states.RESTORING, values={'terminated_at': None},
         cast=lambda c, i: _compute().restore_instance(c, i))
    _queue_for_delete(ctx, uuid, False)


def _delete_build(ctx: Any, uuid: str) -> bool:
    """Delete the build request (False if the conductor took it), and
    let go of the volumes reserved for it."""
    try:
        with engines.api_reader(ctx) as conn:
            bdms = build_requests.get_by_instance_uuid(
                conn, uuid).block_device_mappings
    except exception.BuildRequestNotFound:
        return False
    if not _forget_build_request(ctx, uuid):
        return False
    block_devices.unreserve(ctx, block_devices.from_dicts(bdms))
    return True


@engines.retry_on_deadlock
def _forget_build_request(ctx: Any, uuid: str) -> bool:
    with engines.api_writer(ctx) as conn:
        return _forget_build(conn, uuid)


@engines.retry_on_deadlock
def _start_delete(cctx: Any, server: Server) -> Instance:
    """task_state DELETING, and the delete action recorded. Whatever the
    task_state is now: a delete wins over a build or an action under way
    (their outcome is not recorded over DELETING), as upstream's."""
    uuid = server.instance.uuid
    with engines.cell_writer(server.cell, cctx) as conn:
        instance = instances_db.update(conn, uuid,
                                       task_state=states.DELETING)
        instance_actions.start_action(conn, cctx, uuid, 'delete')
        return instance


@engines.retry_on_deadlock
def _queue_for_delete(ctx: Any, uuid: str, queued: bool = True) -> None:
    # A soft-deleted server is queued too (no longer a server group
    # member); restore takes it off the queue.
    with engines.api_writer(ctx) as conn:
        instance_mappings.update(conn, uuid, queued_for_delete=queued)


def _host_is_up(cctx: Any, server: Server) -> bool:
    """Whether the server's compute service can delete it: if it has no
    host, or its host is down, the API deletes it (a host coming back
    reaps what it still runs)."""
    host = server.instance.host
    if not host:
        return False
    with engines.cell_reader(server.cell, cctx) as conn:
        service = services_db.get_by_host_and_binary(conn, host,
                                                     'nova-compute')
    return service is not None and services_db.is_up(
        service, timeutils.utcnow(), CONF.service_down_time)


def _local_delete(cctx: Any, server: Server) -> None:
    uuid = server.instance.uuid
    # Cinder first, outside the transaction: a slow Cinder must not hold
    # the cell database.
    with engines.cell_reader(server.cell, cctx) as conn:
        bdms = block_device_mappings.list_by_instance(conn, uuid)
    volume_api.release(cctx, bdms)
    _destroy_here(cctx, server)
    # The server is gone for the user; heal_allocations and the
    # resource tracker's audit catch what is left behind.
    placement_client.client().free_allocations(uuid)
    LOG.info('Deleted server %s, whose host (%s) is down or none',
             uuid, server.instance.host)


@engines.retry_on_deadlock
def _destroy_here(cctx: Any, server: Server) -> None:
    uuid = server.instance.uuid
    with engines.cell_writer(server.cell, cctx) as conn:
        instance_actions.start_action(conn, cctx, uuid, 'delete')
        instances_db.destroy(conn, uuid)
        instance_actions.finish_action(conn, cctx, uuid)


# -- actions


@engines.retry_on_deadlock
def _act(ctx: Any, uuid: str, action: str, *,
         vm_states: tuple | None, task_states: tuple | None = (None,),
         new_task_state: str | None = None,
         cast: Callable[[Any, Instance], None] | None = None,
         check_lock: bool = True, values: dict | None = None,
         record: str | None = None) -> Instance:
    """The story of most actions: find, check lock and state, swap
    task_state, record, commit, cast."""
    server = get(ctx, uuid)
    instance = server.instance
    if check_lock:
        check_unlocked(ctx, instance)
    check_state(instance, action, vm_states, task_states)
    changes = dict(values or {})
    expected: dict[str, Any] = {}
    if new_task_state is not None:
        changes['task_state'] = new_task_state
        expected['expected_task_state'] = instance.task_state
    with in_cell(ctx, server) as cctx:
        with engines.cell_writer(server.cell, cctx) as conn:
            if changes:
                instance = instances_db.update(conn, uuid, **expected,
                                               **changes)
            instance_actions.start_action(conn, cctx, uuid,
                                          record or action)
        if cast is not None:
            cast(cctx, instance)
    LOG.info('%s of server %s requested', action, uuid)
    return instance


def _compute() -> compute_rpcapi.ComputeAPI:
    return compute_rpcapi.ComputeAPI()


def reboot(ctx: Any, uuid: str, reboot_type: str) -> None:
    """Reboot 'SOFT' (an active server) or 'HARD' (also stopped, paused,
    suspended or in error, or while another reboot is under way)."""
    hard = reboot_type == 'HARD'
    _act(ctx, uuid, 'reboot',
         vm_states=ALLOW_HARD_REBOOT if hard else ALLOW_SOFT_REBOOT,
         task_states=HARD_REBOOT_TASK_STATES if hard else (None,),
         new_task_state=states.REBOOTING_HARD if hard else states.REBOOTING,
         cast=lambda c, i: _compute().reboot_instance(c, i, reboot_type))


def _simple(action: str, allowed: tuple, task_state: str,
            method: str) -> Callable[[Any, str], None]:
    def act(ctx: Any, uuid: str) -> None:
        _act(ctx, uuid, action, vm_states=allowed,
             new_task_state=task_state,
             cast=lambda c, i: getattr(_compute(), method)(c, i))
    act.__name__ = action
    act.__doc__ = ('%s a server in vm_state %s (InstanceInvalidState '
                   'otherwise).' % (action.capitalize(), ' or '.join(allowed)))
    return act


stop = _simple('stop', (states.ACTIVE, states.ERROR), states.POWERING_OFF,
               'stop_instance')
start = _simple('start', (states.STOPPED,), states.POWERING_ON,
                'start_instance')
pause = _simple('pause', (states.ACTIVE,), states.PAUSING, 'pause_instance')
unpause = _simple('unpause', (states.PAUSED,), states.UNPAUSING,
                  'unpause_instance')
suspend = _simple('suspend', (states.ACTIVE,), states.SUSPENDING,
                  'suspend_instance')
resume = _simple('resume', (states.SUSPENDED,), states.RESUMING,
                 'resume_instance')


def lock(ctx: Any, uuid: str) -> None:
    """Lock the server against actions by non-admins (any state)."""
    server = get(ctx, uuid)
    if not server.scheduled:
        check_state(server.instance, 'lock', ALLOW_TAGS)
    by = 'owner' if ctx.project_id == server.instance.project_id else 'admin'
    _act(ctx, uuid, 'lock', vm_states=None, task_states=None,
         check_lock=False, values={'locked': True, 'locked_by': by})


def unlock(ctx: Any, uuid: str) -> Instance:
    """Unlock the server; the caller checks who may override whose
    lock. Returns the instance as it was (locked_by tells who locked)."""
    server = get(ctx, uuid)
    if not server.scheduled:
        check_state(server.instance, 'unlock', ALLOW_TAGS)
    _act(ctx, uuid, 'unlock', vm_states=None, task_states=None,
         check_lock=False, values={'locked': False, 'locked_by': None})
    return server.instance


def rebuild(ctx: Any, uuid: str, image_id: str,
            values: dict | None = None,
            admin_password: str | None = None,
            injected_files: list[tuple[str, str]] | None = None
            ) -> Instance:
    """Rebuild from `image_id` (ImageNotFound if unknown,
    VolumeBackedRebuild for a server booted from a volume) with
    `admin_password` set in the new guest; `values` are instance fields
    the request changes too (display_name, metadata, access_ip_v4,
    user_data, ...): MetadataLimitExceeded for more metadata than the
    quota allows, AutoDiskConfigDisabledByImage for auto_disk_config the
    image does not allow. A key_name among them (None: none) brings its
    key pair's public key (KeypairNotFound); trusted_certs (None: the
    configured defaults, if any) are refused for a volume-backed server
    (CertificateValidationFailed). Personality `injected_files` (until
    2.57) are held to their quotas (OnsetFile*LimitExceeded) but, as the
    compute's rebuild takes none, not written."""
    server = get(ctx, uuid)
    check_state(server.instance, 'rebuild',
                 (states.ACTIVE, states.STOPPED, states.ERROR))
    changes = dict(values or {}, image_ref=image_id)
    if 'metadata' in changes:
        quota.check_metadata_items(ctx, server.instance.project_id,
                                   changes['metadata'])
    volume_backed = not server.instance.image_ref and bool(
        server.instance.volumes)
    if 'trusted_certs' in changes:
        changes['trusted_certs'] = create.trusted_certs(
            changes['trusted_certs'])
        if changes['trusted_certs'] and volume_backed:
            raise exception.CertificateValidationFailed(
                'Image certificate validation is not supported for '
                'volume-backed servers.')
    if volume_backed:
        # Its disk is a volume, which this API version cannot re-image.
        raise exception.VolumeBackedRebuild()
    if 'key_name' in changes:
        with engines.api_reader(ctx) as conn:
            changes['key_data'] = create.key_data(ctx, conn,
                                                  changes['key_name'])
    image = create.check_image(ctx, image_id, server.instance.flavor)
    if changes.get('auto_disk_config'):
        create.auto_disk_config(image, True)
    create.check_injected_files(ctx, injected_files or [])
    orig = server.instance.image_ref or ''
    return _act(ctx, uuid, 'rebuild',
                vm_states=(states.ACTIVE, states.STOPPED, states.ERROR),
                new_task_state=states.REBUILDING, values=changes,
                cast=lambda c, i: _compute().rebuild_instance(
                    c, i, image_id, orig, admin_password))


def _request_spec(ctx: Any, instance: Instance) -> RequestSpec:
    with engines.api_reader(ctx) as conn:
        try:
            return request_specs.get(conn, instance.uuid)
        except exception.RequestSpecNotFound:
            pass
    return RequestSpec(flavor=instance.flavor, instance_uuid=instance.uuid,
                       project_id=instance.project_id,
                       user_id=instance.user_id,
                       availability_zone=instance.availability_zone)


def check_compute_host(ctx: Any, host: str) -> None:
    """ComputeHostNotFound unless some cell has a nova-compute on
    `host` (the target a move names)."""
    if not any(h == host for _, h in hosts.compute_services(ctx)):
        raise exception.ComputeHostNotFound(host=host)


def resize(ctx: Any, uuid: str, flavor_id: str | None,
           host: str | None = None) -> None:
    """Resize to flavor `flavor_id`, or cold migrate (None) to another
    host (`host` if given, 2.56): the super conductor schedules and
    moves the server. Raises CannotResizeToSameFlavor, FlavorNotFound,
    TooManyInstances, CannotMigrateToSameHost, ComputeHostNotFound."""
    server = get(ctx, uuid)
    instance = server.instance
    action = 'resize' if flavor_id is not None else 'migrate'
    check_unlocked(ctx, instance)
    check_state(instance, action, (states.ACTIVE, states.STOPPED),
                 (None,))
    if host is not None:
        if host == instance.host:
            raise exception.CannotMigrateToSameHost()
        check_compute_host(ctx, host)
    flavor = None
    if flavor_id is not None:
        with engines.api_reader(ctx) as conn:
            flavor = create.flavor_by_id(ctx, conn, flavor_id)
        if flavor.flavorid == instance.flavor.flavorid:
            raise exception.CannotResizeToSameFlavor()
        deltas = {'cores': flavor.vcpus - instance.flavor.vcpus,
                  'ram': flavor.memory_mb - instance.flavor.memory_mb}
        deltas = {k: v for k, v in deltas.items() if v > 0}
        if deltas:
            try:
                quota.check_deltas(ctx, instance.project_id,
                                   instance.user_id, deltas)
            except exception.OverQuota as over:
                raise create.too_many_instances(over, deltas)
    spec = _request_spec(ctx, instance)
    if host is not None:
        spec.requested_destination = Destination(host=host)
    _act(ctx, uuid, action, vm_states=(states.ACTIVE, states.STOPPED),
         new_task_state=states.RESIZE_PREP,
         cast=lambda c, i: conductor_rpcapi.ConductorAPI().migrate_server(
             ctx, i, flavor, spec))


def _finished_migration(ctx: Any, server: Server) -> Any:
    with engines.cell_reader(server.cell, ctx) as conn:
        migration = migrations_db.get_in_progress_by_instance(
            conn, server.instance.uuid)
    if migration is None or migration.status != 'finished':
        raise exception.MigrationNotFoundByStatus(
            instance_id=server.instance.uuid, status='finished')
    return migration


@engines.retry_on_deadlock
def _set_status(ctx: Any, server: Server, migration: Any,
                status: str) -> Any:
    """The server's `migration` with `status`."""
    with engines.cell_writer(server.cell, ctx) as conn:
        return migrations_db.update(conn, migration.id, status=status)


def confirm_resize(ctx: Any, uuid: str) -> None:
    """Keep the resized server (vm_state RESIZED): the source host drops
    its copy. MigrationNotFoundByStatus if no resize awaits."""
    server = get(ctx, uuid)
    check_state(server.instance, 'confirmResize', (states.RESIZED,))
    migration = _set_status(ctx, server, _finished_migration(ctx, server),
                            'confirming')
    _act(ctx, uuid, 'confirmResize', vm_states=(states.RESIZED,),
         cast=lambda c, i: _compute().confirm_resize(c, i, migration))


def revert_resize(ctx: Any, uuid: str) -> None:
    """Go back to the old flavor on the source host."""
    server = get(ctx, uuid)
    check_state(server.instance, 'revertResize', (states.RESIZED,),
                 (None,))
    migration = _set_status(ctx, server, _finished_migration(ctx, server),
                            'reverting')
    _act(ctx, uuid, 'revertResize', vm_states=(states.RESIZED,),
         new_task_state=states.RESIZE_REVERTING,
         cast=lambda c, i: _compute().revert_resize(c, i, migration))


def console_output(ctx: Any, uuid: str, length: int | None) -> str:
    """The server's console log (its last `length` lines)."""
    server = get(ctx, uuid)
    instance = server.instance
    if not instance.host:
        raise exception.InstanceNotReady(instance_id=uuid)
    check_state(instance, 'get_console_output',
                 (states.ACTIVE, states.STOPPED, states.PAUSED,
                  states.SUSPENDED, states.RESIZED, states.ERROR))
    with in_cell(ctx, server) as cctx:
        return _compute().get_console_output(cctx, instance, length)


# -- changing a server's own fields


@engines.retry_on_deadlock
def update(ctx: Any, uuid: str, **values: Any) -> Instance:
    """Change display_name, display_description, access_ip_v4/v6 or
    auto_disk_config, in any state, as upstream: a server not scheduled
    yet has its build request changed (the conductor builds from that)."""
    server = get(ctx, uuid)
    if 'display_name' in values:
        values['hostname'] = create.hostname(values['display_name'] or '')
    if not server.scheduled:
        with engines.api_writer(ctx) as conn:
            instance = build_requests.update_instance(conn, uuid, **values)
        if instance is not None:
            return instance
        # The conductor put it in a cell meanwhile.
        server = get(ctx, uuid)
    with engines.cell_writer(server.cell, ctx) as conn:
        return instances_db.update(conn, uuid, **values)


def _writable(ctx: Any, uuid: str, action: str,
              allowed: tuple) -> Server:
    server = get(ctx, uuid)
    check_unlocked(ctx, server.instance)
    check_state(server.instance, action, allowed, (None,)
                 if allowed is ALLOW_METADATA else None)
    return server


@engines.retry_on_deadlock
def set_metadata(ctx: Any, uuid: str, metadata: dict[str, str],
                 replace: bool) -> dict[str, str]:
    """Merge (or with `replace`, set) metadata; the result. Counts
    against the metadata_items quota (MetadataLimitExceeded)."""
    server = _writable(ctx, uuid, 'update metadata', ALLOW_METADATA)
    merged = metadata if replace else dict(server.instance.metadata,
                                           **metadata)
    quota.check_metadata_items(ctx, server.instance.project_id, merged)
    with engines.cell_writer(server.cell, ctx) as conn:
        return instances_db.set_metadata(conn, uuid, metadata, replace)


@engines.retry_on_deadlock
def _delete_item(ctx: Any, uuid: str, action: str, allowed: tuple,
                 field: str, item: str,
                 missing: Callable[[], exception.NotFound],
                 delete_row: Callable[[Any, str, str], None]) -> None:
    """Delete `item` of the server's `field` (metadata or tags) with
    `delete_row`; raises `missing()` if the server has no such item."""
    server = _writable(ctx, uuid, action, allowed)
    if item not in getattr(server.instance, field):
        raise missing()
    with engines.cell_writer(server.cell, ctx) as conn:
        delete_row(conn, uuid, item)


def delete_metadata_key(ctx: Any, uuid: str, key: str) -> None:
    """Delete metadata `key` (InstanceMetadataNotFound if none)."""
    _delete_item(ctx, uuid, 'delete metadata', ALLOW_METADATA, 'metadata',
                 key, lambda: exception.InstanceMetadataNotFound(
                     key=key, instance_id=uuid),
                 instances_db.delete_metadata_key)


@engines.retry_on_deadlock
def add_tag(ctx: Any, uuid: str, tag: str) -> bool:
    """Add `tag`; False if the server had it already."""
    server = _writable(ctx, uuid, 'update tag', ALLOW_TAGS)
    if tag in server.instance.tags:
        return False
    if len(server.instance.tags) >= MAX_TAGS:
        raise exception.TooManyTags(limit=MAX_TAGS)
    with engines.cell_writer(server.cell, ctx) as conn:
        instances_db.add_tag(conn, uuid, tag)
    return True


@engines.retry_on_deadlock
def set_tags(ctx: Any, uuid: str, tags: list[str]) -> list[str]:
    """Replace the server's tags with `tags`; the tags it now has."""
    server = _writable(ctx, uuid, 'update tags', ALLOW_TAGS)
    with engines.cell_writer(server.cell, ctx) as conn:
        return instances_db.set_tags(conn, uuid, tags)


def delete_tag(ctx: Any, uuid: str, tag: str) -> None:
    """Delete `tag` (InstanceTagNotFound if the server has none)."""
    _delete_item(ctx, uuid, 'delete tag', ALLOW_TAGS, 'tags', tag,
                 lambda: exception.InstanceTagNotFound(instance_id=uuid,
                                                       tag=tag),
                 instances_db.delete_tag)


# -- instance actions


def list_actions(ctx: Any, uuid: str, read_deleted: bool,
                 **page: Any) -> list:
    """The server's actions, newest first (none while a build request);
    `page`: limit, marker, changes_since, changes_before as
    nova.db.main.instance_actions.list_actions takes them."""
    server = get(ctx, uuid, read_deleted=read_deleted)
    if not server.scheduled:
        if page.get('marker') is not None:
            raise exception.MarkerNotFound(marker=page['marker'])
        return []
    with engines.cell_reader(server.cell, ctx) as conn:
        return instance_actions.list_actions(conn, uuid, **page)


def get_action(ctx: Any, uuid: str, request_id: str,
               read_deleted: bool) -> Any:
    """One action with its events (InstanceActionNotFound)."""
    server = get(ctx, uuid, read_deleted=read_deleted)
    if not server.scheduled:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=uuid)
    with engines.cell_reader(server.cell, ctx) as conn:
        return instance_actions.get_action(conn, uuid, request_id)


def host_statuses(ctx: Any, hosts: set[str]) -> dict[str, str]:
    """{host: UP | DOWN | MAINTENANCE | UNKNOWN} of the compute services
    on `hosts` (2.16's host_status), looked up in every cell."""
    if not hosts:
        return {}
    now = timeutils.utcnow()

    def statuses(cctx: Any) -> dict[str, str]:
        with engines.cell_reader(cctx.cell, cctx) as conn:
            found = services_db.list_all(conn, binary='nova-compute')
        return {s.host: ('MAINTENANCE' if s.disabled else
                         'UP' if services_db.is_up(
                             s, now, CONF.service_down_time) else 'DOWN')
                for s in found if s.host in hosts}
    out = {host: 'UNKNOWN' for host in hosts}
    results = cells.scatter_gather(ctx, cells.load_cells(ctx), statuses)
    for result in results.values():
        if not cells.failed(result):
            out.update(result)
    return out


# -- events from other services


def external_instance_event(ctx: Any, servers: list[Server],
                            events: list[dict]) -> None:
    """Cast `events` (dicts with server_uuid) to the compute hosts of
    `servers` (scheduled ones with a host), one message per cell and
    host."""
    by_host: dict[tuple[str, str], list[Server]] = {}
    for server in servers:
        # The caller passes only servers with a host: scheduled to a cell.
        assert server.cell is not None and server.instance.host is not None
        by_host.setdefault((server.cell.uuid, server.instance.host),
                           []).append(server)
    for (_cell, host), on_host in by_host.items():
        uuids = {s.instance.uuid for s in on_host}
        with in_cell(ctx, on_host[0]) as cctx:
            _compute().external_instance_event(
                cctx, host, [s.instance for s in on_host],
                [e for e in events if e['server_uuid'] in uuids])
