"""Where a live migration or an evacuation goes: the scheduler's pick
(claimed in placement, like a cold migration's), or the host the admin
forced, claimed here with the resources the instance held on its source
(the scheduler skipped, as upstream's force)."""

from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import states
from nova.conductor import migrate
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova.db.main import migrations
from nova.db.main import services
from nova import exception
from nova.objects.cell_mapping import CellMapping
from nova.objects.instance import Instance
from nova.objects.migration import Migration
from nova.objects.request_spec import RequestSpec
from nova import placement_client
from nova.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)


def cell_of(ctx: nova_context.RequestContext, uuid: str) -> CellMapping:
    """The cell of a scheduled instance."""
    with engines.api_reader(ctx) as conn:
        cell = instance_mappings.get_by_instance_uuid(conn, uuid).cell
    # Moves are of servers on a host: scheduled to a cell.
    assert cell is not None
    return cell


def check_up(cell: CellMapping, host: str) -> None:
    """ComputeServiceUnavailable unless `host`'s compute is up."""
    with engines.cell_reader(cell) as conn:
        svc = services.get_by_host_and_binary(conn, host, 'nova-compute')
    if svc is None or not services.is_up(
            svc, timeutils.utcnow().replace(tzinfo=None),
            CONF.service_down_time):
        raise exception.ComputeServiceUnavailable(host=host)


def choose(ctx: nova_context.RequestContext,
           placement: placement_client.PlacementClient,
           scheduler_api: scheduler_rpcapi.SchedulerAPI, cell: CellMapping,
           instance: Instance, request_spec: RequestSpec, host: str | None,
           force: bool, held_by: str) -> tuple[str, str]:
    """(host, node) claimed for the instance: `host` itself if forced,
    else the scheduler's pick (on `host` if given), never its current
    host. `held_by` holds the instance's source allocation."""
    if host is not None and host == instance.host:
        raise exception.UnableToMigrateToSelf(instance_id=instance.uuid,
                                              host=host)
    if host is not None and force:
        node = _forced_claim(placement, cell, instance, host, held_by)
        return host, node
    spec = migrate.Migrator._spec(request_spec, instance, instance.flavor,
                                  cell.uuid)
    assert spec.requested_destination is not None  # set by _spec
    spec.requested_destination.host = host
    (host_list,) = scheduler_api.select_destinations(ctx, spec,
                                                     [instance.uuid])
    return host_list[0].service_host, host_list[0].nodename


def _forced_claim(placement: placement_client.PlacementClient,
                  cell: CellMapping, instance: Instance, host: str,
                  held_by: str) -> str:
    with engines.cell_reader(cell) as conn:
        nodes = compute_nodes.list_by_host(conn, host)
    if not nodes or nodes[0].uuid is None:
        raise exception.ComputeHostNotFound(host=host)
    check_up(cell, host)
    resources: dict[str, int] = {}
    for alloc in placement.get_allocations(held_by)['allocations'].values():
        for rc, amount in alloc['resources'].items():
            resources[rc] = resources.get(rc, 0) + amount
    assert instance.project_id is not None and instance.user_id is not None
    if not placement.claim(instance.uuid,
                           {nodes[0].uuid: {'resources': resources}},
                           instance.project_id, instance.user_id):
        raise exception.NoValidHost(
            reason='Unable to move instance %s to host %s. There is not '
                   'enough capacity on the host for the instance.'
                   % (instance.uuid, host))
    return nodes[0].hypervisor_hostname


def give_back(placement: placement_client.PlacementClient, cell: Any,
              instance: Instance, migration: Migration, exc: Exception,
              vm_state: str | None = None) -> None:
    """The move could not start: the instance gets its source allocation
    back (replacing any claim made for it), the migration ends in error,
    the instance keeps its host (in `vm_state` if given) with a fault."""
    LOG.warning('Cannot move instance %s (migration %s): %s',
                instance.uuid, migration.uuid, exc)
    assert migration.id is not None and migration.uuid is not None
    try:
        placement.move_allocations(migration.uuid, instance.uuid)
    except placement_client.PlacementError as perr:
        LOG.error('Could not give instance %s its allocation back: %s',
                  instance.uuid, perr)
    values: dict[str, Any] = {'task_state': None}
    if vm_state is not None:
        values['vm_state'] = vm_state
    with engines.cell_writer(cell) as conn:
        migrations.update(conn, migration.id, status='error')
        try:
            instances.update(conn, instance.uuid, expected_task_state=[
                states.MIGRATING, states.REBUILDING, None], **values)
            instances.add_fault_from(conn, instance.uuid, exc)
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError) as err:
            LOG.info('Instance %s changed meanwhile: %s', instance.uuid,
                     err)
