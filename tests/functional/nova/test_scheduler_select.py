"""select_destinations against a real placement (uWSGI, SQLite) with
compute nodes in real cell databases (cell1 on each backend, cell2 on
SQLite): claims, alternates, NoValidHost, a lost race, and concurrent
requests that must not over-commit."""

import json
import threading
import uuid as uuidlib

import oslo_messaging as messaging
from oslo_utils import timeutils
import pytest
import requests

from nova import context as nova_context
from nova.compute import resource_tracker
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import services
from nova import exception
from nova.objects.compute_node import ComputeNode
from nova.objects.flavor import Flavor
from nova.objects.request_spec import RequestSpec
from nova.objects.service import Service
from nova import placement_client
from nova import rpc
from nova.scheduler import manager as scheduler_manager
from nova.scheduler import rpcapi as scheduler_rpcapi
from nova.scheduler import selection

ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement 1.39'}
# One instance: 1 VCPU, 1 GiB, 10 GiB.
SMALL = Flavor(flavorid='1', name='small', vcpus=1, memory_mb=1024,
               root_gb=10)


@pytest.fixture
def cloud(cloud_conf, two_cells):
    """cell1 (the backend's cell database) and cell2 (SQLite), mapped in
    the API database; `add(cell, size)` makes a compute host there and
    reports it to placement."""
    return Cloud(two_cells)


class Cloud:
    def __init__(self, mappings):
        self.cells = mappings
        self.ctx = nova_context.get_admin_context()

    def add(self, vcpus=4, memory_mb=4096, local_gb=100, cell='cell1',
            disabled=False):
        host = 'sch-' + uuidlib.uuid4().hex[:10]
        url = self.cells[cell].database_connection
        with engines.cell_writer(url) as conn:
            svc = services.create(conn, Service(
                host=host, binary='nova-compute', topic='compute',
                disabled=disabled,
                last_seen_up=_now()))
            node = compute_nodes.create(conn, ComputeNode(
                host=host, hypervisor_hostname=host, vcpus=vcpus,
                memory_mb=memory_mb, local_gb=local_gb, service_id=svc.id))
        assert resource_tracker.report([node], {})
        return node

    def spec(self, flavor=SMALL, **kwargs):
        return RequestSpec(flavor=flavor, project_id='p1', user_id='u1',
                           **kwargs)


def _now():
    return timeutils.utcnow().replace(tzinfo=None)


def _allocations(server, consumer):
    resp = requests.get('%s/allocations/%s' % (server.url, consumer),
                        headers=ADMIN, timeout=30)
    assert resp.status_code == 200, resp.text
    return {rp: a['resources'] for rp, a in resp.json()['allocations'].items()}


