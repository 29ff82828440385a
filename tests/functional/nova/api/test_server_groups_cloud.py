"""Server groups enforced end to end: the API in-process over an
in-process cloud (tests/nova_cloud.py: scheduler, conductor and fake
computes on the fake transport, a real placement), cell1 on each backend
and cell0 on SQLite.

Affinity keeps a group's servers on one host, anti-affinity spreads them,
also when they are booted concurrently; the soft policies only weigh;
the compute's late check sends a build that breaks a strict policy to an
alternate host (here: a scheduler without the anti-affinity filter).
"""

import threading

import pytest

from tests import nova_services
from tests.functional.nova.api.conftest import flavor_body

G = '/v2.1/os-server-groups'
S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ALICE = 'alice:p1'


@pytest.fixture
def start_cloud(cloud_conf, new_cloud):
    """start_cloud(hosts, **filter_scheduler options): the cloud with
    that many 4-VCPU computes (or sizes: a list of vcpus) and a compute
    API client for alice."""
    overridden = []

    def start(hosts, **options):
        for name, value in options.items():
            cloud_conf.set_override(name, value, group='filter_scheduler')
            overridden.append(name)
        cloud = new_cloud()
        sizes = hosts if isinstance(hosts, list) else [4] * hosts
        for vcpus in sizes:
            cloud.add_compute(vcpus=vcpus, memory_mb=1024 * vcpus,
                              local_gb=10 * vcpus)
        from nova.api import direct
        client = direct.ComputeDirect(cloud_conf, token=ALICE,
                                      version='2.53')
        resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
            'm1.tiny', '1', ram=512, vcpus=1, disk=1))
        assert resp.status_int == 200, resp.text
        return cloud, client

    yield start
    for name in overridden:
        cloud_conf.clear_override(name, group='filter_scheduler')


def _group(client, policy_name, max_server_per_host=None):
    if max_server_per_host is None:
        resp = client.post(G, json={'server_group': {
            'name': policy_name, 'policies': [policy_name]}})
    else:
        resp = client.post(G, version='2.64', json={'server_group': {
            'name': policy_name, 'policy': policy_name,
            'rules': {'max_server_per_host': max_server_per_host}}})
    assert resp.status_int == 200, resp.text
    return resp.json['server_group']['id']


def _boot(client, group, count=1):
    resp = client.post(S, json={
        'server': {'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
                   'networks': 'none', 'min_count': count,
                   'return_reservation_id': count > 1},
        'os:scheduler_hints': {'group': group}})
    assert resp.status_int == 202, resp.text
    if count > 1:
        found = client.get(S + '?reservation_id=%s' % resp.json[
            'reservation_id']).json['servers']
        return [s['id'] for s in found]
    return [resp.json['server']['id']]


def _settled(client, uuid):
    def ready():
        resp = client.get(S + '/' + uuid, token='admin')
        assert resp.status_int == 200, resp.text
        server = resp.json['server']
        return server['status'] in ('ACTIVE', 'ERROR') and server
    return nova_services.wait_for(ready, timeout=60,
                                  what='server %s to settle' % uuid)


def _host(client, uuid):
    server = _settled(client, uuid)
    assert server['status'] == 'ACTIVE', server.get('fault')
    return server['OS-EXT-SRV-ATTR:host']


def test_affinity_keeps_servers_together(start_cloud):
    cloud, client = start_cloud(3)
    group = _group(client, 'affinity')
    first = _boot(client, group)
    host = _host(client, first[0])
    more = _boot(client, group, count=2) + _boot(client, group)
    assert {_host(client, uuid) for uuid in more} == {host}
    members = client.get(G + '/' + group).json['server_group']['members']
    assert sorted(members) == sorted(first + more)


def test_anti_affinity_spreads_and_runs_out_of_hosts(start_cloud):
    cloud, client = start_cloud(3)
    group = _group(client, 'anti-affinity')
    uuids = _boot(client, group, count=2) + _boot(client, group)
    hosts = [_host(client, uuid) for uuid in uuids]
    assert sorted(hosts) == sorted(cloud.computes)
    (extra,) = _boot(client, group)
    server = _settled(client, extra)
    assert server['status'] == 'ERROR'
    assert 'No valid host' in server['fault']['message']


