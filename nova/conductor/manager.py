"""nova-conductor's RPC endpoint. The super conductor (API level) and each
cell's conductor run the same manager on different message queues: the
super conductor serves schedule_and_build_instances, migrate_server,
live_migrate_instance, evacuate_instance and unshelve_instance (it has
the API database), a cell conductor serves build_instances (its own cell
database and message queue only). The work itself is in
nova.conductor.build, migrate, live_migrate, evacuate and unshelve."""

from typing import Any

import oslo_messaging as messaging

from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import build
from nova.conductor import evacuate
from nova.conductor import live_migrate
from nova.conductor import migrate
from nova.conductor import unshelve
from nova import context as nova_context
from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.cell_mapping import CellMapping
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import placement_client
from nova.scheduler import rpcapi as scheduler_rpcapi
from nova import service


class ConductorManager(service.Manager):
    """Server side of nova.conductor.rpcapi.ConductorAPI (see its
    history). `transport_url` is this conductor's message queue ([DEFAULT]
    transport_url if None): a cell conductor reaches its computes there."""

    target = messaging.Target(version='1.4')

    def __init__(self, host: str, db_url: str,
                 transport_url: str | None = None) -> None:
        super().__init__(host, db_url)
        self.transport_url = transport_url
        placement = placement_client.client()
        compute_api = compute_rpcapi.ComputeAPI()
        scheduler_api = scheduler_rpcapi.SchedulerAPI()
        self.builder = build.Builder(placement, compute_api, scheduler_api)
        self.migrator = migrate.Migrator(placement, compute_api,
                                         scheduler_api)
        self.live_migrator = live_migrate.LiveMigrator(
            placement, compute_api, scheduler_api)
        self.evacuator = evacuate.Evacuator(placement, compute_api,
                                            scheduler_api)
        self.unshelver = unshelve.Unshelver(placement, compute_api,
                                            scheduler_api)

    @messaging.expose
    def schedule_and_build_instances(
            self, ctx: nova_context.RequestContext,
            build_requests: list[BuildRequest],
            request_specs: list[RequestSpec], image: dict,
            admin_password: str | None, injected_files: list,
            requested_networks: Any, block_device_mapping: list) -> None:
        self.builder.schedule_and_build_instances(
            ctx, build_requests, request_specs, image, admin_password,
            injected_files, requested_networks, block_device_mapping)

    @messaging.expose
    def build_instances(self, ctx: nova_context.RequestContext,
                        instance: Instance, image: dict,
                        request_spec: RequestSpec,
                        host_list: list[Selection],
                        admin_password: str | None, injected_files: list,
                        requested_networks: Any) -> None:
        own_cell = CellMapping(uuid=self.host, name='local',
                               transport_url=self.transport_url,
                               database_connection=self.db_url)
        self.builder.build_instances(
            ctx, own_cell, instance, image, request_spec, host_list,
            admin_password, injected_files, requested_networks)

    @messaging.expose
    def migrate_server(self, ctx: nova_context.RequestContext,
                       instance: Instance, flavor: Flavor | None,
                       request_spec: RequestSpec) -> None:
        self.migrator.migrate_server(ctx, instance, flavor, request_spec)

    @messaging.expose
    @messaging.expected_exceptions(exception.NovaException)
    def live_migrate_instance(self, ctx: nova_context.RequestContext,
                              instance: Instance, host: str | None,
                              block_migration: bool, force: bool,
                              request_spec: RequestSpec,
                              wait: bool = False) -> None:
        self.live_migrator.live_migrate_instance(
            ctx, instance, host, block_migration, force, request_spec,
            wait)

    @messaging.expose
    def evacuate_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance, migration: Migration,
                          host: str | None, force: bool,
                          admin_password: str | None,
                          request_spec: RequestSpec) -> None:
        self.evacuator.evacuate_instance(ctx, instance, migration, host,
                                         force, admin_password,
                                         request_spec)

    @messaging.expose
    def unshelve_instance(self, ctx: nova_context.RequestContext,
                          instance: Instance,
                          request_spec: RequestSpec) -> None:
        self.unshelver.unshelve_instance(ctx, instance, request_spec)
