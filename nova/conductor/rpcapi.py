"""Client side of nova-conductor's RPC API. An untargeted context reaches
the super conductor on the API's message queue; a context targeted at a
cell reaches that cell's conductor.

Versions:

* 1.0 - ping
* 1.1 - schedule_and_build_instances (super conductor),
        build_instances (cell conductor: reschedule on an alternate),
        migrate_server (super conductor: resize and cold migrate)
* 1.3 - unshelve_instance (super conductor)
* 1.4 - live_migrate_instance, evacuate_instance (super conductor)
"""

from typing import Any

from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import rpc


class ConductorAPI(rpc.RPCAPI):
    TOPIC = 'conductor'
    VERSION = '1.4'

    def _prepare_1_1(self, ctx: Any, method: str) -> Any:
        client = self.client(ctx)
        if not client.can_send_version('1.1'):
            raise exception.NovaException(
                'The conductor is capped at RPC version %s, below the 1.1 '
                '%s needs.' % (self.version_cap, method))
        return client.prepare(version='1.1')

    def schedule_and_build_instances(
            self, ctx: Any, build_requests: list[BuildRequest],
            request_specs: list[RequestSpec], image: dict,
            admin_password: str | None, injected_files: list,
            requested_networks: str | list | None,
            block_device_mapping: list) -> None:
        """Have the super conductor schedule the build requests (one
        request spec per instance, in the same order) and build each in
        the cell it lands in, or bury it in cell0 (no answer)."""
        self._prepare_1_1(ctx, 'schedule_and_build_instances').cast(
            ctx, 'schedule_and_build_instances',
            build_requests=build_requests, request_specs=request_specs,
            image=image, admin_password=admin_password,
            injected_files=injected_files,
            requested_networks=requested_networks,
            block_device_mapping=block_device_mapping)

    def build_instances(self, ctx: Any, instance: Instance, image: dict,
                        request_spec: RequestSpec,
                        host_list: list[Selection],
                        admin_password: str | None,
                        injected_files: list,
                        requested_networks: str | list | None) -> None:
        """Have the conductor of the cell `ctx` targets retry a failed
        build on the next alternate of `host_list` (no answer)."""
        self._prepare_1_1(ctx, 'build_instances').cast(
            ctx, 'build_instances', instance=instance, image=image,
            request_spec=request_spec, host_list=host_list,
            admin_password=admin_password, injected_files=injected_files,
            requested_networks=requested_networks)

    def migrate_server(self, ctx: Any, instance: Instance,
                       flavor: Flavor | None,
                       request_spec: RequestSpec) -> None:
        """Have the super conductor resize `instance` to `flavor`, or
        cold migrate it (flavor None) to another host (or to
        request_spec.requested_destination), no answer. The API has set
        task_state RESIZE_PREP and recorded the action."""
        self._prepare_1_1(ctx, 'migrate_server').cast(
            ctx, 'migrate_server', instance=instance, flavor=flavor,
            request_spec=request_spec)

    def _prepare_1_4(self, ctx: Any, method: str) -> Any:
        client = self.client(ctx)
        if not client.can_send_version('1.4'):
            raise exception.NovaException(
                'The conductor is capped at RPC version %s, below the 1.4 '
                '%s needs.' % (self.version_cap, method))
        return client.prepare(version='1.4')

    def live_migrate_instance(self, ctx: Any, instance: Instance,
                              host: str | None, block_migration: bool,
                              force: bool, request_spec: RequestSpec,
                              wait: bool = False) -> None:
        """Have the super conductor live-migrate `instance` to `host`
        (scheduled there unless `force`), or to a host the scheduler
        picks. The API has set task_state MIGRATING. With `wait` (a
        call), raise what stopped the move from starting (NoValidHost,
        ComputeServiceUnavailable, ...), as before 2.34."""
        client = self._prepare_1_4(ctx, 'live_migrate_instance')
        (client.call if wait else client.cast)(
            ctx, 'live_migrate_instance', instance=instance, host=host,
            block_migration=block_migration, force=force,
            request_spec=request_spec, wait=wait)

    def evacuate_instance(self, ctx: Any, instance: Instance,
                          migration: Migration, host: str | None,
                          force: bool, admin_password: str | None,
                          request_spec: RequestSpec) -> None:
        """Have the super conductor rebuild `instance`, whose host is
        down, on `host` or a host the scheduler picks (no answer). The
        API has set task_state REBUILDING and made `migration`."""
        self._prepare_1_4(ctx, 'evacuate_instance').cast(
            ctx, 'evacuate_instance', instance=instance,
            migration=migration, host=host, force=force,
            admin_password=admin_password, request_spec=request_spec)

    def unshelve_instance(self, ctx: Any, instance: Instance,
                          request_spec: RequestSpec) -> None:
        """Have the super conductor bring back a shelved server: power on
        where it is (SHELVED), or schedule it and spawn it on the chosen
        host (SHELVED_OFFLOADED). The API has set task_state UNSHELVING
        and recorded the action (no answer)."""
        client = self.client(ctx)
        if not client.can_send_version('1.3'):
            raise exception.NovaException(
                'The conductor is capped at RPC version %s, below the 1.3 '
                'unshelve_instance needs.' % self.version_cap)
        client.prepare(version='1.3').cast(
            ctx, 'unshelve_instance', instance=instance,
            request_spec=request_spec)