def test_anti_affinity_max_server_per_host(start_cloud):
    cloud, client = start_cloud(2)
    group = _group(client, 'anti-affinity', max_server_per_host=2)
    uuids = _boot(client, group, count=3) + _boot(client, group)
    hosts = [_host(client, uuid) for uuid in uuids]
    assert sorted(hosts) == sorted(list(cloud.computes) * 2)
    (extra,) = _boot(client, group)
    server = _settled(client, extra)
    assert server['status'] == 'ERROR'
    assert 'No valid host' in server['fault']['message']


def test_concurrent_boots_into_anti_affinity_group(start_cloud):
    count = 4
    cloud, client = start_cloud(count)
    group = _group(client, 'anti-affinity')
    uuids, errors = [], []
    barrier = threading.Barrier(count)

    def boot():
        try:
            barrier.wait(timeout=30)
            uuids.extend(_boot(client, group))
        except Exception as exc:  # reported below
            errors.append(exc)
    threads = [threading.Thread(target=boot) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(uuids) == count
    hosts = [_host(client, uuid) for uuid in uuids]
    assert sorted(hosts) == sorted(cloud.computes)


def test_soft_anti_affinity_spreads_then_shares(start_cloud):
    cloud, client = start_cloud(
        2, soft_anti_affinity_weight_multiplier=10.0)
    group = _group(client, 'soft-anti-affinity')
    hosts = [_host(client, uuid) for uuid in (
        _boot(client, group) + _boot(client, group))]
    assert sorted(hosts) == sorted(cloud.computes)
    # Unlike anti-affinity, a third member still finds a host.
    _host(client, _boot(client, group)[0])


def test_soft_affinity_stacks(start_cloud):
    cloud, client = start_cloud(3, soft_affinity_weight_multiplier=10.0)
    resp = client.post(G, json={'server_group': {
        'name': 'soft', 'policies': ['soft-affinity']}}, version='2.14')
    assert resp.status_int == 400
    group = _group(client, 'soft-affinity')
    uuids = _boot(client, group) + _boot(client, group) + _boot(client,
                                                                group)
    assert len({_host(client, uuid) for uuid in uuids}) == 1


def test_late_check_reschedules_on_an_alternate(start_cloud):
    # A scheduler that ignores anti-affinity, and a big host every
    # server is weighed onto first: the compute must refuse the second
    # member and the build must move to the alternate.
    cloud, client = start_cloud(
        [16, 2], enabled_filters=['AvailabilityZoneFilter',
                                  'ComputeFilter'])
    group = _group(client, 'anti-affinity')
    (first,) = _boot(client, group)
    (second,) = _boot(client, group)
    first_host, second_host = _host(client, first), _host(client, second)
    assert first_host != second_host
    actions = client.get(S + '/%s/os-instance-actions' % second,
                         token='admin').json['instanceActions']
    shown = client.get(S + '/%s/os-instance-actions/%s' % (
        second, actions[-1]['request_id']),
        token='admin').json['instanceAction']
    results = [e['result'] for e in shown['events']]
    assert 'Error' in results and 'Success' in results
    tracebacks = ''.join(e['traceback'] or '' for e in shown['events'])
    assert 'Anti-affinity instance group policy was violated' in tracebacks


def test_late_check_honours_max_server_per_host(start_cloud):
    # As above, with room for two members per host: the big host takes
    # two, the compute refuses the third.
    cloud, client = start_cloud(
        [16, 2], enabled_filters=['AvailabilityZoneFilter',
                                  'ComputeFilter'])
    group = _group(client, 'anti-affinity', max_server_per_host=2)
    uuids = [_boot(client, group)[0] for _ in range(3)]
    hosts = [_host(client, uuid) for uuid in uuids]
    assert hosts[0] == hosts[1] != hosts[2]


def test_late_check_without_alternates_fails_the_build(start_cloud):
    cloud, client = start_cloud(2)
    group = _group(client, 'anti-affinity')
    (first,) = _boot(client, group)
    host = _host(client, first)
    # An admin forcing the host skips the filters, as upstream.
    resp = client.post(S, token='admin', json={
        'server': {'name': 'forced', 'flavorRef': '1', 'imageRef': CIRROS,
                   'networks': 'none', 'availability_zone': 'nova:' + host},
        'os:scheduler_hints': {'group': group}})
    assert resp.status_int == 202, resp.text
    server = _settled(client, resp.json['server']['id'])
    assert server['status'] == 'ERROR'
    assert 'Exhausted all hosts' in server['fault']['message']
