"""nova-compute's RPC endpoint and its periodic work.

At start and then periodically the manager asks its virt driver for its
nodes and writes each one's size and usage to a compute_nodes row in its
cell database (created on first sight, with a uuid generated once).
Each run then reports the nodes to placement (resource_tracker).

The guests: the API (or the conductor, for a build) has already moved
the instance's task_state to the operation's own value with a
compare-and-swap; the manager records the action's event, calls the
driver, then sets the final vm_state and power_state and clears
task_state, expecting the task_state it was sent with (so a delete that
started meanwhile is never overwritten). A failed action records a fault
and clears task_state, leaving vm_state as it was; a failed build goes
back to the cell conductor to be retried on an alternate host. One
operation at a time per instance on a host.

A compute talks only to its own cell: its cell conductor and the other
computes on the cell's message queue (`transport_url`, [DEFAULT]
transport_url if None), its cell database, and placement.
"""

from collections.abc import Callable, Iterator
from concurrent import futures
import contextlib
import dataclasses
import datetime
import json
import threading
import traceback
from typing import Any

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

from nova.compute import console_auth
from nova.compute import device_names
from nova.compute import instance_events
from nova.compute import resource_tracker
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.compute import usage_audit
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context as nova_context
from nova.conf import CONF
from nova.db import engines
from nova.db.main import block_device_mappings
from nova.db.main import compute_nodes
from nova.db.main import instance_actions
from nova.db.main import instances
from nova.db.main import migrations
from nova import exception
from nova.objects.block_device import BlockDeviceMapping
from nova.objects.cell_mapping import CellMapping
from nova.objects.compute_node import ComputeNode
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import placement_client
from nova import service
from nova.virt import driver as virt_driver
from nova.volume import cinder as volume_api

LOG = logging.getLogger(__name__)

# How often running guests are compared with what the database says.
POWER_SYNC_SPACING = 600
# Kept in system_metadata during a move: the vm_state to go back to.
OLD_VM_STATE = 'old_vm_state'
# How often soft-deleted servers are looked at for reclaiming, and
# shelved ones for offloading (each against its own [DEFAULT] option).
RECLAIM_SPACING = 60
SHELVED_POLL_SPACING = 60
# What shelving records in system_metadata, forgotten on unshelve.
SHELVE_SYSMETA = ('shelved_at', 'shelved_host', 'shelved_image_id')
# An offload follows a shelve (a volume-backed server is offloaded at
# once), a shelveOffload, or the periodic offload.
OFFLOAD_TASK_STATES = [states.SHELVING, states.SHELVING_OFFLOADING, None]


def _now() -> Any:
    return timeutils.utcnow().replace(tzinfo=None)


