"""The build path and server actions end to end in one process: scheduler,
conductor and fake computes as real services on the fake transport, a
real placement (uWSGI), cell1 and cell0 on SQLite. Boots go through
nova.compute.create, as nova-api's do.

The API's part of an action (task_state compare-and-swap, the action
record, the cast) is done here the way nova-api does it. After each
scenario the usage placement has for every compute node must equal the
flavors of the live instances on it.
"""

import threading
import uuid as uuidlib

import pytest
import requests

from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context as nova_context
from nova.db.api import build_requests
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instance_actions
from nova.db.main import instances
from nova.db.main import migrations
from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.cell_mapping import CELL0_UUID
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.request_spec import RequestSpec
from nova.virt import fake
from tests import nova_services

ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement 1.39'}
SMALL = Flavor(id=1, flavorid='1', name='small', vcpus=1, memory_mb=512,
               root_gb=1)
LARGE = Flavor(id=2, flavorid='2', name='large', vcpus=2, memory_mb=1024,
               root_gb=2)
HUGE = Flavor(id=3, flavorid='3', name='huge', vcpus=64, memory_mb=512,
              root_gb=1)


def _res(flavor):
    return {'VCPU': flavor.vcpus, 'MEMORY_MB': flavor.memory_mb,
            'DISK_GB': flavor.root_gb + flavor.ephemeral_gb}


@pytest.fixture
def cloud(new_cloud, cloud_conf, placement_server):
    # Scheduling, not quota, decides here: boots go through the quota
    # check of nova.compute.create.
    quotas = ('instances', 'cores', 'ram')
    for name in quotas:
        cloud_conf.set_override(name, -1, group='quota')
    cloud = new_cloud()
    cloud.placement_url = placement_server.url
    try:
        yield cloud
        # Whatever the scenario did, nothing may leak or be missing.
        _assert_usage_matches_instances(cloud)
    finally:
        for name in quotas:
            cloud_conf.clear_override(name, group='quota')


