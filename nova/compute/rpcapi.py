"""Client side of nova-compute's RPC API. Messages go to one host's
compute (server = its host) on the message queue of the cell the context
targets. Calls about an instance go to instance.host, except the steps of
a resize, which name their host (the migration's source or destination).

Versions:

* 1.0 - ping, update_available_resource (cast), get_available_resource
* 1.1 - get_available_resource takes `refresh`
* 1.2 - build_and_run_instance, terminate_instance, reboot_instance,
        stop/start/pause/unpause/suspend/resume_instance,
        rebuild_instance, get_console_output (call), prep_resize,
        resize_instance, finish_resize, confirm_resize, revert_resize,
        finish_revert_resize
* 1.3 - external_instance_event (cast)
* 1.4 - reserve_block_device_name (call), attach_volume, detach_volume
* 1.7 - get_console, set_host_enabled, host_maintenance_mode,
        host_power_action (calls)
"""

from typing import Any

from nova import exception
from nova.objects.block_device import BlockDeviceMapping
from nova.objects.compute_node import ComputeNode
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import rpc


class ComputeAPI(rpc.RPCAPI):
    TOPIC = 'compute'
    VERSION = '1.7'

    def update_available_resource(self, ctx: Any, host: str) -> None:
        """Have `host` rewrite its compute node rows now (no answer)."""
        self.client(ctx).prepare(server=host).cast(
            ctx, 'update_available_resource')

    def get_available_resource(self, ctx: Any, host: str,
                               nodename: str | None = None,
                               refresh: bool = False) -> list[ComputeNode]:
        """The compute node records of `host`; with `refresh`, re-read from
        its driver first. A host capped below 1.1 cannot refresh on
        demand: it answers with what its last periodic update wrote."""
        client = self.client(ctx)
        kwargs: dict[str, Any] = {'nodename': nodename}
        if client.can_send_version('1.1'):
            version = '1.1'
            kwargs['refresh'] = refresh
        else:
            version = '1.0'
        return client.prepare(server=host, version=version).call(
            ctx, 'get_available_resource', **kwargs)

    def _at(self, ctx: Any, host: str | None, method: str,
            version: str = '1.2') -> Any:
        """A client aimed at `host`'s compute, sending `version`."""
        if not host:
            raise exception.NovaException(
                'Cannot send %s: no compute host given' % method)
        client = self.client(ctx)
        if not client.can_send_version(version):
            raise exception.NovaException(
                'The compute service is capped at RPC version %s, below '
                'the %s %s needs.' % (self.version_cap, version, method))
        return client.prepare(server=host, version=version)

    def build_and_run_instance(
            self, ctx: Any, instance: Instance, host: str, node: str,
            image: dict, request_spec: RequestSpec,
            admin_password: str | None, injected_files: list,
            requested_networks: str | list | None,
            block_device_mapping: list, limits: dict | None,
            host_list: list[Selection]) -> None:
        """Spawn `instance` on `host`/`node`, whose resources the caller
        has claimed; on failure the compute asks the cell conductor to
        retry on the rest of `host_list` (the alternates)."""
        self._at(ctx, host, 'build_and_run_instance').cast(
            ctx, 'build_and_run_instance', instance=instance, node=node,
            image=image, request_spec=request_spec,
            admin_password=admin_password, injected_files=injected_files,
            requested_networks=requested_networks,
            block_device_mapping=block_device_mapping, limits=limits,
            host_list=host_list)

    def _cast(self, ctx: Any, instance: Instance, method: str,
              **kwargs: Any) -> None:
        self._at(ctx, instance.host, method).cast(
            ctx, method, instance=instance, **kwargs)

    def terminate_instance(self, ctx: Any, instance: Instance) -> None:
        """Destroy the server, soft-delete its row, free its allocations."""
        self._cast(ctx, instance, 'terminate_instance')

    def reboot_instance(self, ctx: Any, instance: Instance,
                        reboot_type: str) -> None:
        """Reboot, reboot_type 'SOFT' or 'HARD'."""
        self._cast(ctx, instance, 'reboot_instance',
                   reboot_type=reboot_type)

    def stop_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast(ctx, instance, 'stop_instance')

    def start_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast(ctx, instance, 'start_instance')

    def pause_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast(ctx, instance, 'pause_instance')

    def unpause_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast(ctx, instance, 'unpause_instance')

    def suspend_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast(ctx, instance, 'suspend_instance')

    def resume_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast(ctx, instance, 'resume_instance')

    def rebuild_instance(self, ctx: Any, instance: Instance,
                         image_ref: str, orig_image_ref: str) -> None:
        """Re-create the server's disk from `image_ref` on its host."""
        self._cast(ctx, instance, 'rebuild_instance', image_ref=image_ref,
                   orig_image_ref=orig_image_ref)

    def get_console_output(self, ctx: Any, instance: Instance,
                           tail_length: int | None) -> str:
        """The server's console log, its last `tail_length` lines if
        given (a call)."""
        return self._at(ctx, instance.host, 'get_console_output').call(
            ctx, 'get_console_output', instance=instance,
            tail_length=tail_length)

    def prep_resize(self, ctx: Any, instance: Instance, image: dict,
                    flavor: Flavor, migration: Migration,
                    request_spec: RequestSpec,
                    host_list: list[Selection], dest_host: str,
                    dest_node: str) -> None:
        """First step of a resize or cold migration, on the destination:
        check it can take the instance, then ask the source to move it."""
        self._at(ctx, dest_host, 'prep_resize').cast(
            ctx, 'prep_resize', instance=instance, image=image,
            flavor=flavor, migration=migration, request_spec=request_spec,
            host_list=host_list, dest_node=dest_node)

    def resize_instance(self, ctx: Any, instance: Instance,
                        migration: Migration, image: dict,
                        flavor: Flavor, request_spec: RequestSpec) -> None:
        """Second step, on the source: power off and hand the disks over."""
        self._at(ctx, migration.source_compute, 'resize_instance').cast(
            ctx, 'resize_instance', instance=instance, migration=migration,
            image=image, flavor=flavor, request_spec=request_spec)

    def finish_resize(self, ctx: Any, instance: Instance,
                      migration: Migration, image: dict,
                      request_spec: RequestSpec) -> None:
        """Third step, on the destination: start the instance there
        (vm_state RESIZED until confirmed or reverted)."""
        self._at(ctx, migration.dest_compute, 'finish_resize').cast(
            ctx, 'finish_resize', instance=instance, migration=migration,
            image=image, request_spec=request_spec)

    def confirm_resize(self, ctx: Any, instance: Instance,
                       migration: Migration) -> None:
        """Drop the copy on the source and its held allocation."""
        self._at(ctx, migration.source_compute, 'confirm_resize').cast(
            ctx, 'confirm_resize', instance=instance, migration=migration)

    def revert_resize(self, ctx: Any, instance: Instance,
                      migration: Migration) -> None:
        """Undo a finished resize: first destroy on the destination..."""
        self._at(ctx, migration.dest_compute, 'revert_resize').cast(
            ctx, 'revert_resize', instance=instance, migration=migration)

    def finish_revert_resize(self, ctx: Any, instance: Instance,
                             migration: Migration) -> None:
        """...then start the instance again on the source, old flavor."""
        self._at(ctx, migration.source_compute,
                 'finish_revert_resize').cast(
            ctx, 'finish_revert_resize', instance=instance,
            migration=migration)

    def external_instance_event(self, ctx: Any, host: str,
                                instances: list[Instance],
                                events: list[dict]) -> None:
        """Deliver to `host` the events another service (Neutron,
        Cinder) reported about its `instances`: dicts of server_uuid,
        name, status and tag (no answer)."""
        self._at(ctx, host, 'external_instance_event', '1.3').cast(
            ctx, 'external_instance_event', instances=instances,
            events=events)

    def reserve_block_device_name(self, ctx: Any, instance: Instance,
                                  device: str | None, volume_id: str,
                                  tag: str | None,
                                  delete_on_termination: bool
                                  ) -> BlockDeviceMapping:
        """The mapping of `volume_id` on the server, its guest device
        picked, not attached yet (a call)."""
        return self._at(ctx, instance.host, 'reserve_block_device_name',
                        '1.4').call(
            ctx, 'reserve_block_device_name', instance=instance,
            device=device, volume_id=volume_id, tag=tag,
            delete_on_termination=delete_on_termination)

    def attach_volume(self, ctx: Any, instance: Instance,
                      bdm: BlockDeviceMapping) -> None:
        """Connect the reserved volume of `bdm` and plug it in."""
        self._at(ctx, instance.host, 'attach_volume', '1.4').cast(
            ctx, 'attach_volume', instance=instance, bdm=bdm)

    def detach_volume(self, ctx: Any, instance: Instance,
                      volume_id: str) -> None:
        """Unplug the volume and let Cinder know."""
        self._at(ctx, instance.host, 'detach_volume', '1.4').cast(
            ctx, 'detach_volume', instance=instance, volume_id=volume_id)

    def get_console(self, ctx: Any, instance: Instance, protocol: str,
                    console_type: str) -> str:
        """A link (with a new token) to the guest's `protocol` console of
        `console_type` (a call)."""
        return self._at(ctx, instance.host, 'get_console', '1.7').call(
            ctx, 'get_console', instance=instance, protocol=protocol,
            console_type=console_type)

    def set_host_enabled(self, ctx: Any, host: str, enabled: bool) -> str:
        """Ask `host`'s driver to take new guests or not (a call)."""
        return self._at(ctx, host, 'set_host_enabled', '1.7').call(
            ctx, 'set_host_enabled', enabled=enabled)

    def host_maintenance_mode(self, ctx: Any, host: str, mode: bool) -> str:
        """Put `host` in maintenance or take it out (a call)."""
        return self._at(ctx, host, 'host_maintenance_mode', '1.7').call(
            ctx, 'host_maintenance_mode', host_param=host, mode=mode)

    def host_power_action(self, ctx: Any, host: str, action: str) -> str:
        """Start up, shut down or reboot `host` (a call)."""
        return self._at(ctx, host, 'host_power_action', '1.7').call(
            ctx, 'host_power_action', action=action)
