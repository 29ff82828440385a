"""A driver with no hypervisor: one node named after the host, of the size
[fake_driver] configures (or the constructor is given), whose guests are
entries in memory. For tests, development and scale testing of the control
plane: each FakeDriver keeps its own guests, so many compute hosts can run
in one process.

Failure injection, for tests of what the control plane does when a
hypervisor fails::

    fake.fail_on('host-a', 'spawn')     # spawn raises on host-a from now
    fake.reset_failures()               # every host healthy again

A failing method raises FakeFailure (a RuntimeError) before changing
anything.

Live migrations finish at once, unless their source host is held, for
tests that need one in progress (status running) to abort or
force-complete::

    fake.hold_live_migrations('host-a')     # stay running until...
    fake.release_live_migrations()          # ...released (or aborted,
                                            # or forced to complete)

Consoles and host actions are libvirt's: vnc, spice and serial consoles
(at fake addresses), host enable/disable as upstream's fake answers it,
no rdp or mks console, no maintenance mode and no host power actions
(NotImplementedError, the API's 501).
"""

import dataclasses
import json
import threading
import time

from nova.compute import states
from nova.conf import CONF
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.virt import driver

_failures_lock = threading.Lock()
# host -> names of the driver methods that raise there.
_failures: dict[str, set[str]] = {}


# The consoles libvirt offers, with where the fake says they listen.
_CONSOLE_PORTS = {'vnc': 6969, 'spice': 6969, 'serial': 6969}


class FakeFailure(RuntimeError):
    """An injected hypervisor failure."""


def fail_on(host: str, *methods: str) -> None:
    """Make `methods` (e.g. 'spawn') of the driver of `host` raise."""
    with _failures_lock:
        _failures.setdefault(host, set()).update(methods)


def reset_failures() -> None:
    with _failures_lock:
        _failures.clear()
    release_live_migrations()


# Source hosts whose live migrations keep running until released.
_held: set[str] = set()
# How often a held live migration looks for a release, abort or force.
_POLL = 0.02


def hold_live_migrations(host: str) -> None:
    """Keep the live migrations from `host` running (see the module
    docstring)."""
    with _failures_lock:
        _held.add(host)


def release_live_migrations() -> None:
    with _failures_lock:
        _held.clear()


@dataclasses.dataclass
class FakeGuest:
    uuid: str
    flavor: Flavor
    power_state: int
    image_ref: str | None
    console: list[str] = dataclasses.field(default_factory=list)
    # mountpoint -> connection_info of the attached volume.
    volumes: dict[str, dict] = dataclasses.field(default_factory=dict)
    # mountpoint -> size in bytes, once a volume-extended event told it.
    volume_sizes: dict[str, int] = dataclasses.field(default_factory=dict)
    # The admin password spawn set, so tests can see which one the guest
    # got.
    admin_password: str | None = None
    crash_dumps: int = 0
    # The image a rescue booted the guest from (None: not rescued).
    rescue_image: str | None = None