def _get(cloud, path):
    resp = requests.get(cloud.placement_url + path, headers=ADMIN,
                        timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _allocations(cloud, consumer):
    return {rp: a['resources'] for rp, a in
            _get(cloud, '/allocations/%s' % consumer)['allocations'].items()}


def _node(cloud, host):
    with engines.cell_reader(cloud.cells['cell1']) as conn:
        return compute_nodes.get_by_host_and_nodename(conn, host, host)


def _assert_usage_matches_instances(cloud):
    """Placement's usage of every compute node is the sum of the flavors
    of the live instances there."""
    with engines.cell_reader(cloud.cells['cell1']) as conn:
        for host in cloud.computes:
            want = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
            for inst in instances.list_by_host(conn, host):
                for rc, amount in _res(inst.flavor).items():
                    want[rc] += amount
            node = compute_nodes.get_by_host_and_nodename(conn, host, host)
            usages = _get(cloud, '/resource_providers/%s/usages'
                          % node.uuid)['usages']
            assert usages == want, host


def _act(cloud, uuid, method, task_state, action, **kwargs):
    """What the API does for a server action: compare-and-swap the
    task_state, record the action, cast to the instance's host."""
    ctx = nova_context.RequestContext(user_id='u1', project_id='p1')
    cell = cloud.cell_of(uuid)
    with engines.cell_writer(cell) as conn:
        inst = instances.update(conn, uuid, task_state=task_state,
                                expected_task_state=None)
        instance_actions.start_action(conn, ctx, uuid, action)
    with nova_context.target_cell(ctx, cell) as cctx:
        return getattr(compute_rpcapi.ComputeAPI(timeout=30), method)(
            cctx, inst, **kwargs)


def _cell_ctx(cloud, uuid):
    with nova_context.target_cell(cloud.ctx, cloud.cell_of(uuid)) as cctx:
        return cctx


def _events(cloud, uuid):
    with engines.cell_reader(cloud.cell_of(uuid)) as conn:
        return [(e['event'], e['host'], e['result'])
                for a in instance_actions.list_actions(conn, uuid)
                for e in instance_actions.get_action(
                    conn, uuid, a.request_id).events]


def _boot_active(cloud, flavor=SMALL):
    (uuid,) = cloud.boot(flavor)
    return cloud.wait_for(uuid, vm_state=states.ACTIVE, task_state=None)


def test_build_goes_active_with_its_allocation(cloud):
    host = cloud.add_compute().host
    inst = _boot_active(cloud)
    assert (inst.host, inst.node, inst.power_state) == (
        host, host, states.RUNNING)
    assert inst.launched_at is not None
    node = _node(cloud, host)
    assert _allocations(cloud, inst.uuid) == {node.uuid: _res(SMALL)}
    assert cloud.cell_of(inst.uuid).name == 'cell1'
    with engines.api_reader() as conn:
        with pytest.raises(exception.BuildRequestNotFound):
            build_requests.get_by_instance_uuid(conn, inst.uuid)
    assert ('compute_build_and_run_instance', host, 'Success') in _events(
        cloud, inst.uuid)
    driver = cloud.computes[host].driver
    assert driver.list_instance_uuids() == [inst.uuid]
    cloud.computes[host].update_available_resource(cloud.ctx)
    assert (_node(cloud, host).vcpus_used,
            _node(cloud, host).memory_mb_used) == (1, 512)
    _assert_usage_matches_instances(cloud)


def test_failed_spawn_is_retried_on_an_alternate(cloud):
    first = cloud.add_compute(memory_mb=8192).host
    second = cloud.add_compute(memory_mb=4096).host
    scheduler = cloud.scheduler.scheduler
    calls = []
    select = scheduler.select_destinations
    scheduler.select_destinations = (
        lambda *args: calls.append(args) or select(*args))
    fake.fail_on(first, 'spawn')
    inst = _boot_active(cloud)
    assert inst.host == second
    assert len(calls) == 1
    assert _allocations(cloud, inst.uuid) == {
        _node(cloud, second).uuid: _res(SMALL)}
    assert inst.system_metadata['build_attempts'] == '2'
    events = _events(cloud, inst.uuid)
    assert ('compute_build_and_run_instance', first, 'Error') in events
    assert ('compute_build_and_run_instance', second, 'Success') in events
    assert cloud.computes[first].driver.list_instance_uuids() == []
    _assert_usage_matches_instances(cloud)


def test_all_alternates_failing_is_an_error_holding_nothing(cloud, cloud_conf):
    hosts = [cloud.add_compute().host for _ in range(4)]
    for host in hosts:
        fake.fail_on(host, 'spawn')
    (uuid,) = cloud.boot(SMALL)
    inst = cloud.wait_for(uuid, vm_state=states.ERROR)
    assert inst.task_state is None and inst.host is None
    assert 'Exceeded maximum number of retries' in inst.fault['message']
    assert _allocations(cloud, uuid) == {}
    # [scheduler] max_attempts (3) hosts were tried, not all four.
    tried = [e for e in _events(cloud, uuid)
             if e[0] == 'compute_build_and_run_instance']
    assert len(tried) == cloud_conf.scheduler.max_attempts == 3
    assert {e[2] for e in tried} == {'Error'}
    _assert_usage_matches_instances(cloud)


def test_no_valid_host_buries_the_instance_in_cell0(cloud):
    cloud.add_compute()
    (uuid,) = cloud.boot(HUGE)
    inst = cloud.wait_for(uuid, vm_state=states.ERROR)
    assert cloud.cell_of(uuid).uuid == CELL0_UUID
    assert 'No valid host was found' in inst.fault['message']
    assert inst.host is None and inst.task_state is None
    with engines.api_reader() as conn:
        with pytest.raises(exception.BuildRequestNotFound):
            build_requests.get_by_instance_uuid(conn, uuid)
    assert _allocations(cloud, uuid) == {}


def test_delete_frees_the_allocation(cloud):
    host = cloud.add_compute().host
    inst = _boot_active(cloud)
    _act(cloud, inst.uuid, 'terminate_instance', states.DELETING, 'delete')
    gone = cloud.wait_for(inst.uuid, deleted=True)
    assert gone.vm_state == states.DELETED
    assert _allocations(cloud, inst.uuid) == {}
    assert cloud.computes[host].driver.list_instance_uuids() == []
    assert ('compute_terminate_instance', host, 'Success') in _events(
        cloud, inst.uuid)
    _assert_usage_matches_instances(cloud)


def test_power_actions(cloud):
    cloud.add_compute()
    uuid = _boot_active(cloud).uuid
    steps = [
        ('reboot_instance', states.REBOOTING, 'reboot',
         {'reboot_type': 'SOFT'}, states.ACTIVE, states.RUNNING),
        ('reboot_instance', states.REBOOTING_HARD, 'reboot',
         {'reboot_type': 'HARD'}, states.ACTIVE, states.RUNNING),
        ('stop_instance', states.POWERING_OFF, 'stop', {},
         states.STOPPED, states.SHUTDOWN),
        ('start_instance', states.POWERING_ON, 'start', {},
         states.ACTIVE, states.RUNNING),
        ('pause_instance', states.PAUSING, 'pause', {},
         states.PAUSED, states.PAUSED_POWER),
        ('unpause_instance', states.UNPAUSING, 'unpause', {},
         states.ACTIVE, states.RUNNING),
        ('suspend_instance', states.SUSPENDING, 'suspend', {},
         states.SUSPENDED, states.SUSPENDED_POWER),
        ('resume_instance', states.RESUMING, 'resume', {},
         states.ACTIVE, states.RUNNING),
        ('rebuild_instance', states.REBUILDING, 'rebuild',
         {'image_ref': 'other-image', 'orig_image_ref': 'fake-image'},
         states.ACTIVE, states.RUNNING),
    ]
    for method, task_state, action, kwargs, vm_state, power in steps:
        _act(cloud, uuid, method, task_state, action, **kwargs)
        inst = cloud.wait_for(uuid, vm_state=vm_state, task_state=None,
                              power_state=power)
    assert inst.image_ref == 'other-image'
    inst = cloud.instance(uuid)
    console = compute_rpcapi.ComputeAPI(timeout=30).get_console_output(
        _cell_ctx(cloud, uuid), inst, 2)
    assert len(console.splitlines()) == 1  # rebuilt: one line so far
    _assert_usage_matches_instances(cloud)


def test_a_failed_action_keeps_the_vm_state_and_records_a_fault(cloud):
    host = cloud.add_compute().host
    uuid = _boot_active(cloud).uuid
    fake.fail_on(host, 'pause')
    _act(cloud, uuid, 'pause_instance', states.PAUSING, 'pause')
    inst = cloud.wait_for(uuid, task_state=None, vm_state=states.ACTIVE)
    nova_services.wait_for(lambda: cloud.instance(uuid).fault,
                           what='the fault')
    assert 'Injected failure of pause' in cloud.instance(uuid).fault[
        'message']
    assert ('compute_pause_instance', host, 'Error') in _events(cloud, uuid)
    assert inst.power_state == states.RUNNING


def test_power_sync_notices_a_guest_that_stopped(cloud):
    host = cloud.add_compute().host
    uuid = _boot_active(cloud).uuid
    manager = cloud.computes[host]
    manager.driver.guests[uuid].power_state = states.SHUTDOWN
    manager.sync_power_states(cloud.ctx)
    inst = cloud.instance(uuid)
    assert (inst.vm_state, inst.power_state) == (states.STOPPED,
                                                 states.SHUTDOWN)


def _move(cloud, uuid, flavor):
    ctx = nova_context.RequestContext(user_id='u1', project_id='p1')
    cell = cloud.cell_of(uuid)
    with engines.cell_writer(cell) as conn:
        inst = instances.update(conn, uuid, task_state=states.RESIZE_PREP,
                                expected_task_state=None)
        instance_actions.start_action(conn, ctx, uuid,
                                      'resize' if flavor else 'migrate')
    spec = RequestSpec(flavor=inst.flavor, instance_uuid=uuid,
                       project_id='p1', user_id='u1')
    conductor_rpcapi.ConductorAPI().migrate_server(ctx, inst, flavor, spec)


def _migration(cloud, uuid):
    with engines.cell_reader(cloud.cell_of(uuid)) as conn:
        return migrations.get_in_progress_by_instance(conn, uuid)


@pytest.mark.parametrize('flavor', [LARGE, None], ids=['resize', 'migrate'])
def test_resize_confirm(cloud, flavor):
    source = cloud.add_compute(memory_mb=8192).host
    inst = _boot_active(cloud)
    assert inst.host == source
    dest = cloud.add_compute().host
    _move(cloud, inst.uuid, flavor)
    new = flavor or SMALL
    moved = cloud.wait_for(inst.uuid, vm_state=states.RESIZED,
                           task_state=None)
    assert (moved.host, moved.flavor.name) == (dest, new.name)
    assert moved.old_flavor.name == SMALL.name
    mig = _migration(cloud, inst.uuid)
    assert (mig.status, mig.source_compute, mig.dest_compute) == (
        'finished', source, dest)
    assert mig.migration_type == ('resize' if flavor else 'migration')
    assert _allocations(cloud, inst.uuid) == {
        _node(cloud, dest).uuid: _res(new)}
    assert _allocations(cloud, mig.uuid) == {
        _node(cloud, source).uuid: _res(SMALL)}
    compute_rpcapi.ComputeAPI().confirm_resize(
        _cell_ctx(cloud, inst.uuid), moved, mig)
    done = cloud.wait_for(inst.uuid, vm_state=states.ACTIVE,
                          task_state=None)
    assert (done.host, done.flavor.name, done.old_flavor) == (
        dest, new.name, None)
    assert done.power_state == states.RUNNING
    assert _allocations(cloud, mig.uuid) == {}
    assert cloud.computes[source].driver.list_instance_uuids() == []
    _assert_usage_matches_instances(cloud)


def test_resize_revert(cloud):
    source = cloud.add_compute(memory_mb=8192).host
    inst = _boot_active(cloud)
    dest = cloud.add_compute().host
    _move(cloud, inst.uuid, LARGE)
    moved = cloud.wait_for(inst.uuid, vm_state=states.RESIZED,
                           task_state=None)
    mig = _migration(cloud, inst.uuid)
    _act(cloud, inst.uuid, 'revert_resize', states.RESIZE_REVERTING,
         'revertResize', migration=mig)
    back = cloud.wait_for(inst.uuid, vm_state=states.ACTIVE,
                          task_state=None)
    assert (back.host, back.flavor.name) == (source, SMALL.name)
    assert back.new_flavor is None and back.power_state == states.RUNNING
    assert moved.host == dest
    assert _allocations(cloud, inst.uuid) == {
        _node(cloud, source).uuid: _res(SMALL)}
    assert _allocations(cloud, mig.uuid) == {}
    assert cloud.computes[dest].driver.list_instance_uuids() == []
    _assert_usage_matches_instances(cloud)


def test_migrate_without_a_destination_stays_put(cloud):
    host = cloud.add_compute().host
    inst = _boot_active(cloud)
    _move(cloud, inst.uuid, None)
    nova_services.wait_for(lambda: cloud.instance(inst.uuid).fault,
                           what='the fault')
    after = cloud.wait_for(inst.uuid, vm_state=states.ACTIVE,
                           task_state=None)
    assert after.host == host
    assert 'No valid host' in after.fault['message']
    assert _allocations(cloud, inst.uuid) == {
        _node(cloud, host).uuid: _res(SMALL)}
    _assert_usage_matches_instances(cloud)


@pytest.mark.all_databases
def test_concurrent_builds_fill_exactly(cloud, caplog):
    # Room for exactly 50 small instances: 5 hosts of 10.
    caplog.set_level('INFO')
    for _ in range(5):
        cloud.add_compute(vcpus=10, memory_mb=10 * 512, local_gb=10)
    uuids, lock = [], threading.Lock()

    def boot():
        booted = cloud.boot(SMALL)
        with lock:
            uuids.extend(booted)

    threads = [threading.Thread(target=boot) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(uuids) == 50
    for uuid in uuids:
        cloud.wait_for(uuid, timeout=120, vm_state=states.ACTIVE)
    _assert_usage_matches_instances(cloud)
    with engines.cell_reader(cloud.cells['cell1']) as conn:
        for host in cloud.computes:
            assert len(instances.list_by_host(conn, host)) == 10, host
    # Nobody lost a race for a slot: no claim was refused by placement
    # and no build was retried elsewhere.
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if 'refused the claim' in m
                or 'Retrying the build' in m]
    (late,) = cloud.boot(SMALL)
    cloud.wait_for(late, vm_state=states.ERROR)
    assert cloud.cell_of(late).uuid == CELL0_UUID
    with engines.cell_reader(cloud.cells['cell1']) as conn:
        assert instances.count_live(conn) == 50


def test_server_deleted_before_it_was_scheduled(cloud):
    host = cloud.add_compute().host
    # The user deleted the server (its build request) before the
    # conductor got to it: no instance and no claim may stay behind.
    uuid = str(uuidlib.uuid4())
    inst = Instance(uuid=uuid, project_id='p1', user_id='u1', flavor=SMALL,
                    vm_state=states.BUILDING, task_state=states.SCHEDULING)
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, 'p1', user_id='u1')
    spec = RequestSpec(flavor=SMALL, instance_uuid=uuid, project_id='p1',
                       user_id='u1')
    cloud.conductor.builder.schedule_and_build_instances(
        cloud.ctx, [BuildRequest(instance=inst, project_id='p1')], [spec],
        {'id': 'fake-image'}, None, [], None, [])
    with engines.cell_reader(cloud.cells['cell1']) as conn:
        assert instances.get(conn, uuid, read_deleted=True).deleted
        with pytest.raises(exception.InstanceNotFound):
            instances.get(conn, uuid)
    assert _allocations(cloud, uuid) == {}
    assert cloud.computes[host].driver.list_instance_uuids() == []
    _assert_usage_matches_instances(cloud)
