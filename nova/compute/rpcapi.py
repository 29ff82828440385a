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
* 1.5 - soft_delete_instance, restore_instance, set_admin_password (call),
        inject_network_info, reset_network, trigger_crash_dump,
        shelve_instance, shelve_offload_instance, unshelve_instance,
        rescue_instance, unrescue_instance
* 1.6 - live_migration, pre_live_migration (call),
        post_live_migration_at_destination,
        rollback_live_migration_at_destination, live_migration_abort,
        live_migration_force_complete, evacuate_instance
* 1.7 - get_console, set_host_enabled, host_maintenance_mode,
        host_power_action (calls)
* 1.9 - rebuild_instance takes new_pass
* 1.11 - reserve_block_device_name takes `multiattach`; swap_volume
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
    VERSION = '1.11'

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
                         image_ref: str, orig_image_ref: str,
                         new_pass: str | None = None) -> None:
        """Re-create the server's disk from `image_ref` on its host, with
        admin password `new_pass` (a host capped below 1.9 is not sent
        it, and rebuilds without setting one)."""
        kwargs: dict[str, Any] = {'image_ref': image_ref,
                                  'orig_image_ref': orig_image_ref}
        version = '1.2'
        if self.client(ctx).can_send_version('1.9'):
            version = '1.9'
            kwargs['new_pass'] = new_pass
        self._at(ctx, instance.host, 'rebuild_instance', version).cast(
            ctx, 'rebuild_instance', instance=instance, **kwargs)

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
                                  delete_on_termination: bool,
                                  multiattach: bool = False
                                  ) -> BlockDeviceMapping:
        """The mapping of `volume_id` on the server, its guest device
        picked, not attached yet (a call). A `multiattach` volume needs
        1.11, so that the compute can refuse it if its driver cannot
        share volumes."""
        kwargs: dict[str, Any] = {}
        version = '1.4'
        if multiattach:
            version = '1.11'
            kwargs['multiattach'] = True
        return self._at(ctx, instance.host, 'reserve_block_device_name',
                        version).call(
            ctx, 'reserve_block_device_name', instance=instance,
            device=device, volume_id=volume_id, tag=tag,
            delete_on_termination=delete_on_termination, **kwargs)

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

    def swap_volume(self, ctx: Any, instance: Instance, old_volume_id: str,
                    new_volume_id: str, new_attachment_id: str) -> None:
        """Put the new volume (reserved: `new_attachment_id`) where the
        old one is in the guest, and let the old one go."""
        self._at(ctx, instance.host, 'swap_volume', '1.11').cast(
            ctx, 'swap_volume', instance=instance,
            old_volume_id=old_volume_id, new_volume_id=new_volume_id,
            new_attachment_id=new_attachment_id)

    # Live migration and evacuation (1.6)

    def live_migration(self, ctx: Any, instance: Instance, dest: str,
                       migration: Migration, block_migration: bool) -> None:
        """Have the source (instance.host) live-migrate the instance to
        `dest`, whose resources the conductor claimed (no answer)."""
        self._at(ctx, instance.host, 'live_migration', '1.6').cast(
            ctx, 'live_migration', instance=instance, dest=dest,
            migration=migration, block_migration=block_migration)

    def pre_live_migration(self, ctx: Any, instance: Instance, host: str,
                           migration: Migration) -> None:
        """Have the destination `host` get ready to receive the instance
        (a call: raises what the destination raised)."""
        self._at(ctx, host, 'pre_live_migration', '1.6').call(
            ctx, 'pre_live_migration', instance=instance,
            migration=migration)

    def post_live_migration_at_destination(self, ctx: Any,
                                           instance: Instance, host: str,
                                           migration: Migration) -> None:
        """The guest runs on `host` now: make it the instance's host."""
        self._at(ctx, host, 'post_live_migration_at_destination',
                 '1.6').cast(ctx, 'post_live_migration_at_destination',
                             instance=instance, migration=migration)

    def rollback_live_migration_at_destination(self, ctx: Any,
                                               instance: Instance,
                                               host: str) -> None:
        """Drop what `host` prepared for a move that did not happen."""
        self._at(ctx, host, 'rollback_live_migration_at_destination',
                 '1.6').cast(ctx, 'rollback_live_migration_at_destination',
                             instance=instance)

    def live_migration_abort(self, ctx: Any, instance: Instance,
                             migration_id: int) -> None:
        """Have the source cancel the instance's live migration (queued,
        preparing or running)."""
        self._at(ctx, instance.host, 'live_migration_abort', '1.6').cast(
            ctx, 'live_migration_abort', instance=instance,
            migration_id=migration_id)

    def live_migration_force_complete(self, ctx: Any,
                                      instance: Instance) -> None:
        """Have the source finish the running live migration now."""
        self._at(ctx, instance.host, 'live_migration_force_complete',
                 '1.6').cast(ctx, 'live_migration_force_complete',
                             instance=instance)

    def evacuate_instance(self, ctx: Any, instance: Instance, host: str,
                          node: str, migration: Migration,
                          admin_password: str | None) -> None:
        """Have `host` rebuild the instance of a down host on `node`,
        whose resources the conductor claimed (no answer)."""
        self._at(ctx, host, 'evacuate_instance', '1.6').cast(
            ctx, 'evacuate_instance', instance=instance, node=node,
            migration=migration, admin_password=admin_password)

    def _cast_1_5(self, ctx: Any, instance: Instance, method: str,
                  **kwargs: Any) -> None:
        self._at(ctx, instance.host, method, '1.5').cast(
            ctx, method, instance=instance, **kwargs)

    def soft_delete_instance(self, ctx: Any, instance: Instance) -> None:
        """Power the server off, to be reclaimed later or restored."""
        self._cast_1_5(ctx, instance, 'soft_delete_instance')

    def restore_instance(self, ctx: Any, instance: Instance) -> None:
        """Power a soft-deleted server back on."""
        self._cast_1_5(ctx, instance, 'restore_instance')

    def set_admin_password(self, ctx: Any, instance: Instance,
                           new_pass: str) -> None:
        """Set the guest's admin password (a call: the API answers 409
        or 501 with what went wrong)."""
        self._at(ctx, instance.host, 'set_admin_password', '1.5').call(
            ctx, 'set_admin_password', instance=instance, new_pass=new_pass)

    def inject_network_info(self, ctx: Any, instance: Instance) -> None:
        self._cast_1_5(ctx, instance, 'inject_network_info')

    def reset_network(self, ctx: Any, instance: Instance) -> None:
        self._cast_1_5(ctx, instance, 'reset_network')

    def trigger_crash_dump(self, ctx: Any, instance: Instance) -> None:
        """Have the hypervisor inject an NMI into the guest."""
        self._cast_1_5(ctx, instance, 'trigger_crash_dump')

    def shelve_instance(self, ctx: Any, instance: Instance,
                        image_id: str | None) -> None:
        """Power off (snapshotting to `image_id` if given); offload at
        once if [DEFAULT] shelved_offload_time is 0."""
        self._cast_1_5(ctx, instance, 'shelve_instance', image_id=image_id)

    def shelve_offload_instance(self, ctx: Any, instance: Instance) -> None:
        """Remove the guest from its host and free its resources."""
        self._cast_1_5(ctx, instance, 'shelve_offload_instance')

    def unshelve_instance(self, ctx: Any, instance: Instance, host: str,
                          node: str, image: dict) -> None:
        """Spawn the offloaded server on `host`/`node`, whose resources
        the scheduler claimed."""
        self._at(ctx, host, 'unshelve_instance', '1.5').cast(
            ctx, 'unshelve_instance', instance=instance, node=node,
            image=image)

    def rescue_instance(self, ctx: Any, instance: Instance,
                        rescue_password: str,
                        rescue_image_ref: str | None) -> None:
        """Boot the server from a rescue image, its disk attached."""
        self._cast_1_5(ctx, instance, 'rescue_instance',
                       rescue_password=rescue_password,
                       rescue_image_ref=rescue_image_ref)

    def unrescue_instance(self, ctx: Any, instance: Instance) -> None:
        self._cast_1_5(ctx, instance, 'unrescue_instance')

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