class ComputeManager(service.Manager):
    """Server side of nova.compute.rpcapi.ComputeAPI (see its history)."""

    target = messaging.Target(version='1.11')

    def __init__(self, host: str, db_url: str,
                 driver: virt_driver.ComputeDriver | None = None,
                 transport_url: str | None = None) -> None:
        super().__init__(host, db_url)
        self.driver = driver or virt_driver.load(CONF.compute_driver, host)
        self.transport_url = transport_url
        self.placement = placement_client.client()
        self.compute_api = compute_rpcapi.ComputeAPI()
        self.conductor_api = conductor_rpcapi.ConductorAPI()
        # The periodic task and RPC callers may update at the same time;
        # both would try to create a new node's row.
        self._resource_lock = threading.Lock()
        self._locks_guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._group_lock = threading.Lock()
        self.instance_events = instance_events.InstanceEvents()
        # Live migrations from this host: at most
        # max_concurrent_live_migrations run, the others wait (queued).
        self._live_pool = futures.ThreadPoolExecutor(
            CONF.max_concurrent_live_migrations,
            thread_name_prefix='live-migration')
        self._live_guard = threading.Lock()
        self._live_queued: dict[int, futures.Future] = {}
        self._live_running: set[int] = set()
        self._live_aborts: set[int] = set()

    def init_host(self) -> None:
        self.driver.init_host(self.host)

    def pre_start_hook(self, ctx: nova_context.RequestContext) -> None:
        self.update_available_resource(ctx)
        self._destroy_evacuated_instances()

    def cleanup_host(self) -> None:
        self._live_pool.shutdown(wait=False, cancel_futures=True)
        self.driver.cleanup_host(self.host)

    # Nodes

    @messaging.expose
    @service.periodic_task()
    def update_available_resource(self, ctx: nova_context.RequestContext
                                  ) -> None:
        """Write every node's current resources to its compute_nodes row
        and report them to placement."""
        with self._resource_lock:
            for nodename in self.driver.get_available_nodes():
                self._update_node(nodename)
            resource_tracker.report_host(self.driver, self.host, self.db_url)

    def _update_node(self, nodename: str) -> None:
        values = dataclasses.asdict(
            self.driver.get_available_resource(nodename))
        with engines.cell_reader(self.db_url) as conn:
            on_node = instances.list_by_host(conn, self.host, nodename)
        values.update(resource_tracker.usage(values, on_node))
        service_id = self.service_ref.id if self.service_ref else None
        created, changed = self._write_node(nodename, values, service_id)
        if created is not None:
            LOG.info('Created compute node %s (%s) for host %s',
                     nodename, created.uuid, self.host)
        elif changed:
            LOG.debug('Compute node %s changed: %s', nodename, changed)

    @engines.retry_on_deadlock
    def _write_node(self, nodename: str, values: dict[str, Any],
                    service_id: int | None
                    ) -> tuple[ComputeNode | None, list[str]]:
        """(the node if created, else None; the fields changed)."""
        with engines.cell_writer(self.db_url) as conn:
            node = compute_nodes.get_by_host_and_nodename(conn, self.host,
                                                          nodename)
            if node is None:
                return compute_nodes.create(conn, ComputeNode(
                    host=self.host, hypervisor_hostname=nodename,
                    service_id=service_id, **values)), []
            values = dict(values, service_id=service_id)
            changed = {k: v for k, v in values.items()
                       if getattr(node, k) != v}
            if changed:
                assert node.id is not None  # read from the database
                compute_nodes.update(conn, node.id, **changed)
            return None, sorted(changed)

    @messaging.expose
    def get_available_resource(self, ctx: nova_context.RequestContext,
                               nodename: str | None = None,
                               refresh: bool = False) -> list[ComputeNode]:
        """This host's compute node records (only `nodename`'s if given),
        as last written, or re-read from the driver first if `refresh`
        (1.1; 1.0 callers get what the last update wrote)."""
        if refresh:
            self.update_available_resource(ctx)
        with engines.cell_reader(self.db_url) as conn:
            nodes = compute_nodes.list_by_host(conn, self.host)
        return [n for n in nodes
                if nodename is None or n.hypervisor_hostname == nodename]

    # Helpers

    @contextlib.contextmanager
    def _cell(self, ctx: nova_context.RequestContext
              ) -> Iterator[nova_context.RequestContext]:
        """`ctx` aimed at this compute's own cell (its message queue)."""
        local = CellMapping(uuid=self.host, name='local',
                            transport_url=self.transport_url,
                            database_connection=self.db_url)
        with nova_context.target_cell(ctx, local) as cctx:
            yield cctx

    @contextlib.contextmanager
    def _locked(self, uuid: str) -> Iterator[None]:
        with self._locks_guard:
            lock = self._locks.setdefault(uuid, threading.Lock())
        with lock:
            yield

    def _get(self, uuid: str) -> Instance:
        with engines.cell_reader(self.db_url) as conn:
            return instances.get(conn, uuid)

    @engines.retry_on_deadlock
    def _update(self, uuid: str, **values: Any) -> Instance:
        with engines.cell_writer(self.db_url) as conn:
            return instances.update(conn, uuid, **values)

    def _finish(self, uuid: str, expected: Any,
                **values: Any) -> Instance | None:
        """Set the outcome of an operation, unless the instance went away
        or another operation (a delete) took it over meanwhile."""
        try:
            return self._update(uuid, expected_task_state=expected,
                                **values)
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError) as exc:
            LOG.info('Not recording the outcome on instance %s: %s', uuid,
                     exc)
            return None

    @engines.retry_on_deadlock
    def _fault(self, uuid: str, exc: BaseException) -> None:
        try:
            with engines.cell_writer(self.db_url) as conn:
                instances.add_fault_from(conn, uuid, exc, host=self.host)
        except exception.InstanceNotFound:
            pass

    @engines.retry_on_deadlock
    def _record(self, fn: Callable, ctx: nova_context.RequestContext,
                *args: Any, **kwargs: Any) -> None:
        try:
            with engines.cell_writer(self.db_url) as conn:
                fn(conn, ctx, *args, **kwargs)
        except exception.InstanceActionNotFound:
            # Nobody started an action for this request (an internal
            # call): there is nothing to attach the event to.
            LOG.debug('No action to record %s of %s on', fn.__name__,
                      args[0])

    @contextlib.contextmanager
    def _event(self, ctx: nova_context.RequestContext, uuid: str,
               event: str) -> Iterator[None]:
        """Record `event` of the request's action around the block."""
        self._record(instance_actions.start_event, ctx, uuid, event,
                     self.host)
        try:
            yield
        except Exception as exc:
            self._record(instance_actions.finish_event, ctx, uuid, event,
                         result='Error',
                         traceback=''.join(traceback.format_exception(exc)))
            raise
        self._record(instance_actions.finish_event, ctx, uuid, event,
                     result='Success')

    def _power_state(self, instance: Instance) -> int:
        try:
            return self.driver.get_info(instance)
        except exception.InstanceNotFound:
            return states.NOSTATE

    # Build and delete

    @messaging.expose
    def build_and_run_instance(
            self, ctx: nova_context.RequestContext, instance: Instance,
            node: str, image: dict, request_spec: RequestSpec,
            admin_password: str | None, injected_files: list,
            requested_networks: Any, block_device_mapping: list,
            limits: dict | None, host_list: list[Selection]) -> None:
        """Spawn the instance the conductor placed here (its resources
        are claimed). If the driver fails, free this host's claim and
        hand the instance back to the cell conductor with `host_list`,
        the alternates not tried yet."""
        uuid = instance.uuid
        strict = (request_spec is not None and request_spec.group_policy()
                  in ('affinity', 'anti-affinity'))
        with self._locked(uuid):
            try:
                # Checking the group and taking the instance in are one
                # step for all group builds on this host (see
                # _group_violation).
                with (self._group_lock if strict
                      else contextlib.nullcontext()):
                    instance = self._update(
                        uuid, task_state=states.SPAWNING,
                        expected_task_state=[states.SCHEDULING, None])
                    violation = (self._group_violation(uuid, request_spec)
                                 if strict else None)
            except exception.InstanceNotFound:
                LOG.info('Instance %s was deleted before its build '
                         'started', uuid)
                self.placement.free_allocations(uuid)
                return
            except exception.UnexpectedTaskStateError as exc:
                LOG.info('Not building instance %s: %s', uuid, exc)
                return
            try:
                with self._event(ctx, uuid, 'compute_build_and_run_instance'):
                    if violation:
                        raise exception.RescheduledException(
                            instance_uuid=uuid, reason=violation)
                    volumes = self._connect_volumes(ctx, instance)
                    self.driver.spawn(instance, image, admin_password,
                                      injected_files, volumes)
            except Exception as exc:
                self._reschedule(ctx, instance, image, request_spec,
                                 admin_password, injected_files,
                                 requested_networks, host_list, exc)
                return
            done = self._finish(
                uuid, states.SPAWNING, vm_state=states.ACTIVE,
                task_state=None, power_state=self._power_state(instance),
                launched_at=_now())
            if done is not None:
                LOG.info('Instance %s is active on %s', uuid, self.host)
            else:
                self._deleted_while_spawning(instance)

    def _deleted_while_spawning(self, instance: Instance) -> None:
        """The user deleted the instance while it was spawning. Under
        DELETING its terminate_instance is on the way and cleans up; if
        the API destroyed it outright (it had no host when the API read
        it), nobody else will: destroy the guest and free the claim."""
        uuid = instance.uuid
        try:
            self._get(uuid)
            return
        except exception.InstanceNotFound:
            pass
        LOG.info('Instance %s was deleted while it was spawning on %s; '
                 'destroying its guest', uuid, self.host)
        try:
            self.driver.destroy(instance)
        except Exception:
            LOG.exception('Destroying the guest of deleted instance %s', uuid)
        self.placement.free_allocations(uuid)

    def _group_violation(self, uuid: str,
                         request_spec: RequestSpec) -> str | None:
        """Upstream's late check of a strict server group policy: two
        schedulers may have placed members of one group at the same
        time. Among the group's other members in this cell (the spec's
        members, re-read by the conductor when the request was placed),
        those already taken in by their compute count: an anti-affinity
        member here, or affinity members only elsewhere, send this build
        to an alternate (anti-affinity: max_server_per_host members here
        already, 1 without the rule). This cell only: a compute has no
        API database and reads no other cell."""
        group = request_spec.instance_group or {}
        others = [m for m in group.get('members') or [] if m != uuid]
        if not others:
            return None
        with engines.cell_reader(self.db_url) as conn:
            placed = instances.list_instances(
                conn, {'uuid': others, 'deleted': False}, ['created_at'],
                ['asc'])
        hosts = [i.host for i in placed
                 if i.host and i.task_state != states.SCHEDULING]
        policy = request_spec.group_policy()
        if policy == 'anti-affinity' and hosts.count(
                self.host) >= request_spec.max_server_per_host():
            return 'Anti-affinity instance group policy was violated.'
        if policy == 'affinity' and hosts and self.host not in hosts:
            return 'Affinity instance group policy was violated.'
        return None

    def _reschedule(self, ctx: nova_context.RequestContext,
                    instance: Instance, image: dict,
                    request_spec: RequestSpec, admin_password: str | None,
                    injected_files: list, requested_networks: Any,
                    host_list: list[Selection], exc: Exception) -> None:
        uuid = instance.uuid
        LOG.warning('Build of instance %s failed on %s, asking for a '
                    'reschedule: %s', uuid, self.host, exc)
        try:
            self.driver.destroy(instance)
        except Exception:
            LOG.exception('Cleaning up the failed build of %s', uuid)
        self._disconnect_volumes(ctx, uuid)
        self.placement.free_allocations(uuid)
        rescheduled = self._finish(uuid, states.SPAWNING, host=None,
                                   node=None, task_state=states.SCHEDULING)
        if rescheduled is None:
            return
        with self._cell(ctx) as cctx:
            self.conductor_api.build_instances(
                cctx, rescheduled, image, request_spec, host_list,
                admin_password, injected_files, requested_networks)

    @messaging.expose
    def terminate_instance(self, ctx: nova_context.RequestContext,
                           instance: Instance) -> None:
        """Destroy the guest, release its volumes (attachments deleted,
        delete_on_termination volumes deleted), soft-delete the instance
        and free what it holds in placement (and what a resize in progress
        parked on its migration)."""
        uuid = instance.uuid
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_terminate_instance'):
                    self.driver.destroy(instance)
            except Exception as exc:
                LOG.error('Could not destroy instance %s: %s', uuid, exc)
                self._fault(uuid, exc)
                self._finish(uuid, states.DELETING, vm_state=states.ERROR,
                             task_state=None)
                return
            volume_api.release(ctx, self._volume_bdms(uuid))
            migration = self._destroy(uuid)
            if migration is not None:
                # Stored migrations have a uuid (migrations.create).
                assert migration.uuid is not None
                self.placement.free_allocations(migration.uuid)
            self.placement.free_allocations(uuid)
        with self._locks_guard:
            self._locks.pop(uuid, None)
        self.instance_events.clear(uuid)
        LOG.info('Instance %s deleted from %s', uuid, self.host)

    @engines.retry_on_deadlock
    def _destroy(self, uuid: str) -> Migration | None:
        """Soft-delete the instance; its resize in progress, if any."""
        with engines.cell_writer(self.db_url) as conn:
            migration = migrations.get_in_progress_by_instance(conn, uuid)
            try:
                instances.destroy(conn, uuid)
            except exception.InstanceNotFound:
                pass
            return migration

    # Power and state actions

    def _act(self, ctx: nova_context.RequestContext, instance: Instance,
             event: str, expected: list, call: Callable[[Instance], None],
             vm_state: str) -> None:
        """Run one driver action and record its outcome (see the module
        docstring)."""
        uuid = instance.uuid
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, event):
                    call(instance)
            except Exception as exc:
                LOG.error('%s of instance %s failed: %s', event, uuid, exc)
                self._fault(uuid, exc)
                self._finish(uuid, expected + [None], task_state=None,
                             power_state=self._power_state(instance))
                return
            self._finish(uuid, expected + [None], vm_state=vm_state,
                         task_state=None,
                         power_state=self._power_state(instance))

    @messaging.expose
    def reboot_instance(self, ctx: nova_context.RequestContext,
                        instance: Instance, reboot_type: str) -> None:
        if reboot_type == 'HARD':
            expected = [states.REBOOTING_HARD, states.REBOOT_PENDING_HARD,
                        states.REBOOT_STARTED_HARD]
        else:
            expected = [states.REBOOTING, states.REBOOT_PENDING,
                        states.REBOOT_STARTED]
        self._act(ctx, instance, 'compute_reboot_instance', expected,
                  lambda i: self.driver.reboot(i, reboot_type),
                  states.ACTIVE)

    @messaging.expose
    def stop_instance(self, ctx: nova_context.RequestContext,
                      instance: Instance) -> None:
        self._act(ctx, instance, 'compute_stop_instance',
                  [states.POWERING_OFF], self.driver.power_off,
                  states.STOPPED)

    @messaging.expose
    def start_instance(self, ctx: nova_context.RequestContext,
                       instance: Instance) -> None:
        self._act(ctx, instance, 'compute_start_instance',
                  [states.POWERING_ON], self.driver.power_on, states.ACTIVE)

    @messaging.expose
    def pause_instance(self, ctx: nova_context.RequestContext,
                       instance: Instance) -> None:
        self._act(ctx, instance, 'compute_pause_instance',
                  [states.PAUSING], self.driver.pause, states.PAUSED)

    @messaging.expose
    def unpause_instance(self, ctx: nova_context.RequestContext,
                         instance: Instance) -> None:
        self._act(ctx, instance, 'compute_unpause_instance',
                  [states.UNPAUSING], self.driver.unpause, states.ACTIVE)

    @messaging.expose
    def suspend_instance(self, ctx: nova_context.RequestContext,
                         instance: Instance) -> None:
        self._act(ctx, instance, 'compute_suspend_instance',
                  [states.SUSPENDING], self.driver.suspend,
                  states.SUSPENDED)

    @messaging.expose
    def resume_instance(self, ctx: nova_context.RequestContext,
                        instance: Instance) -> None:
        self._act(ctx, instance, 'compute_resume_instance',
                  [states.RESUMING], self.driver.resume, states.ACTIVE)

    @messaging.expose
    def rebuild_instance(self, ctx: nova_context.RequestContext,
                         instance: Instance, image_ref: str,
                         orig_image_ref: str,
                         new_pass: str | None = None) -> None:
        """Re-create the guest from `image_ref` (same flavor, same host)
        with admin password `new_pass` (1.9)."""
        def rebuild(inst: Instance) -> None:
            self.driver.destroy(inst)
            inst = self._update(inst.uuid, image_ref=image_ref,
                                task_state=states.REBUILD_SPAWNING,
                                expected_task_state=states.REBUILDING)
            self.driver.spawn(inst, {'id': image_ref}, new_pass, [])
        self._act(ctx, instance, 'compute_rebuild_instance',
                  [states.REBUILDING, states.REBUILD_SPAWNING], rebuild,
                  states.ACTIVE)

    @messaging.expose
    def get_console_output(self, ctx: nova_context.RequestContext,
                           instance: Instance,
                           tail_length: int | None) -> str:
        """The guest's console log, only its last `tail_length` lines if
        given."""
        output = self.driver.get_console_output(instance)
        if tail_length is None:
            return output
        lines = output.splitlines(keepends=True)
        return ''.join(lines[-tail_length:] if tail_length > 0 else [])

    @messaging.expose
    @messaging.expected_exceptions(NotImplementedError,
                                   exception.ConsoleTypeInvalid,
                                   exception.ConsoleTypeUnavailable,
                                   exception.InstanceNotReady,
                                   exception.InstanceNotFound)
    def get_console(self, ctx: nova_context.RequestContext,
                    instance: Instance, protocol: str,
                    console_type: str) -> str:
        """A link to the guest's `protocol` console, its token stored in
        the cell database (see nova.compute.console_auth)."""
        base = console_auth.proxy_url(protocol, console_type)
        try:
            info = self.driver.get_console(instance, protocol)
        except exception.InstanceNotFound:
            if instance.vm_state != states.BUILDING:
                raise
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        with engines.cell_writer(self.db_url) as conn:
            return console_auth.authorize(conn, instance, console_type, base,
                                      info)

    @messaging.expose
    @messaging.expected_exceptions(NotImplementedError)
    def set_host_enabled(self, ctx: nova_context.RequestContext,
                         enabled: bool) -> str:
        return self.driver.set_host_enabled(enabled)

    @messaging.expose
    @messaging.expected_exceptions(NotImplementedError)
    def host_maintenance_mode(self, ctx: nova_context.RequestContext,
                              host_param: str, mode: bool) -> str:
        return self.driver.host_maintenance_mode(host_param, mode)

    @messaging.expose
    @messaging.expected_exceptions(NotImplementedError)
    def host_power_action(self, ctx: nova_context.RequestContext,
                          action: str) -> str:
        return self.driver.host_power_action(action)

    @messaging.expose
    def external_instance_event(self, ctx: nova_context.RequestContext,
                                instances: list[Instance],
                                events: list[dict]) -> None:
        """Events other services report about instances here: each
        wakes whoever on this host waits for it (see instance_events).
        volume-extended (tag: the volume) also tells the driver the
        volume's new size; there is no network service to refresh from,
        so network-changed and network-vif-deleted change nothing else."""
        by_uuid = {i.uuid: i for i in instances}
        for event in events:
            uuid = event['server_uuid']
            if uuid not in by_uuid:
                continue
            if event['name'] == 'volume-extended' and event.get('tag'):
                self._volume_extended(ctx, by_uuid[uuid], event['tag'])
            woken = self.instance_events.pop(
                uuid, event['name'], event.get('tag'),
                event.get('status', 'completed'))
            LOG.info('Event %s%s (%s) for instance %s on %s%s',
                     event['name'],
                     ':' + event['tag'] if event.get('tag') else '',
                     event.get('status', 'completed'), uuid, self.host,
                     '' if woken else ', which nobody was waiting for')

    @service.periodic_task()
    def _instance_usage_audit(self, ctx: nova_context.RequestContext
                              ) -> None:
        """Once per audit period, if [DEFAULT] instance_usage_audit:
        record how many instances ran here in the last one."""
        if CONF.instance_usage_audit:
            usage_audit.audit_host(self.db_url, self.host)

    @service.periodic_task(spacing=POWER_SYNC_SPACING)
    def sync_power_states(self, ctx: nova_context.RequestContext) -> None:
        """Record the power state the driver reports for each idle
        instance of this host; an active instance found shut down is
        stopped (as if its user had stopped it)."""
        with engines.cell_reader(self.db_url) as conn:
            mine = instances.list_by_host(conn, self.host)
        for instance in mine:
            if instance.task_state is not None:
                continue
            power = self._power_state(instance)
            if power == instance.power_state:
                continue
            values: dict[str, Any] = {'power_state': power}
            if (instance.vm_state == states.ACTIVE
                    and power in (states.SHUTDOWN, states.NOSTATE)):
                values['vm_state'] = states.STOPPED
            LOG.info('Instance %s is %s on the hypervisor, was %s',
                     instance.uuid, states.POWER_STATE_NAMES.get(power),
                     states.POWER_STATE_NAMES.get(instance.power_state))
            self._finish(instance.uuid, None, **values)

    # Resize and cold migration: prep_resize (destination) ->
    # resize_instance (source) -> finish_resize (destination) -> RESIZED;
    # then confirm_resize (source), or revert_resize (destination) ->
    # finish_revert_resize (source).

    @engines.retry_on_deadlock
    def _migration(self, migration: Migration, **values: Any) -> Migration:
        """The stored `migration` updated with `values`."""
        assert migration.id is not None  # read from the database
        with engines.cell_writer(self.db_url) as conn:
            return migrations.update(conn, migration.id, **values)

    def _move_failed(self, ctx: nova_context.RequestContext,
                     instance: Instance, migration: Migration,
                     exc: Exception) -> None:
        """A move step failed after the guest may have been touched: the
        instance needs an operator (vm_state ERROR); what placement holds
        is left for them to sort out."""
        LOG.error('Move of instance %s (migration %s) failed on %s: %s',
                  instance.uuid, migration.uuid, self.host, exc)
        self._fault(instance.uuid, exc)
        self._migration(migration, status='error')
        self._finish(instance.uuid, instances.ANY, vm_state=states.ERROR,
                     task_state=None)

    @messaging.expose
    def prep_resize(self, ctx: nova_context.RequestContext,
                    instance: Instance, image: dict, flavor: Flavor,
                    migration: Migration, request_spec: RequestSpec,
                    host_list: list[Selection], dest_node: str) -> None:
        """On the destination: take the move (its new-flavor allocation
        for the instance is already claimed here), then ask the source to
        send the instance over."""
        uuid = instance.uuid
        try:
            with self._event(ctx, uuid, 'compute_prep_resize'):
                migration = self._migration(
                    migration, dest_compute=self.host,
                    dest_node=dest_node, dest_host=self.host,
                    status='pre-migrating')
                instance = self._update(
                    uuid, old_flavor=instance.flavor, new_flavor=flavor,
                    expected_task_state=states.RESIZE_PREP)
        except Exception as exc:
            self._prep_failed(ctx, instance, migration, exc)
            return
        with self._cell(ctx) as cctx:
            self.compute_api.resize_instance(cctx, instance, migration,
                                             image, flavor, request_spec)

    def _prep_failed(self, ctx: nova_context.RequestContext,
                     instance: Instance, migration: Migration,
                     exc: Exception) -> None:
        """Nothing moved yet: give the instance its source allocation
        back and go on where it is."""
        LOG.error('Could not prepare the move of instance %s to %s: %s',
                  instance.uuid, self.host, exc)
        self._fault(instance.uuid, exc)
        assert migration.uuid is not None  # stored ones have one
        try:
            self.placement.move_allocations(migration.uuid, instance.uuid)
        except placement_client.PlacementError as perr:
            LOG.error('Could not give instance %s its allocation back: %s',
                      instance.uuid, perr)
        self._migration(migration, status='error')
        self._finish(instance.uuid, [states.RESIZE_PREP, None],
                     task_state=None, old_flavor=None, new_flavor=None)

    @messaging.expose
    def resize_instance(self, ctx: nova_context.RequestContext,
                        instance: Instance, migration: Migration,
                        image: dict, flavor: Flavor,
                        request_spec: RequestSpec) -> None:
        """On the source: power off, hand the disks to the destination,
        and make the destination the instance's host."""
        uuid = instance.uuid
        try:
            with self._locked(uuid), self._event(
                    ctx, uuid, 'compute_resize_instance'):
                migration = self._migration(migration,
                                            status='migrating')
                instance = self._update(
                    uuid, task_state=states.RESIZE_MIGRATING,
                    expected_task_state=states.RESIZE_PREP,
                    system_metadata={**instance.system_metadata,
                                     OLD_VM_STATE: instance.vm_state})
                # prep_resize on the destination set it.
                assert migration.dest_compute is not None
                self.driver.migrate_disk_and_power_off(
                    instance, migration.dest_compute, flavor)
                self._hand_over_volumes(ctx, instance)
                migration = self._migration(migration,
                                            status='post-migrating')
                instance = self._update(
                    uuid, host=migration.dest_compute,
                    node=migration.dest_node,
                    task_state=states.RESIZE_MIGRATED,
                    power_state=states.SHUTDOWN,
                    expected_task_state=states.RESIZE_MIGRATING)
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        with self._cell(ctx) as cctx:
            self.compute_api.finish_resize(cctx, instance, migration, image,
                                           request_spec)

    @messaging.expose
    def finish_resize(self, ctx: nova_context.RequestContext,
                      instance: Instance, migration: Migration, image: dict,
                      request_spec: RequestSpec) -> None:
        """On the destination: start the guest with the new flavor;
        vm_state RESIZED until the user confirms or reverts."""
        uuid = instance.uuid
        try:
            with self._locked(uuid), self._event(
                    ctx, uuid, 'compute_finish_resize'):
                instance = self._update(
                    uuid, task_state=states.RESIZE_FINISH,
                    flavor=instance.new_flavor,
                    expected_task_state=states.RESIZE_MIGRATED)
                old_vm_state = instance.system_metadata.get(
                    OLD_VM_STATE, states.ACTIVE)
                self.driver.finish_migration(
                    instance, image,
                    power_on=old_vm_state != states.STOPPED,
                    volumes=self._connect_volumes(ctx, instance))
                self._migration(migration, status='finished')
                self._update(uuid, vm_state=states.RESIZED,
                             task_state=None, launched_on=self.host,
                             power_state=self._power_state(instance),
                             expected_task_state=states.RESIZE_FINISH)
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        LOG.info('Instance %s resized onto %s, awaiting confirmation', uuid,
                 self.host)

    def _end_move(self, instance: Instance) -> dict:
        """Values that end a move: the vm_state from before it, no
        flavors in flight."""
        sysmeta = dict(instance.system_metadata)
        old_vm_state = sysmeta.pop(OLD_VM_STATE, states.ACTIVE)
        return {'vm_state': old_vm_state, 'task_state': None,
                'old_flavor': None, 'new_flavor': None,
                'system_metadata': sysmeta}

    @messaging.expose
    def confirm_resize(self, ctx: nova_context.RequestContext,
                       instance: Instance, migration: Migration) -> None:
        """On the source: remove the old guest and free the allocation
        the migration held here."""
        uuid = instance.uuid
        try:
            with self._event(ctx, uuid, 'compute_confirm_resize'):
                self.driver.confirm_migration(instance)
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        assert migration.uuid is not None  # stored ones have one
        self.placement.free_allocations(migration.uuid)
        self._migration(migration, status='confirmed')
        instance = self._get(uuid)
        self._finish(uuid, [states.RESIZE_CONFIRMING, None],
                     **self._end_move(instance))
        LOG.info('Resize of instance %s confirmed', uuid)

    @messaging.expose
    def revert_resize(self, ctx: nova_context.RequestContext,
                      instance: Instance, migration: Migration) -> None:
        """On the destination: remove the new guest, then have the
        source bring the old one back."""
        uuid = instance.uuid
        try:
            with self._locked(uuid), self._event(
                    ctx, uuid, 'compute_revert_resize'):
                self.driver.destroy(instance)
                self._hand_over_volumes(ctx, instance)
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        with self._cell(ctx) as cctx:
            self.compute_api.finish_revert_resize(cctx, instance, migration)

    @messaging.expose
    def finish_revert_resize(self, ctx: nova_context.RequestContext,
                             instance: Instance,
                             migration: Migration) -> None:
        """On the source: the instance's allocation goes back to what the
        migration held here, the old flavor and host are restored and the
        old guest started again."""
        uuid = instance.uuid
        assert migration.uuid is not None  # stored ones have one
        try:
            with self._locked(uuid), self._event(
                    ctx, uuid, 'compute_finish_revert_resize'):
                self.placement.move_allocations(migration.uuid, uuid)
                instance = self._get(uuid)
                values = self._end_move(instance)
                instance = self._update(
                    uuid, flavor=instance.old_flavor,
                    host=migration.source_compute,
                    node=migration.source_node,
                    expected_task_state=states.RESIZE_REVERTING)
                self.driver.finish_revert_migration(
                    instance, power_on=values['vm_state'] != states.STOPPED,
                    volumes=self._connect_volumes(ctx, instance))
                self._migration(migration, status='reverted')
                self._finish(uuid, states.RESIZE_REVERTING,
                             power_state=self._power_state(instance),
                             **values)
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        LOG.info('Resize of instance %s reverted', uuid)

    # Volumes

    @messaging.expose
    def reserve_block_device_name(self, ctx: nova_context.RequestContext,
                                  instance: Instance, device: str | None,
                                  volume_id: str, tag: str | None,
                                  delete_on_termination: bool,
                                  multiattach: bool = False
                                  ) -> BlockDeviceMapping:
        """Pick the guest device for `volume_id` (`device` if free) and
        record the mapping, not attached yet (a call). Raises
        VolumeAlreadyAttached, InvalidDevicePath, DevicePathInUse, or
        MultiattachNotSupportedByVirtDriver for a `multiattach` volume
        this host's driver cannot share."""
        if multiattach and not self.driver.supports_multiattach:
            raise exception.MultiattachNotSupportedByVirtDriver(
                volume_id=volume_id)
        with self._locked(instance.uuid):
            return self._reserve_bdm(instance.uuid, device, volume_id, tag,
                                     delete_on_termination)

    @engines.retry_on_deadlock
    def _reserve_bdm(self, uuid: str, device: str | None, volume_id: str,
                     tag: str | None,
                     delete_on_termination: bool) -> BlockDeviceMapping:
        with engines.cell_writer(self.db_url) as conn:
            bdms = block_device_mappings.list_by_instance(conn, uuid)
            if any(b.volume_id == volume_id for b in bdms):
                raise exception.VolumeAlreadyAttached(volume_id=volume_id,
                                                      instance_uuid=uuid)
            name = device_names.pick(device, [b.device_name for b in bdms])
            return block_device_mappings.create(conn, BlockDeviceMapping(
                instance_uuid=uuid, volume_id=volume_id, device_name=name,
                tag=tag, delete_on_termination=delete_on_termination))

    @engines.retry_on_deadlock
    def _bdm(self, id: int, **values: Any) -> BlockDeviceMapping:
        with engines.cell_writer(self.db_url) as conn:
            return block_device_mappings.update(conn, id, **values)

    @engines.retry_on_deadlock
    def _forget_bdm(self, id: int) -> None:
        with engines.cell_writer(self.db_url) as conn:
            block_device_mappings.destroy(conn, id)

    @messaging.expose
    def attach_volume(self, ctx: nova_context.RequestContext,
                      instance: Instance, bdm: BlockDeviceMapping) -> None:
        """Connect the reserved volume of `bdm` (its attachment made by
        the API) and plug it into the guest. On any failure the guest,
        Cinder and the mapping are left as before the request: the
        attachment is deleted and the mapping removed."""
        uuid = instance.uuid
        assert bdm.id is not None and bdm.device_name is not None
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_attach_volume'):
                    self._connect(ctx, instance, bdm)
            except Exception as exc:
                LOG.error('Attaching volume %s to instance %s failed: %s',
                          bdm.volume_id, uuid, exc)
                self._fault(uuid, exc)
                self._let_go(ctx, bdm)
                return
        LOG.info('Volume %s attached to instance %s at %s', bdm.volume_id,
                 uuid, bdm.device_name)

    def _connect(self, ctx: nova_context.RequestContext, instance: Instance,
                 bdm: BlockDeviceMapping) -> None:
        assert bdm.id is not None and bdm.device_name is not None
        assert bdm.attachment_id is not None  # made by the API
        info = self._connection(ctx, instance, bdm.id, bdm.attachment_id,
                                bdm.device_name)
        self.driver.attach_volume(info, instance, bdm.device_name)
        try:
            volume_api.attachment_complete(ctx, bdm.attachment_id)
        except Exception:
            self.driver.detach_volume(info, instance, bdm.device_name)
            raise

    def _connection(self, ctx: nova_context.RequestContext,
                    instance: Instance, bdm_id: int, attachment_id: str,
                    device: str) -> dict:
        """Cinder's connection_info for this host's connector, recorded
        on the mapping with the guest device."""
        info = volume_api.attachment_update(
            ctx, attachment_id, self.driver.get_volume_connector(instance),
            device)['connection_info']
        self._bdm(bdm_id, device_name=device,
                  connection_info=json.dumps(info))
        return info

    def _let_go(self, ctx: nova_context.RequestContext,
                bdm: BlockDeviceMapping) -> None:
        """Delete the attachment and the mapping, logging (not raising)
        what fails: clean-up after a failure, or a delete."""
        assert bdm.id is not None
        try:
            if bdm.attachment_id:
                volume_api.attachment_delete(ctx, bdm.attachment_id)
            self._forget_bdm(bdm.id)
        except Exception:
            LOG.exception('Could not release volume %s (attachment %s)',
                          bdm.volume_id, bdm.attachment_id)

    @messaging.expose
    def detach_volume(self, ctx: nova_context.RequestContext,
                      instance: Instance, volume_id: str) -> None:
        """Unplug the volume, delete its attachment and mapping."""
        uuid = instance.uuid
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_detach_volume'):
                    with engines.cell_reader(self.db_url) as conn:
                        bdm = block_device_mappings.get_by_volume(
                            conn, uuid, volume_id)
                    self._disconnect(ctx, instance, bdm)
            except Exception as exc:
                LOG.error('Detaching volume %s from instance %s failed: %s',
                          volume_id, uuid, exc)
                self._fault(uuid, exc)
                return
        LOG.info('Volume %s detached from instance %s', volume_id, uuid)

    @messaging.expose
    def swap_volume(self, ctx: nova_context.RequestContext,
                    instance: Instance, old_volume_id: str,
                    new_volume_id: str, new_attachment_id: str) -> None:
        """Connect the new volume (its attachment made by the API), swap
        it in for the old one at the same guest device, record it on the
        mapping and delete the old volume's attachment. On failure the
        guest keeps the old volume: the new attachment is deleted and
        the old volume is in-use again."""
        uuid = instance.uuid
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_swap_volume'):
                    with engines.cell_reader(self.db_url) as conn:
                        bdm = block_device_mappings.get_by_volume(
                            conn, uuid, old_volume_id)
                    self._swap(ctx, instance, bdm, new_volume_id,
                               new_attachment_id)
            except Exception as exc:
                LOG.error('Swapping volume %s of instance %s for %s '
                          'failed: %s', old_volume_id, uuid, new_volume_id,
                          exc)
                self._fault(uuid, exc)
                try:
                    volume_api.attachment_delete(ctx, new_attachment_id)
                    volume_api.roll_detaching(ctx, old_volume_id)
                except Exception:
                    LOG.exception('Could not undo the swap of volume %s',
                                  old_volume_id)
                return
            # The guest has the new volume now: the old one goes.
            if bdm.attachment_id:
                try:
                    volume_api.attachment_delete(ctx, bdm.attachment_id)
                except Exception:
                    LOG.exception('Could not delete attachment %s of the '
                                  'swapped-out volume %s',
                                  bdm.attachment_id, old_volume_id)
        LOG.info('Volume %s of instance %s swapped for %s', old_volume_id,
                 uuid, new_volume_id)

    def _swap(self, ctx: nova_context.RequestContext, instance: Instance,
              bdm: BlockDeviceMapping, new_volume_id: str,
              new_attachment_id: str) -> None:
        assert bdm.id is not None and bdm.device_name is not None
        old_info = json.loads(bdm.connection_info or '{}')
        new_info = volume_api.attachment_update(
            ctx, new_attachment_id, self.driver.get_volume_connector(instance),
            bdm.device_name)['connection_info']
        self.driver.swap_volume(old_info, new_info, instance,
                                bdm.device_name)
        try:
            volume_api.attachment_complete(ctx, new_attachment_id)
        except Exception:
            self.driver.swap_volume(new_info, old_info, instance,
                                    bdm.device_name)
            raise
        self._bdm(bdm.id, volume_id=new_volume_id,
                  attachment_id=new_attachment_id,
                  connection_info=json.dumps(new_info))

    def _disconnect(self, ctx: nova_context.RequestContext,
                    instance: Instance, bdm: BlockDeviceMapping) -> None:
        assert bdm.id is not None and bdm.device_name is not None
        if bdm.connection_info:
            self.driver.detach_volume(json.loads(bdm.connection_info),
                                      instance, bdm.device_name)
        if bdm.attachment_id:
            volume_api.attachment_delete(ctx, bdm.attachment_id)
        self._forget_bdm(bdm.id)

    def _connect_volumes(self, ctx: nova_context.RequestContext,
                         instance: Instance) -> dict[str, dict]:
        """Before a spawn: each volume of the build made (a new one is
        created in Cinder and waited for), reserved and connected to this
        host; {guest device: connection_info} for the driver."""
        uuid = instance.uuid
        bdms = self._volume_bdms(uuid)
        used: list[str] = []
        connected = {}
        for bdm in bdms:
            bdm_id = bdm.id
            assert bdm_id is not None
            if bdm.volume_id is None:
                made = volume_api.create(
                    ctx, bdm.volume_size, '%s-%s' % (uuid, bdm.source_type),
                    image_id=bdm.image_id, snapshot_id=bdm.snapshot_id,
                    volume_type=bdm.volume_type)
                bdm = self._bdm(bdm_id, volume_id=made['id'])
                volume_api.wait_available(ctx, made['id'])
            assert bdm.volume_id is not None
            if bdm.attachment_id is None:
                bdm = self._bdm(bdm_id, attachment_id=volume_api.
                                attachment_create(ctx, bdm.volume_id,
                                                  uuid)['id'])
            assert bdm.attachment_id is not None
            # Like libvirt, the guest's order, not the user's names.
            device = (device_names.ROOT if bdm.is_root else
                      device_names.pick(None, used))
            used.append(device)
            connected[device] = self._connection(
                ctx, instance, bdm_id, bdm.attachment_id, device)
            volume_api.attachment_complete(ctx, bdm.attachment_id)
        return connected

    def _disconnect_volumes(self, ctx: nova_context.RequestContext,
                            uuid: str) -> None:
        """After a failed build here, before another host tries: the
        attachments go; a volume this build created is deleted (the next
        host makes its own), one the user gave is reserved again."""
        for bdm in self._volume_bdms(uuid):
            assert bdm.id is not None
            try:
                if bdm.attachment_id:
                    volume_api.attachment_delete(ctx, bdm.attachment_id)
                if bdm.source_type != 'volume':
                    if bdm.volume_id:
                        volume_api.delete(ctx, bdm.volume_id)
                    self._bdm(bdm.id, volume_id=None, attachment_id=None,
                              connection_info=None)
                elif bdm.volume_id:
                    self._bdm(bdm.id, connection_info=None,
                              attachment_id=volume_api.attachment_create(
                                  ctx, bdm.volume_id, uuid)['id'])
            except Exception:
                LOG.exception('Releasing volume %s of the failed build of '
                              '%s', bdm.volume_id, uuid)

    def _volume_bdms(self, uuid: str) -> list[BlockDeviceMapping]:
        with engines.cell_reader(self.db_url) as conn:
            return [b for b in block_device_mappings.list_by_instance(
                conn, uuid) if b.is_volume]

    def _hand_over_volumes(self, ctx: nova_context.RequestContext,
                           instance: Instance) -> None:
        """The instance leaves this host (a move): each volume is
        unplugged here and its attachment swapped for a new, reserved
        one, which keeps the volume the instance's until the next host
        connects it (_connect_volumes)."""
        for bdm in self._volume_bdms(instance.uuid):
            assert bdm.id is not None and bdm.volume_id is not None
            if bdm.connection_info and bdm.device_name:
                self.driver.detach_volume(json.loads(bdm.connection_info),
                                          instance, bdm.device_name)
            new = volume_api.attachment_create(ctx, bdm.volume_id,
                                               instance.uuid)['id']
            if bdm.attachment_id:
                volume_api.attachment_delete(ctx, bdm.attachment_id)
            self._bdm(bdm.id, attachment_id=new, connection_info=None)

    def _volume_extended(self, ctx: nova_context.RequestContext,
                         instance: Instance, volume_id: str) -> None:
        """Cinder grew an attached volume: the guest learns its new size.
        Failures are logged (the event has no one to answer to)."""
        try:
            with self._locked(instance.uuid):
                with engines.cell_reader(self.db_url) as conn:
                    bdm = block_device_mappings.get_by_volume(
                        conn, instance.uuid, volume_id)
                size = volume_api.get(ctx, volume_id)['size']
                if bdm.connection_info and bdm.device_name:
                    self.driver.extend_volume(
                        json.loads(bdm.connection_info), instance,
                        bdm.device_name, size * 1024 ** 3)
        except Exception as exc:
            LOG.error('Could not extend volume %s of instance %s: %s',
                      volume_id, instance.uuid, exc)
            return
        LOG.info('Volume %s of instance %s is now %d GB', volume_id,
                 instance.uuid, size)

    # Live migration: live_migration (source) queues the move; its turn
    # come, pre_live_migration (destination) readies the guest's
    # arrival, the driver copies it over, and
    # post_live_migration_at_destination makes the destination its host
    # (the source's allocation, parked on the migration, is freed).
    # Failed or aborted: _rollback_live_migration puts everything back
    # on the source. Migration statuses: queued, preparing, running,
    # completed (or error, cancelled).

    @messaging.expose
    def live_migration(self, ctx: nova_context.RequestContext,
                       instance: Instance, dest: str, migration: Migration,
                       block_migration: bool) -> None:
        """On the source: queue the move to `dest`."""
        migration = self._migration(migration, status='queued')
        assert migration.id is not None  # stored
        with self._live_guard:
            self._live_queued[migration.id] = self._live_pool.submit(
                self._do_live_migration, ctx, instance, dest, migration,
                block_migration)

    def _live_turn(self, migration_id: int) -> bool:
        """Whether the queued move may go on (not aborted meanwhile)."""
        with self._live_guard:
            self._live_queued.pop(migration_id, None)
            return migration_id not in self._live_aborts

    def _do_live_migration(self, ctx: nova_context.RequestContext,
                           instance: Instance, dest: str,
                           migration: Migration,
                           block_migration: bool) -> None:
        uuid = instance.uuid
        mid = migration.id
        assert mid is not None  # stored
        if not self._live_turn(mid):
            self._rollback_live_migration(ctx, instance, dest, migration,
                                          'cancelled')
            return
        try:
            with self._event(ctx, uuid, 'compute_live_migration'):
                migration = self._migration(migration, status='preparing')
                with self._cell(ctx) as cctx:
                    self.compute_api.pre_live_migration(cctx, instance,
                                                        dest, migration)
                with self._live_guard:
                    aborted = mid in self._live_aborts
                    if not aborted:
                        self._live_running.add(mid)
                if not aborted:
                    migration = self._migration(migration,
                                                status='running')
                    LOG.info('Live migrating instance %s to %s', uuid,
                             dest)
                    done = self.driver.live_migration(instance, dest,
                                                      block_migration)
        except Exception as exc:
            self._rollback_live_migration(ctx, instance, dest, migration,
                                          'error', exc)
            return
        finally:
            with self._live_guard:
                self._live_running.discard(mid)
                self._live_aborts.discard(mid)
        if aborted or not done:
            self._rollback_live_migration(ctx, instance, dest, migration,
                                          'cancelled')
            return
        try:
            self._hand_over_volumes(ctx, instance)
            self.driver.post_live_migration(instance)
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        with self._cell(ctx) as cctx:
            self.compute_api.post_live_migration_at_destination(
                cctx, instance, dest, migration)

    def _rollback_live_migration(self, ctx: nova_context.RequestContext,
                                 instance: Instance, dest: str,
                                 migration: Migration, status: str,
                                 exc: Exception | None = None) -> None:
        """The guest stays on this host: the destination forgets it, the
        instance gets its source allocation back (replacing the claim on
        the destination), the migration ends `status`."""
        uuid = instance.uuid
        if exc is not None:
            LOG.error('Live migration of instance %s to %s failed: %s',
                      uuid, dest, exc)
            self._fault(uuid, exc)
        else:
            LOG.info('Live migration of instance %s to %s %s', uuid, dest,
                     status)
        with self._cell(ctx) as cctx:
            self.compute_api.rollback_live_migration_at_destination(
                cctx, instance, dest)
        assert migration.uuid is not None  # stored
        try:
            self.placement.move_allocations(migration.uuid, uuid)
        except placement_client.PlacementError as perr:
            LOG.error('Could not give instance %s its allocation back: %s',
                      uuid, perr)
        self._migration(migration, status=status)
        self._finish(uuid, states.MIGRATING, task_state=None)

    @messaging.expose
    def pre_live_migration(self, ctx: nova_context.RequestContext,
                           instance: Instance,
                           migration: Migration) -> None:
        """On the destination: ready the guest's arrival (a call)."""
        with self._event(ctx, instance.uuid, 'compute_pre_live_migration'):
            self.driver.pre_live_migration(instance)

    @messaging.expose
    def post_live_migration_at_destination(
            self, ctx: nova_context.RequestContext, instance: Instance,
            migration: Migration) -> None:
        """On the destination: the instance is this host's; the source's
        allocation the migration held is freed."""
        uuid = instance.uuid
        try:
            with self._locked(uuid), self._event(
                    ctx, uuid, 'compute_post_live_migration_at_destination'):
                instance = self._update(uuid, host=self.host,
                                        node=migration.dest_node)
                self.driver.post_live_migration_at_destination(
                    instance, self._connect_volumes(ctx, instance))
        except Exception as exc:
            self._move_failed(ctx, instance, migration, exc)
            return
        assert migration.uuid is not None  # stored
        self.placement.free_allocations(migration.uuid)
        self._migration(migration, status='completed')
        self._finish(uuid, states.MIGRATING, task_state=None,
                     power_state=self._power_state(instance))
        LOG.info('Instance %s live migrated onto %s', uuid, self.host)

    @messaging.expose
    def rollback_live_migration_at_destination(
            self, ctx: nova_context.RequestContext,
            instance: Instance) -> None:
        """On the destination: forget the guest that did not come."""
        self.driver.rollback_live_migration_at_destination(instance)

    @messaging.expose
    def live_migration_abort(self, ctx: nova_context.RequestContext,
                             instance: Instance, migration_id: int) -> None:
        """On the source: a queued move is dropped, a preparing one
        stops before it runs, a running one is cancelled by the
        driver."""
        with self._live_guard:
            self._live_aborts.add(migration_id)
            queued = self._live_queued.pop(migration_id, None)
            running = migration_id in self._live_running
        with self._event(ctx, instance.uuid, 'compute_live_migration_abort'):
            if queued is not None and queued.cancel():
                with engines.cell_reader(self.db_url) as conn:
                    migration = migrations.get(conn, migration_id)
                assert migration.dest_compute is not None  # scheduled
                with self._live_guard:
                    self._live_aborts.discard(migration_id)
                self._rollback_live_migration(
                    ctx, instance, migration.dest_compute, migration,
                    'cancelled')
            elif running:
                self.driver.live_migration_abort(instance)

    @messaging.expose
    def live_migration_force_complete(self, ctx: nova_context.RequestContext,
                                      instance: Instance) -> None:
        """On the source: finish the running live migration now."""
        with self._event(ctx, instance.uuid,
                         'compute_live_migration_force_complete'):
            self.driver.live_migration_force_complete(instance)

    # Evacuation: the conductor claimed this host for an instance whose
    # host is down; the instance then holds allocations on both. The
    # source, when it comes back, destroys its copy and drops its share
    # (_destroy_evacuated_instances).

    @messaging.expose
    def evacuate_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance, node: str,
                          migration: Migration,
                          admin_password: str | None) -> None:
        """Rebuild the instance here from its image (or volumes); a
        stopped one stays stopped. Migration status done, or failed."""
        uuid = instance.uuid
        stopped = instance.vm_state == states.STOPPED
        try:
            with self._locked(uuid), self._event(
                    ctx, uuid, 'compute_rebuild_instance'):
                instance = self._update(
                    uuid, host=self.host, node=node,
                    task_state=states.REBUILD_SPAWNING,
                    expected_task_state=states.REBUILDING)
                self._hand_over_volumes(ctx, instance)
                self.driver.spawn(instance, {'id': instance.image_ref},
                                  admin_password, [],
                                  self._connect_volumes(ctx, instance))
                if stopped:
                    self.driver.power_off(instance)
        except Exception as exc:
            LOG.error('Evacuation of instance %s onto %s failed: %s', uuid,
                      self.host, exc)
            self._fault(uuid, exc)
            self._migration(migration, status='failed')
            self._drop_node_allocations(uuid, self.host)
            self._finish(uuid, instances.ANY, vm_state=states.ERROR,
                         task_state=None)
            return
        self._migration(migration, status='done')
        self._finish(uuid, states.REBUILD_SPAWNING,
                     vm_state=states.STOPPED if stopped else states.ACTIVE,
                     task_state=None, launched_on=self.host,
                     power_state=self._power_state(instance))
        LOG.info('Instance %s evacuated from %s onto %s', uuid,
                 migration.source_compute, self.host)

    def _drop_node_allocations(self, uuid: str, host: str) -> None:
        """What the instance holds on `host`'s nodes goes."""
        with engines.cell_reader(self.db_url) as conn:
            nodes = compute_nodes.list_by_host(conn, host)
        try:
            self.placement.remove_providers(
                uuid, {n.uuid for n in nodes if n.uuid})
        except placement_client.PlacementError as exc:
            LOG.error('Could not drop the allocations of instance %s on '
                      '%s: %s', uuid, host, exc)

    def _destroy_evacuated_instances(self) -> None:
        """Back after being down: the guests evacuated from here go, and
        with them what the instances still hold on this host."""
        with engines.cell_reader(self.db_url) as conn:
            found = migrations.list_migrations(conn, {
                'source_compute': self.host,
                'migration_type': 'evacuation',
                'status': ['accepted', 'pre-migrating', 'done']})
        local = set(self.driver.list_instance_uuids())
        for migration in found:
            uuid = migration.instance_uuid
            with engines.cell_reader(self.db_url) as conn:
                instance = instances.get(conn, uuid, read_deleted=True)
            if uuid in local and instance.host != self.host:
                LOG.info('Destroying instance %s, evacuated from this '
                         'host', uuid)
                self.driver.destroy(instance)
            if migration.status == 'done':
                self._drop_node_allocations(uuid, self.host)
                self._migration(migration, status='completed')

    # Soft delete, restore and the reclaim of what stayed soft-deleted

    @messaging.expose
    def soft_delete_instance(self, ctx: nova_context.RequestContext,
                             instance: Instance) -> None:
        """Power the guest off; it stays until reclaimed or restored."""
        self._act(ctx, instance, 'compute_soft_delete_instance',
                  [states.SOFT_DELETING], self.driver.power_off,
                  states.SOFT_DELETED)

    @messaging.expose
    def restore_instance(self, ctx: nova_context.RequestContext,
                         instance: Instance) -> None:
        self._act(ctx, instance, 'compute_restore_instance',
                  [states.RESTORING], self.driver.power_on, states.ACTIVE)

    @service.periodic_task(spacing=RECLAIM_SPACING)
    def reclaim_queued_deletes(self, ctx: nova_context.RequestContext
                               ) -> None:
        """Delete for good the servers of this host soft-deleted longer
        than [DEFAULT] reclaim_instance_interval ago."""
        interval = CONF.reclaim_instance_interval
        if interval <= 0:
            return
        cutoff = _now() - datetime.timedelta(seconds=interval)
        with engines.cell_reader(self.db_url) as conn:
            mine = instances.list_by_host(conn, self.host)
        for instance in mine:
            if (instance.vm_state != states.SOFT_DELETED or
                    instance.task_state is not None or
                    instance.terminated_at is None or
                    instance.terminated_at.replace(tzinfo=None) > cutoff):
                continue
            if self._finish(instance.uuid, None,
                            task_state=states.DELETING) is None:
                continue
            LOG.info('Reclaiming soft-deleted instance %s', instance.uuid)
            self.terminate_instance(ctx, instance)

    # Guest agent actions

    @messaging.expose
    def set_admin_password(self, ctx: nova_context.RequestContext,
                           instance: Instance, new_pass: str) -> None:
        """A call: InstancePasswordSetFailed if the guest is not running
        or the driver failed, NotImplementedError if the driver cannot;
        task_state is cleared whatever happens."""
        uuid = instance.uuid
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_set_admin_password'):
                    if self._power_state(instance) != states.RUNNING:
                        raise exception.InstancePasswordSetFailed(
                            instance=uuid,
                            reason='the instance is not running')
                    try:
                        self.driver.set_admin_password(instance, new_pass)
                    except NotImplementedError:
                        raise
                    except Exception as exc:
                        raise exception.InstancePasswordSetFailed(
                            instance=uuid, reason=str(exc)) from exc
            finally:
                self._finish(uuid, [states.UPDATING_PASSWORD, None],
                             task_state=None)
        LOG.info('Admin password of instance %s changed', uuid)

    def _agent_action(self, ctx: nova_context.RequestContext,
                      instance: Instance, event: str,
                      call: Callable[[Instance], None]) -> None:
        """A driver call that changes no state; failures become faults."""
        try:
            with self._locked(instance.uuid), self._event(
                    ctx, instance.uuid, event):
                call(instance)
        except Exception as exc:
            LOG.error('%s of instance %s failed: %s', event, instance.uuid,
                      exc)
            self._fault(instance.uuid, exc)
            return
        LOG.info('%s of instance %s done', event, instance.uuid)

    @messaging.expose
    def inject_network_info(self, ctx: nova_context.RequestContext,
                            instance: Instance) -> None:
        self._agent_action(ctx, instance, 'compute_inject_network_info',
                           self.driver.inject_network_info)

    @messaging.expose
    def reset_network(self, ctx: nova_context.RequestContext,
                      instance: Instance) -> None:
        self._agent_action(ctx, instance, 'compute_reset_network',
                           self.driver.reset_network)

    @messaging.expose
    def trigger_crash_dump(self, ctx: nova_context.RequestContext,
                           instance: Instance) -> None:
        self._agent_action(ctx, instance, 'compute_trigger_crash_dump',
                           self.driver.trigger_crash_dump)

    # Rescue

    @messaging.expose
    def rescue_instance(self, ctx: nova_context.RequestContext,
                        instance: Instance, rescue_password: str,
                        rescue_image_ref: str | None) -> None:
        """Boot from `rescue_image_ref` (the server's own image if None):
        vm_state RESCUED."""
        image = {'id': rescue_image_ref or instance.image_ref}
        self._act(ctx, instance, 'compute_rescue_instance',
                  [states.RESCUING],
                  lambda i: self.driver.rescue(i, rescue_password, image),
                  states.RESCUED)

    @messaging.expose
    def unrescue_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance) -> None:
        self._act(ctx, instance, 'compute_unrescue_instance',
                  [states.UNRESCUING], self.driver.unrescue, states.ACTIVE)

    # Shelve: power off (SHELVED), later or at once offload (the guest
    # goes, the host's resources are freed: SHELVED_OFFLOADED); unshelve
    # powers on a SHELVED guest or spawns an offloaded one where the
    # conductor placed it.

    @messaging.expose
    def shelve_instance(self, ctx: nova_context.RequestContext,
                        instance: Instance, image_id: str | None) -> None:
        """Power off and record when and where it was shelved (and the
        snapshot `image_id`, if one was made); with [DEFAULT]
        shelved_offload_time 0, offload at once."""
        uuid = instance.uuid
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_shelve_instance'):
                    self.driver.power_off(instance)
            except Exception as exc:
                LOG.error('Shelving instance %s failed: %s', uuid, exc)
                self._fault(uuid, exc)
                self._finish(uuid, [states.SHELVING, None], task_state=None,
                             power_state=self._power_state(instance))
                return
            sysmeta = dict(instance.system_metadata,
                           shelved_at=_now().isoformat(),
                           shelved_host=self.host,
                           shelved_image_id=image_id or '')
            offload = CONF.shelved_offload_time == 0
            done = self._finish(
                uuid, [states.SHELVING, None], vm_state=states.SHELVED,
                task_state=states.SHELVING_OFFLOADING if offload else None,
                power_state=self._power_state(instance),
                system_metadata=sysmeta)
            if done is None:
                return
            LOG.info('Instance %s shelved on %s', uuid, self.host)
            if offload:
                self._offload(ctx, done)

    @messaging.expose
    def shelve_offload_instance(self, ctx: nova_context.RequestContext,
                                instance: Instance) -> None:
        with self._locked(instance.uuid):
            self._offload(ctx, instance)

    def _offload(self, ctx: nova_context.RequestContext,
                 instance: Instance) -> None:
        """Destroy the guest, keep its volumes reserved, free what it
        holds in placement; no host any more."""
        uuid = instance.uuid
        try:
            with self._event(ctx, uuid, 'compute_shelve_offload_instance'):
                self.driver.destroy(instance)
                self._hand_over_volumes(ctx, instance)
        except Exception as exc:
            LOG.error('Offloading instance %s failed: %s', uuid, exc)
            self._fault(uuid, exc)
            self._finish(uuid, OFFLOAD_TASK_STATES, task_state=None)
            return
        self.placement.free_allocations(uuid)
        done = self._finish(uuid, OFFLOAD_TASK_STATES,
                            vm_state=states.SHELVED_OFFLOADED,
                            task_state=None, host=None, node=None,
                            power_state=states.NOSTATE)
        if done is not None:
            LOG.info('Instance %s offloaded from %s', uuid, self.host)

    @service.periodic_task(spacing=SHELVED_POLL_SPACING)
    def offload_shelved_instances(self, ctx: nova_context.RequestContext
                                  ) -> None:
        """Offload the servers of this host shelved longer than [DEFAULT]
        shelved_offload_time ago (never if it is -1; 0 offloads at
        shelve time)."""
        wait = CONF.shelved_offload_time
        if wait <= 0:
            return
        cutoff = _now() - datetime.timedelta(seconds=wait)
        with engines.cell_reader(self.db_url) as conn:
            mine = instances.list_by_host(conn, self.host)
        for instance in mine:
            shelved_at = instance.system_metadata.get('shelved_at')
            if (instance.vm_state != states.SHELVED or
                    instance.task_state is not None or not shelved_at or
                    datetime.datetime.fromisoformat(shelved_at) > cutoff):
                continue
            taken = self._finish(instance.uuid, None,
                                 task_state=states.SHELVING_OFFLOADING)
            if taken is not None:
                with self._locked(instance.uuid):
                    self._offload(ctx, taken)

    @messaging.expose
    def unshelve_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance, node: str,
                          image: dict) -> None:
        """Power on the guest still here (SHELVED), or spawn the
        offloaded server on `node` from `image`; its resources here are
        claimed. On failure an offloaded server goes back to having no
        host and its claim is freed."""
        uuid = instance.uuid
        offloaded = instance.vm_state == states.SHELVED_OFFLOADED
        with self._locked(uuid):
            try:
                with self._event(ctx, uuid, 'compute_unshelve_instance'):
                    if offloaded:
                        instance = self._update(
                            uuid, host=self.host, node=node,
                            task_state=states.SPAWNING,
                            expected_task_state=states.UNSHELVING)
                        self.driver.spawn(
                            instance, image, None, [],
                            self._connect_volumes(ctx, instance))
                    else:
                        self.driver.power_on(instance)
            except Exception as exc:
                self._unshelve_failed(ctx, instance, offloaded, exc)
                return
            sysmeta = {k: v for k, v in instance.system_metadata.items()
                       if k not in SHELVE_SYSMETA}
            done = self._finish(
                uuid, [states.UNSHELVING, states.SPAWNING],
                vm_state=states.ACTIVE, task_state=None,
                power_state=self._power_state(instance),
                system_metadata=sysmeta)
        if done is not None:
            LOG.info('Instance %s unshelved on %s', uuid, self.host)

    def _unshelve_failed(self, ctx: nova_context.RequestContext,
                         instance: Instance, offloaded: bool,
                         exc: Exception) -> None:
        uuid = instance.uuid
        LOG.error('Unshelving instance %s on %s failed: %s', uuid,
                  self.host, exc)
        self._fault(uuid, exc)
        values: dict[str, Any] = {'task_state': None}
        if offloaded:
            try:
                self.driver.destroy(instance)
            except Exception:
                LOG.exception('Cleaning up the failed unshelve of %s', uuid)
            self._disconnect_volumes(ctx, uuid)
            self.placement.free_allocations(uuid)
            values.update(host=None, node=None)
        self._finish(uuid, [states.UNSHELVING, states.SPAWNING], **values)
