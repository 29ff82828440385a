"""What nova-compute needs from a hypervisor driver, and how it loads one.

A driver describes its nodes (each becomes a compute_nodes row named by
its hypervisor_hostname) and runs the guests nova-compute places on them.
Guest methods take the Instance record and raise on failure; the compute
manager records the fault and decides what the failure means (a build is
rescheduled, an action rolled back). Power states are the integers of
nova.compute.states.
"""

import abc
import dataclasses
import importlib

from oslo_log import log as logging
import os_traits

from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class NodeResources:
    """One node's size and usage, as the hypervisor sees it."""
    vcpus: int
    memory_mb: int
    local_gb: int
    vcpus_used: int
    memory_mb_used: int
    local_gb_used: int
    hypervisor_type: str
    hypervisor_version: int
    cpu_info: str  # JSON text


@dataclasses.dataclass
class ConsoleInfo:
    """Where a guest's remote console listens, as the console proxy
    reaches it."""
    host: str
    port: int
    internal_access_path: str | None = None


class ComputeDriver(abc.ABC):
    # Whether one volume may be attached to several of this driver's
    # guests at once (Cinder multiattach volumes).
    supports_multiattach = False

    def __init__(self, host: str) -> None:
        """A driver serves one host (load_compute_driver passes it)."""
        self.host = host

    def init_host(self, host: str) -> None:
        """Connect to the hypervisor before the service starts."""

    def cleanup_host(self, host: str) -> None:
        """Let go of the hypervisor at shutdown."""

    @abc.abstractmethod
    def get_available_nodes(self) -> list[str]:
        """Names (hypervisor_hostname) of the nodes this host manages."""

    @abc.abstractmethod
    def get_available_resource(self, nodename: str) -> NodeResources:
        """The current size and usage of node `nodename`."""

    def get_traits(self, nodename: str) -> list[str]:
        """Traits (os-traits names) of node `nodename` for placement."""
        return []

    def capability_traits(self) -> list[str]:
        """The traits of what this driver can do, for each of its nodes
        (the scheduler asks for them: a boot with a multiattach volume
        needs COMPUTE_VOLUME_MULTI_ATTACH)."""
        return [os_traits.COMPUTE_VOLUME_MULTI_ATTACH] if (
            self.supports_multiattach) else []

    # Guests

    @abc.abstractmethod
    def spawn(self, instance: Instance, image: dict,
              admin_password: str | None, injected_files: list,
              volumes: dict[str, dict] | None = None) -> None:
        """Create and start the guest on instance.node from `image` (a
        volume-backed server: {}), with `volumes` plugged in ({guest
        device: Cinder connection_info}; /dev/vda is the boot volume)."""

    @abc.abstractmethod
    def destroy(self, instance: Instance) -> None:
        """Stop the guest and remove it with its disks; a guest that is
        not there is no error."""

    @abc.abstractmethod
    def reboot(self, instance: Instance, reboot_type: str) -> None:
        """Restart the guest: 'SOFT' asks the guest OS, 'HARD' resets."""

    @abc.abstractmethod
    def power_off(self, instance: Instance) -> None:
        """Shut the guest down (power state SHUTDOWN)."""

    @abc.abstractmethod
    def power_on(self, instance: Instance) -> None:
        """Start a shut-down guest (power state RUNNING)."""

    @abc.abstractmethod
    def pause(self, instance: Instance) -> None:
        """Freeze the guest in memory."""

    @abc.abstractmethod
    def unpause(self, instance: Instance) -> None:
        """Thaw a paused guest."""

    @abc.abstractmethod
    def suspend(self, instance: Instance) -> None:
        """Save the guest's memory to disk and stop it."""

    @abc.abstractmethod
    def resume(self, instance: Instance) -> None:
        """Restore a suspended guest."""

    @abc.abstractmethod
    def get_info(self, instance: Instance) -> int:
        """The guest's power state; raises InstanceNotFound if this host
        has no such guest."""

    @abc.abstractmethod
    def list_instance_uuids(self) -> list[str]:
        """Uuids of the guests on this host, running or not."""

    @abc.abstractmethod
    def get_console_output(self, instance: Instance) -> str:
        """The guest's console log."""

    # Moves (resize and cold migration)

    @abc.abstractmethod
    def migrate_disk_and_power_off(self, instance: Instance, dest_host: str,
                                   flavor: Flavor) -> None:
        """On the source: power the guest off and hand its disks to
        `dest_host`, sized for `flavor`. The guest stays defined here
        until the move is confirmed or reverted."""

    @abc.abstractmethod
    def finish_migration(self, instance: Instance, image: dict,
                         power_on: bool,
                         volumes: dict[str, dict] | None = None) -> None:
        """On the destination: define the guest with instance.flavor (the
        new one) from the handed-over disks and `volumes` (as spawn's);
        start it if `power_on`."""

    @abc.abstractmethod
    def confirm_migration(self, instance: Instance) -> None:
        """On the source, after a confirmed move: remove the old guest."""

    @abc.abstractmethod
    def finish_revert_migration(self, instance: Instance, power_on: bool,
                                volumes: dict[str, dict] | None = None
                                ) -> None:
        """On the source, after a reverted move: bring the old guest back
        (instance.flavor is the old flavor again) with `volumes` plugged
        in again."""

    # Live migration: pre_live_migration (destination) -> live_migration
    # (source, blocks until the guest runs there or the move is
    # cancelled) -> post_live_migration (source) ->
    # post_live_migration_at_destination; or, on failure or abort,
    # rollback_live_migration_at_destination.

    @abc.abstractmethod
    def pre_live_migration(self, instance: Instance) -> None:
        """On the destination: get ready to receive the running guest."""

    @abc.abstractmethod
    def live_migration(self, instance: Instance, dest: str,
                       block_migration: bool) -> bool:
        """On the source: copy the running guest to `dest`; True once it
        runs there, False if live_migration_abort cancelled it (the guest
        still runs here). Raises if the move failed."""

    @abc.abstractmethod
    def live_migration_abort(self, instance: Instance) -> None:
        """On the source: cancel the running live migration of the
        guest."""

    @abc.abstractmethod
    def live_migration_force_complete(self, instance: Instance) -> None:
        """On the source: have the running live migration of the guest
        finish now (pausing it if need be)."""

    @abc.abstractmethod
    def post_live_migration(self, instance: Instance) -> None:
        """On the source, once the guest runs on the destination: forget
        it here."""

    @abc.abstractmethod
    def post_live_migration_at_destination(
            self, instance: Instance,
            volumes: dict[str, dict] | None = None) -> None:
        """On the destination: the guest received is this host's now,
        with `volumes` (as spawn's) plugged in here."""

    @abc.abstractmethod
    def rollback_live_migration_at_destination(self,
                                               instance: Instance) -> None:
        """On the destination, after a failed or cancelled move: drop
        what pre_live_migration prepared."""

    # Volumes (connection_info is what Cinder's attachment_update gave
    # for this host's connector)

    @abc.abstractmethod
    def get_volume_connector(self, instance: Instance) -> dict:
        """How this host connects to storage, for Cinder (host, ip,
        initiator, platform, os_type, multipath)."""

    @abc.abstractmethod
    def attach_volume(self, connection_info: dict, instance: Instance,
                      mountpoint: str) -> None:
        """Connect the volume and plug it into the guest at
        `mountpoint` (e.g. /dev/vdb)."""

    @abc.abstractmethod
    def detach_volume(self, connection_info: dict, instance: Instance,
                      mountpoint: str) -> None:
        """Unplug the volume from the guest and disconnect it; one that is
        not attached is no error."""


    def swap_volume(self, old_connection_info: dict,
                    new_connection_info: dict, instance: Instance,
                    mountpoint: str) -> None:
        """Put the volume of `new_connection_info` in the place of the
        one at `mountpoint`, the guest running on."""
        raise NotImplementedError('%s cannot swap volumes'
                                  % type(self).__name__)

    @abc.abstractmethod
    def extend_volume(self, connection_info: dict, instance: Instance,
                      mountpoint: str, new_size: int) -> None:
        """The volume at `mountpoint` grew to `new_size` bytes (Cinder's
        volume-extended event): let the guest see it."""

    # State actions a driver may not offer: the default refuses with
    # NotImplementedError (changePassword answers 501; a cast action
    # records a fault) or, for the network ones, has nothing to do.

    def set_admin_password(self, instance: Instance, new_pass: str) -> None:
        """Set the guest OS's administrator password."""
        raise NotImplementedError()

    def inject_network_info(self, instance: Instance) -> None:
        """Push the server's network details into the guest."""

    def reset_network(self, instance: Instance) -> None:
        """Have the guest agent reset its networking."""

    def trigger_crash_dump(self, instance: Instance) -> None:
        """Inject an NMI so that the guest OS dumps its memory."""
        raise NotImplementedError()

    def rescue(self, instance: Instance, rescue_password: str,
               image: dict) -> None:
        """Boot the guest from the rescue `image`, its own disk attached
        as a second disk."""
        raise NotImplementedError()

    def unrescue(self, instance: Instance) -> None:
        """Boot the guest from its own disk again."""
        raise NotImplementedError()

    # Remote consoles and the host itself: optional; a driver without
    # them raises NotImplementedError (the API's 501).

    def get_console(self, instance: Instance, protocol: str) -> ConsoleInfo:
        """Where the guest's `protocol` console (vnc, spice, serial, rdp,
        mks) listens."""
        raise NotImplementedError()

    def set_host_enabled(self, enabled: bool) -> str:
        """Let the host take new guests or not: 'enabled' or
        'disabled'."""
        raise NotImplementedError()

    def host_maintenance_mode(self, host: str, mode: bool) -> str:
        """Put the host in maintenance (moving its guests off) or take it
        out: 'on_maintenance' or 'off_maintenance'."""
        raise NotImplementedError()

    def host_power_action(self, action: str) -> str:
        """Start up, shut down or reboot the host; the action taken."""
        raise NotImplementedError()


class DriverNotFound(ValueError):
    """[DEFAULT] compute_driver names no driver under nova.virt."""


def load(name: str, host: str) -> ComputeDriver:
    """The driver `name` (module.Class under nova.virt) for `host`."""
    module_name, _, class_name = name.rpartition('.')
    try:
        module = importlib.import_module('nova.virt.' + module_name)
        cls = getattr(module, class_name)
    except (ImportError, AttributeError, ValueError):
        raise DriverNotFound('No compute driver %r under nova.virt' % name)
    if not (isinstance(cls, type) and issubclass(cls, ComputeDriver)):
        raise DriverNotFound('%r is not a compute driver' % name)
    LOG.info('Loading compute driver %s', name)
    return cls(host)