class FakeDriver(driver.ComputeDriver):

    def __init__(self, host: str, vcpus: int | None = None,
                 memory_mb: int | None = None,
                 local_gb: int | None = None,
                 supports_multiattach: bool | None = None) -> None:
        self.host = host
        # Per driver, so that one test cloud can have hosts of both kinds.
        self.supports_multiattach = (
            CONF.fake_driver.supports_multiattach
            if supports_multiattach is None else supports_multiattach)
        self.vcpus = vcpus or CONF.fake_driver.vcpus
        self.memory_mb = memory_mb or CONF.fake_driver.memory_mb
        self.local_gb = local_gb or CONF.fake_driver.local_gb
        self._lock = threading.Lock()
        self.guests: dict[str, FakeGuest] = {}
        # Guests resized away from here, until confirmed or reverted.
        self.resized_out: dict[str, FakeGuest] = {}
        # Live migrations from here asked to stop: uuid -> 'abort' or
        # 'complete'.
        self._live_orders: dict[str, str] = {}

    def _check(self, method: str) -> None:
        with _failures_lock:
            failing = method in _failures.get(self.host, ())
        if failing:
            raise FakeFailure('Injected failure of %s on %s'
                              % (method, self.host))

    def get_available_nodes(self) -> list[str]:
        return [self.host]

    def get_available_resource(self, nodename: str) -> driver.NodeResources:
        if nodename != self.host:
            raise ValueError('Unknown node %s' % nodename)
        with self._lock:
            flavors = [g.flavor for g in self.guests.values()]
        return driver.NodeResources(
            vcpus=self.vcpus, memory_mb=self.memory_mb,
            local_gb=self.local_gb,
            vcpus_used=sum(f.vcpus for f in flavors),
            memory_mb_used=sum(f.memory_mb for f in flavors),
            local_gb_used=sum(f.root_gb + f.ephemeral_gb for f in flavors),
            hypervisor_type='fake', hypervisor_version=1000,
            cpu_info=json.dumps({'arch': 'x86_64', 'model': 'fake',
                                 'vendor': 'fake',
                                 'topology': {'sockets': 1,
                                              'cores': self.vcpus,
                                              'threads': 1}}))

    def _guest(self, instance: Instance) -> FakeGuest:
        guest = self.guests.get(instance.uuid)
        if guest is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return guest

    def _set_power(self, method: str, instance: Instance, power: int,
                   line: str) -> None:
        self._check(method)
        with self._lock:
            guest = self._guest(instance)
            guest.power_state = power
            guest.console.append(line)

    def spawn(self, instance: Instance, image: dict,
              admin_password: str | None, injected_files: list,
              volumes: dict[str, dict] | None = None) -> None:
        self._check('spawn')
        boot = ('volume' if volumes and '/dev/vda' in volumes
                else 'image %s' % image.get('id'))
        with self._lock:
            self.guests[instance.uuid] = FakeGuest(
                uuid=instance.uuid, flavor=instance.flavor,
                power_state=states.RUNNING, image_ref=instance.image_ref,
                console=['fake guest %s booted from %s'
                         % (instance.uuid, boot)],
                volumes=dict(volumes or {}), admin_password=admin_password)

    def destroy(self, instance: Instance) -> None:
        self._check('destroy')
        with self._lock:
            self.guests.pop(instance.uuid, None)

    def reboot(self, instance: Instance, reboot_type: str) -> None:
        self._set_power('reboot', instance, states.RUNNING,
                        '%s reboot' % reboot_type.lower())

    def power_off(self, instance: Instance) -> None:
        self._set_power('power_off', instance, states.SHUTDOWN, 'power off')

    def power_on(self, instance: Instance) -> None:
        self._set_power('power_on', instance, states.RUNNING, 'power on')

    def pause(self, instance: Instance) -> None:
        self._set_power('pause', instance, states.PAUSED_POWER, 'paused')

    def unpause(self, instance: Instance) -> None:
        self._set_power('unpause', instance, states.RUNNING, 'unpaused')

    def suspend(self, instance: Instance) -> None:
        self._set_power('suspend', instance, states.SUSPENDED_POWER,
                        'suspended')

    def resume(self, instance: Instance) -> None:
        self._set_power('resume', instance, states.RUNNING, 'resumed')

    def get_info(self, instance: Instance) -> int:
        with self._lock:
            return self._guest(instance).power_state

    def list_instance_uuids(self) -> list[str]:
        with self._lock:
            return sorted(self.guests)

    def get_console_output(self, instance: Instance) -> str:
        self._check('get_console_output')
        with self._lock:
            return ''.join(line + '\n'
                           for line in self._guest(instance).console)

    def migrate_disk_and_power_off(self, instance: Instance, dest_host: str,
                                   flavor: Flavor) -> None:
        self._set_power('migrate_disk_and_power_off', instance,
                        states.SHUTDOWN, 'migrating to %s' % dest_host)
        with self._lock:
            # Kept apart: a resize onto this same host replaces
            # guests[uuid] with the new guest.
            self.resized_out[instance.uuid] = dataclasses.replace(
                self._guest(instance))

    def finish_migration(self, instance: Instance, image: dict,
                         power_on: bool,
                         volumes: dict[str, dict] | None = None) -> None:
        self._check('finish_migration')
        with self._lock:
            self.guests[instance.uuid] = FakeGuest(
                uuid=instance.uuid, flavor=instance.flavor,
                power_state=states.RUNNING if power_on else states.SHUTDOWN,
                image_ref=instance.image_ref,
                console=['fake guest %s migrated in' % instance.uuid],
                volumes=dict(volumes or {}))

    def confirm_migration(self, instance: Instance) -> None:
        self._check('confirm_migration')
        with self._lock:
            self.resized_out.pop(instance.uuid, None)
            if instance.host != self.host:
                # Resized onto this host: the guest here is the new one.
                self.guests.pop(instance.uuid, None)

    def finish_revert_migration(self, instance: Instance, power_on: bool,
                                volumes: dict[str, dict] | None = None
                                ) -> None:
        self._check('finish_revert_migration')
        with self._lock:
            old = self.resized_out.pop(instance.uuid, None)
            if instance.uuid not in self.guests and old is not None:
                self.guests[instance.uuid] = old
            guest = self._guest(instance)
            guest.flavor = instance.flavor
            guest.volumes = dict(volumes or {})
            guest.power_state = (states.RUNNING if power_on
                                 else states.SHUTDOWN)
            guest.console.append('migration reverted')

    def pre_live_migration(self, instance: Instance) -> None:
        self._check('pre_live_migration')
        with self._lock:
            self.guests[instance.uuid] = FakeGuest(
                uuid=instance.uuid, flavor=instance.flavor,
                power_state=states.PAUSED_POWER,
                image_ref=instance.image_ref,
                console=['fake guest %s arriving' % instance.uuid])

    def live_migration(self, instance: Instance, dest: str,
                       block_migration: bool) -> bool:
        self._check('live_migration')
        with self._lock:
            self._guest(instance).console.append(
                'live migrating to %s' % dest)
        while True:
            with self._lock:
                order = self._live_orders.pop(instance.uuid, None)
            if order is not None:
                return order == 'complete'
            with _failures_lock:
                held = self.host in _held
            if not held:
                return True
            time.sleep(_POLL)

    def _order(self, instance: Instance, order: str) -> None:
        with self._lock:
            self._guest(instance)
            self._live_orders[instance.uuid] = order

    def live_migration_abort(self, instance: Instance) -> None:
        self._check('live_migration_abort')
        self._order(instance, 'abort')

    def live_migration_force_complete(self, instance: Instance) -> None:
        self._check('live_migration_force_complete')
        self._order(instance, 'complete')

    def post_live_migration(self, instance: Instance) -> None:
        with self._lock:
            self.guests.pop(instance.uuid, None)
            self._live_orders.pop(instance.uuid, None)

    def post_live_migration_at_destination(
            self, instance: Instance,
            volumes: dict[str, dict] | None = None) -> None:
        self._check('post_live_migration_at_destination')
        with self._lock:
            guest = self._guest(instance)
            guest.volumes = dict(volumes or {})
            guest.power_state = (states.PAUSED_POWER
                                 if instance.vm_state == states.PAUSED
                                 else states.RUNNING)
            guest.console.append('live migrated in')

    def rollback_live_migration_at_destination(self,
                                               instance: Instance) -> None:
        with self._lock:
            self.guests.pop(instance.uuid, None)

    def get_volume_connector(self, instance: Instance) -> dict:
        return {'host': self.host, 'ip': '127.0.0.1',
                'initiator': 'iqn.2010-10.org.openstack:%s' % self.host,
                'platform': 'x86_64', 'os_type': 'linux',
                'multipath': False}

    def attach_volume(self, connection_info: dict, instance: Instance,
                      mountpoint: str) -> None:
        self._check('attach_volume')
        with self._lock:
            guest = self._guest(instance)
            if mountpoint in guest.volumes:
                raise FakeFailure('%s of %s is in use' % (mountpoint,
                                                          instance.uuid))
            guest.volumes[mountpoint] = connection_info
            guest.console.append('volume attached at %s' % mountpoint)

    def detach_volume(self, connection_info: dict, instance: Instance,
                      mountpoint: str) -> None:
        self._check('detach_volume')
        with self._lock:
            guest = self.guests.get(instance.uuid)
            if guest is not None and mountpoint in guest.volumes:
                del guest.volumes[mountpoint]
                guest.console.append('volume detached from %s' % mountpoint)

    def swap_volume(self, old_connection_info: dict,
                    new_connection_info: dict, instance: Instance,
                    mountpoint: str) -> None:
        self._check('swap_volume')
        with self._lock:
            guest = self._guest(instance)
            if mountpoint not in guest.volumes:
                raise FakeFailure('no volume at %s of %s' % (
                    mountpoint, instance.uuid))
            guest.volumes[mountpoint] = new_connection_info
            guest.console.append('volume swapped at %s' % mountpoint)

    def extend_volume(self, connection_info: dict, instance: Instance,
                      mountpoint: str, new_size: int) -> None:
        self._check('extend_volume')
        with self._lock:
            guest = self._guest(instance)
            guest.volume_sizes[mountpoint] = new_size
            guest.console.append('volume at %s grew to %d bytes'
                                 % (mountpoint, new_size))

    def set_admin_password(self, instance: Instance, new_pass: str) -> None:
        self._check('set_admin_password')
        with self._lock:
            guest = self._guest(instance)
            guest.admin_password = new_pass
            guest.console.append('admin password changed')

    def trigger_crash_dump(self, instance: Instance) -> None:
        self._check('trigger_crash_dump')
        with self._lock:
            guest = self._guest(instance)
            guest.crash_dumps += 1
            guest.console.append('NMI received: dumping memory')

    def rescue(self, instance: Instance, rescue_password: str,
               image: dict) -> None:
        self._check('rescue')
        with self._lock:
            guest = self._guest(instance)
            guest.rescue_image = image.get('id')
            guest.admin_password = rescue_password
            guest.power_state = states.RUNNING
            guest.console.append('rescue boot from image %s'
                                 % image.get('id'))

    def unrescue(self, instance: Instance) -> None:
        self._check('unrescue')
        with self._lock:
            guest = self._guest(instance)
            guest.rescue_image = None
            guest.power_state = states.RUNNING
            guest.console.append('booted from its own disk again')

    def get_console(self, instance: Instance,
                    protocol: str) -> driver.ConsoleInfo:
        if protocol not in _CONSOLE_PORTS:
            raise NotImplementedError()
        self._check('get_console')
        with self._lock:
            self._guest(instance)
        return driver.ConsoleInfo(host='fake%sconsole.com' % protocol,
                                  port=_CONSOLE_PORTS[protocol],
                                  internal_access_path='FAKE')

    def set_host_enabled(self, enabled: bool) -> str:
        return 'enabled' if enabled else 'disabled'