def _usages(server, rp):
    resp = requests.get('%s/resource_providers/%s/usages' % (server.url, rp),
                        headers=ADMIN, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()['usages']


def _uuids(n):
    return [str(uuidlib.uuid4()) for _ in range(n)]


@pytest.fixture
def scheduler(cloud_conf):
    return selection.Scheduler(placement_client.PlacementClient())


def test_claims_on_the_best_host_with_alternates(cloud, scheduler,
                                                  placement_server):
    small = cloud.add(memory_mb=2048)
    big = cloud.add(memory_mb=8192)
    mid = cloud.add(memory_mb=4096)
    (instance,) = _uuids(1)
    (answer,) = scheduler.select_destinations(cloud.ctx, cloud.spec(),
                                              [instance])
    assert [s.service_host for s in answer] == [big.host, mid.host,
                                                small.host]
    chosen = answer[0]
    assert (chosen.compute_node_uuid, chosen.nodename, chosen.cell_uuid) == (
        big.uuid, big.host, cloud.cells['cell1'].uuid)
    assert _allocations(placement_server, instance) == {
        big.uuid: {'VCPU': 1, 'MEMORY_MB': 1024, 'DISK_GB': 10}}
    # Alternates carry the allocation request a retry would claim with.
    alternate = json.loads(answer[1].allocation_request)
    assert alternate['allocations'] == {
        mid.uuid: {'resources': {'VCPU': 1, 'MEMORY_MB': 1024,
                                 'DISK_GB': 10}}}
    assert answer[1].allocation_request_version == '1.39'
    assert _allocations(placement_server, instance).keys() == {big.uuid}


def test_alternates_come_from_the_chosen_cell(cloud, scheduler, cloud_conf):
    cloud_conf.set_override('max_attempts', 10, group='scheduler')
    best = cloud.add(memory_mb=16384, cell='cell2')
    cell1 = [cloud.add(memory_mb=8192 - i) for i in range(2)]
    other = cloud.add(memory_mb=4096, cell='cell2')
    (answer,) = scheduler.select_destinations(cloud.ctx, cloud.spec(),
                                              _uuids(1))
    assert [s.service_host for s in answer] == [best.host, other.host]
    assert {s.cell_uuid for s in answer} == {cloud.cells['cell2'].uuid}
    # With the best host gone the answer is all cell1.
    (answer,) = scheduler.select_destinations(
        cloud.ctx, cloud.spec(ignore_hosts=[best.host]), _uuids(1))
    assert [s.service_host for s in answer] == [n.host for n in cell1]


def test_max_attempts_bounds_the_alternates(cloud, scheduler, cloud_conf):
    for _ in range(4):
        cloud.add()
    cloud_conf.set_override('max_attempts', 2, group='scheduler')
    (answer,) = scheduler.select_destinations(cloud.ctx, cloud.spec(),
                                              _uuids(1))
    assert len(answer) == 2
    cloud_conf.set_override('max_attempts', 1, group='scheduler')
    (answer,) = scheduler.select_destinations(cloud.ctx, cloud.spec(),
                                              _uuids(1))
    assert len(answer) == 1


def test_no_valid_host_when_full(cloud, scheduler, placement_server):
    node = cloud.add(vcpus=2, memory_mb=2048, local_gb=20)
    first = _uuids(2)
    answer = scheduler.select_destinations(cloud.ctx, cloud.spec(), first)
    assert [a[0].service_host for a in answer] == [node.host] * 2
    # Full, with the first two answers' alternates empty.
    assert [len(a) for a in answer] == [1, 1]
    (late,) = _uuids(1)
    with pytest.raises(exception.NoValidHost,
                       match='There are not enough hosts available'):
        scheduler.select_destinations(cloud.ctx, cloud.spec(), [late])
    assert _allocations(placement_server, late) == {}
    assert _usages(placement_server, node.uuid) == {
        'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20}


def test_a_request_that_does_not_fit_all_claims_nothing(
        cloud, scheduler, placement_server):
    node = cloud.add(vcpus=2, memory_mb=8192, local_gb=100)
    instances = _uuids(3)
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(cloud.ctx, cloud.spec(), instances)
    for instance in instances:
        assert _allocations(placement_server, instance) == {}
    assert _usages(placement_server, node.uuid) == {
        'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


def test_instances_of_one_request_spread(cloud, scheduler, placement_server):
    nodes = [cloud.add() for _ in range(3)]
    instances = _uuids(3)
    answer = scheduler.select_destinations(cloud.ctx,
                                           cloud.spec(num_instances=3),
                                           instances)
    assert sorted(a[0].service_host for a in answer) == sorted(
        n.host for n in nodes)
    for selections, instance in zip(answer, instances):
        assert _allocations(placement_server, instance).keys() == {
            selections[0].compute_node_uuid}


class RacingClient(placement_client.PlacementClient):
    """Someone else fills `victim` between our GET and our claim."""

    victim: str | None = None

    def get_allocation_candidates(self, query):
        candidates = super().get_allocation_candidates(query)
        if self.victim:
            resp = self.request('PUT', '/allocations/%s' % uuidlib.uuid4(),
                                json={'allocations': {self.victim: {
                                    'resources': {'MEMORY_MB': 8192}}},
                                    'project_id': 'other',
                                    'user_id': 'other',
                                    'consumer_generation': None,
                                    'consumer_type': 'INSTANCE'})
            assert resp.status_code == 204, resp.text
            self.victim = None
        return candidates


def test_a_lost_race_claims_on_the_next_host(cloud, cloud_conf,
                                              placement_server):
    best = cloud.add(memory_mb=8192)
    second = cloud.add(memory_mb=4096)
    third = cloud.add(memory_mb=2048)
    client = RacingClient()
    client.victim = best.uuid
    scheduler = selection.Scheduler(client)
    (instance,) = _uuids(1)
    (answer,) = scheduler.select_destinations(cloud.ctx, cloud.spec(),
                                              [instance])
    # The host placement refused is no alternate either.
    assert [s.service_host for s in answer] == [second.host, third.host]
    assert _allocations(placement_server, instance) == {
        second.uuid: {'VCPU': 1, 'MEMORY_MB': 1024, 'DISK_GB': 10}}


def test_concurrent_requests_fill_exactly_without_conflicts(
        cloud, scheduler, placement_server):
    # Room for exactly ten instances: 2 + 3 + 5.
    nodes = [cloud.add(vcpus=n, memory_mb=1024 * n, local_gb=10 * n)
             for n in (2, 3, 5)]
    conflicts = []

    def record(response, *args, **kwargs):
        if response.status_code == 409:
            conflicts.append(response.request.path_url)

    session = scheduler.client._get_session()
    session.hooks['response'].append(record)
    instances = _uuids(10)
    answers, errors = {}, []

    def boot(instance):
        try:
            answers[instance] = scheduler.select_destinations(
                cloud.ctx, cloud.spec(), [instance])
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=boot, args=(i,)) for i in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and len(answers) == 10
    assert conflicts == []
    for node, n in zip(nodes, (2, 3, 5)):
        assert _usages(placement_server, node.uuid) == {
            'VCPU': n, 'MEMORY_MB': 1024 * n, 'DISK_GB': 10 * n}
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(cloud.ctx, cloud.spec(), _uuids(1))


def test_filters_skip_disabled_and_down_hosts(cloud, scheduler, cloud_conf):
    disabled = cloud.add(memory_mb=8192, disabled=True)
    up = cloud.add(memory_mb=2048)
    (answer,) = scheduler.select_destinations(cloud.ctx, cloud.spec(),
                                              _uuids(1))
    assert [s.service_host for s in answer] == [up.host]
    # Forcing a host skips the filters.
    (answer,) = scheduler.select_destinations(
        cloud.ctx, cloud.spec(force_hosts=[disabled.host]), _uuids(1))
    assert [s.service_host for s in answer] == [disabled.host]
    cloud_conf.set_override('service_down_time', 1)
    with engines.cell_writer(cloud.cells['cell1'].database_connection) as c:
        svc = services.get_by_host_and_binary(c, up.host, 'nova-compute')
        services.update(c, svc.id, last_seen_up=_now().replace(
            year=2000))
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(cloud.ctx, cloud.spec(), _uuids(1))


def test_anti_affinity_group_spreads_one_request(cloud, scheduler):
    nodes = [cloud.add(memory_mb=8192 * 2), cloud.add()]
    group = {'uuid': 'g1', 'policies': ['anti-affinity'], 'hosts': [],
             'members': []}
    spec = cloud.spec(instance_group=group, num_instances=2)
    answer = scheduler.select_destinations(cloud.ctx, spec, _uuids(2))
    assert sorted(a[0].service_host for a in answer) == sorted(
        n.host for n in nodes)
    assert sorted(spec.instance_group['hosts']) == sorted(
        n.host for n in nodes)
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(cloud.ctx, spec, _uuids(1))


def test_affinity_group_stacks_one_request(cloud, scheduler):
    nodes = [cloud.add(memory_mb=8192 * 2), cloud.add()]
    group = {'uuid': 'g1', 'policies': ['affinity'], 'hosts': [],
             'members': []}
    spec = cloud.spec(instance_group=group, num_instances=3)
    answer = scheduler.select_destinations(cloud.ctx, spec, _uuids(3))
    assert {a[0].service_host for a in answer} == {nodes[0].host}


def test_manager_answer_formats(cloud, cloud_conf):
    node = cloud.add()
    cloud.add(vcpus=1, memory_mb=2048, local_gb=20)
    manager = scheduler_manager.SchedulerManager('sched', None)
    spec = cloud.spec()
    (answer,) = manager.select_destinations(cloud.ctx, spec, _uuids(1),
                                            return_alternates=False)
    assert [s.service_host for s in answer] == [node.host]
    assert manager.select_destinations(
        cloud.ctx, spec, _uuids(1), return_objects=False) == [
        {'host': node.host, 'nodename': node.host, 'limits': {}}]


def test_select_destinations_over_rpc(cloud, cloud_conf, placement_server):
    node = cloud.add()
    other = cloud.add(vcpus=1, memory_mb=2048, local_gb=20)
    server = rpc.get_server(
        messaging.Target(topic='scheduler', server='sched'),
        [scheduler_manager.SchedulerManager('sched', None)])
    server.start()
    try:
        api = scheduler_rpcapi.SchedulerAPI(timeout=30)
        (instance,) = _uuids(1)
        (answer,) = api.select_destinations(cloud.ctx, cloud.spec(),
                                            [instance])
        assert [(s.service_host, type(s).__name__) for s in answer] == [
            (node.host, 'Selection'), (other.host, 'Selection')]
        assert _allocations(placement_server, instance).keys() == {node.uuid}
        huge = Flavor(flavorid='2', name='huge', vcpus=64, memory_mb=1024)
        with pytest.raises(exception.NoValidHost):
            api.select_destinations(cloud.ctx, cloud.spec(flavor=huge),
                                    _uuids(1))
        capped = scheduler_rpcapi.SchedulerAPI(version_cap='1.0')
        with pytest.raises(exception.NoValidHost, match='capped'):
            capped.select_destinations(cloud.ctx, cloud.spec(), _uuids(1))
    finally:
        server.stop()
        server.wait()


def test_placement_down_is_no_valid_host(cloud, cloud_conf):
    cloud.add()
    cloud_conf.set_override('endpoint_override', 'http://127.0.0.1:9',
                      group='placement')
    scheduler = selection.Scheduler(placement_client.PlacementClient())
    with pytest.raises(exception.NoValidHost, match='Placement could not'):
        scheduler.select_destinations(cloud.ctx, cloud.spec(), _uuids(1))
