"""/os-aggregates: CRUD, add_host/remove_host/set_metadata with
upstream's validation, the 2.41 uuid, policy; membership mirrored into
placement (a real one); and servers scheduled into the zone they ask for
(an in-process cloud with fake computes)."""

import uuid as uuidlib

import pytest
import requests

from nova import availability_zones
from nova.db.api import host_mappings
from nova.db import engines
from tests.functional.nova.api.conftest import flavor_body
from tests import nova_services

A = '/v2.1/os-aggregates'
PLACEMENT = {'X-Auth-Token': 'admin',
             'OpenStack-API-Version': 'placement 1.39'}
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


@pytest.fixture
def computes(hosts):
    hosts.compute('cell1', 'cmp1')
    hosts.compute('cell2', 'cmp2')
    hosts.compute('cell2', 'unmapped', mapped=False)
    hosts.service('cell1', 'ctl', 'nova-scheduler')
    return hosts


def _create(compute, name, zone=None, status=200, version=None):
    body = {'name': name}
    if zone is not None:
        body['availability_zone'] = zone
    resp = compute.post(A, json={'aggregate': body}, version=version)
    assert resp.status_int == status, resp.text
    return resp.json.get('aggregate') if status == 200 else resp


def _act(compute, id, action, body, status=200):
    resp = compute.post(A + '/%s/action' % id, json={action: body})
    assert resp.status_int == status, resp.text
    return resp.json.get('aggregate') if status == 200 else resp


def test_crud(compute, computes):
    created = _create(compute, 'agg1', 'az1')
    assert set(created) == {'id', 'name', 'availability_zone', 'created_at',
                            'updated_at', 'deleted', 'deleted_at'}
    assert (created['name'], created['availability_zone'],
            created['deleted'], created['deleted_at']) == (
        'agg1', 'az1', False, None)
    with_uuid = _create(compute, 'agg2', version='2.41')
    assert uuidlib.UUID(with_uuid['uuid'])
    assert with_uuid['availability_zone'] is None
    shown = compute.get(A + '/%d' % created['id']).json['aggregate']
    assert (shown['hosts'], shown['metadata']) == (
        [], {'availability_zone': 'az1'})
    assert 'uuid' not in shown
    assert 'uuid' in compute.get(A + '/%d' % created['id'],
                                 version='2.41').json['aggregate']
    assert [a['name'] for a in compute.get(A).json['aggregates']] == [
        'agg1', 'agg2']

    resp = compute.put(A + '/%d' % created['id'], json={'aggregate': {
        'name': 'renamed', 'availability_zone': 'az9'}})
    assert resp.status_int == 200, resp.text
    updated = resp.json['aggregate']
    assert (updated['name'], updated['availability_zone'],
            updated['metadata']) == ('renamed', 'az9',
                                     {'availability_zone': 'az9'})
    assert updated['updated_at'] is not None

    resp = compute.delete(A + '/%d' % created['id'])
    assert (resp.status_int, resp.body) == (200, b'')
    assert compute.get(A + '/%d' % created['id']).status_int == 404
    assert compute.delete(A + '/%d' % created['id']).status_int == 404


@pytest.mark.parametrize('body', [
    {}, {'aggregate': {}}, {'aggregate': {'name': ''}},
    {'aggregate': {'name': ' lead'}}, {'aggregate': {'name': 'x' * 256}},
    {'aggregate': {'name': 'a', 'availability_zone': 'a:b'}},
    {'aggregate': {'name': 'a', 'availability_zone': ''}},
    {'aggregate': {'name': 'a', 'extra': 1}},
])
def test_create_bad_body(compute, computes, body):
    resp = compute.post(A, json=body)
    assert resp.status_int == 400, resp.text


def test_name_conflicts(compute, computes):
    first = _create(compute, 'dup')
    resp = _create(compute, 'dup', status=409)
    assert resp.json['conflictingRequest']['message'] == (
        'Aggregate dup already exists.')
    other = _create(compute, 'other')
    resp = compute.put(A + '/%d' % other['id'],
                       json={'aggregate': {'name': 'dup'}})
    assert resp.status_int == 409
    # Renaming to its own name is fine.
    resp = compute.put(A + '/%d' % first['id'],
                       json={'aggregate': {'name': 'dup'}})
    assert resp.status_int == 200


def test_update_errors(compute, computes):
    agg = _create(compute, 'agg', 'az1')
    for body, status in (({'aggregate': {}}, 400),
                         ({'aggregate': {'hosts': []}}, 400),
                         ({'aggregate': {'availability_zone': None}}, 400)):
        resp = compute.put(A + '/%d' % agg['id'], json=body)
        assert resp.status_int == status, (body, resp.text)
    resp = compute.put(A + '/abc', json={'aggregate': {'name': 'x'}})
    assert resp.status_int == 400
    resp = compute.put(A + '/999', json={'aggregate': {'name': 'x'}})
    assert resp.status_int == 404


def test_hosts(compute, computes):
    agg = _create(compute, 'agg', 'az1')
    added = _act(compute, agg['id'], 'add_host', {'host': 'cmp1'})
    assert (added['hosts'], added['availability_zone']) == (['cmp1'], 'az1')
    added = _act(compute, agg['id'], 'add_host', {'host': 'cmp2'})
    assert added['hosts'] == ['cmp1', 'cmp2']
    resp = _act(compute, agg['id'], 'add_host', {'host': 'cmp1'}, 409)
    assert 'already has host cmp1' in resp.text
    for host in ('nowhere', 'unmapped'):
        _act(compute, agg['id'], 'add_host', {'host': host}, 404)
    # The scheduler's host is mapped nowhere: not a compute host.
    _act(compute, agg['id'], 'add_host', {'host': 'ctl'}, 404)
    _act(compute, 999, 'add_host', {'host': 'cmp1'}, 404)
    _act(compute, 'abc', 'add_host', {'host': 'cmp1'}, 400)
    _act(compute, agg['id'], 'add_host', {'host': 'bad host'}, 400)
    _act(compute, agg['id'], 'add_host', {}, 400)
    resp = compute.post(A + '/%d/action' % agg['id'],
                        json={'reboot': {}})
    assert resp.status_int == 400

    resp = compute.delete(A + '/%d' % agg['id'])
    assert resp.status_int == 400
    assert 'not empty' in resp.text

    removed = _act(compute, agg['id'], 'remove_host', {'host': 'cmp1'})
    assert removed['hosts'] == ['cmp2']
    resp = _act(compute, agg['id'], 'remove_host', {'host': 'cmp1'}, 404)
    assert resp.json['itemNotFound']['message'] == (
        'Cannot remove host cmp1 in aggregate %d' % agg['id'])
    _act(compute, agg['id'], 'remove_host', {'host': 'nowhere'}, 404)
    _act(compute, 999, 'remove_host', {'host': 'cmp2'}, 404)


def test_one_zone_per_host(compute, computes):
    a1 = _create(compute, 'a1', 'az1')
    a2 = _create(compute, 'a2', 'az2')
    plain = _create(compute, 'plain')
    same = _create(compute, 'same', 'az1')
    _act(compute, a1['id'], 'add_host', {'host': 'cmp1'})
    resp = _act(compute, a2['id'], 'add_host', {'host': 'cmp1'}, 409)
    assert "One or more hosts already in availability zone(s) ['az1']" in (
        resp.json['conflictingRequest']['message'])
    _act(compute, same['id'], 'add_host', {'host': 'cmp1'})
    _act(compute, plain['id'], 'add_host', {'host': 'cmp1'})
    # A zone for an aggregate whose host is in another zone: 400.
    resp = _act(compute, plain['id'], 'set_metadata',
                {'metadata': {'availability_zone': 'az2'}}, 400)
    assert 'Cannot update metadata of aggregate' in resp.text
    resp = compute.put(A + '/%d' % plain['id'], json={'aggregate': {
        'availability_zone': 'az2'}})
    assert resp.status_int == 400
    assert 'Cannot update aggregate' in resp.text
    # Both of cmp1's zoned aggregates say az1: renaming one alone would
    # put it in two zones.
    _act(compute, a1['id'], 'set_metadata',
         {'metadata': {'availability_zone': 'az3'}}, 400)
    # A zone once set cannot be emptied (upstream).
    _act(compute, a1['id'], 'set_metadata',
         {'metadata': {'availability_zone': None}}, 400)


def test_set_metadata(compute, computes):
    agg = _create(compute, 'agg')
    got = _act(compute, agg['id'], 'set_metadata',
               {'metadata': {'ssd': 'true', 'gpu': 'no'}})
    assert got['metadata'] == {'ssd': 'true', 'gpu': 'no'}
    got = _act(compute, agg['id'], 'set_metadata',
               {'metadata': {'gpu': None, 'missing': None, 'ssd': 'false'}})
    assert got['metadata'] == {'ssd': 'false'}
    got = _act(compute, agg['id'], 'set_metadata',
               {'metadata': {'availability_zone': 'az7'}})
    assert got['availability_zone'] == 'az7'
    for metadata in ({'bad/key': 'x'}, {'k': 'x' * 256}, {'k': 1}):
        _act(compute, agg['id'], 'set_metadata', {'metadata': metadata},
             400)
    _act(compute, agg['id'], 'set_metadata', {}, 400)
    _act(compute, 999, 'set_metadata', {'metadata': {'a': 'b'}}, 404)


@pytest.mark.parametrize('method,path,body', [
    ('GET', '', None), ('POST', '', {'aggregate': {'name': 'x'}}),
    ('GET', '/1', None), ('PUT', '/1', {'aggregate': {'name': 'x'}}),
    ('DELETE', '/1', None),
    ('POST', '/1/action', {'add_host': {'host': 'cmp1'}}),
    ('POST', '/1/action', {'remove_host': {'host': 'cmp1'}}),
    ('POST', '/1/action', {'set_metadata': {'metadata': {}}})])
def test_admin_only(compute, computes, method, path, body):
    resp = compute.request(method, A + path, json=body, token='alice:p1')
    assert resp.status_int == 403, resp.text
    assert 'os_compute_api:os-aggregates:' in resp.text


# -- placement


def _rp_aggregates(url, uuid):
    resp = requests.get(url + '/resource_providers/%s/aggregates' % uuid,
                        headers=PLACEMENT, timeout=30)
    assert resp.status_code == 200, resp.text
    return set(resp.json()['aggregates'])


def test_membership_mirrored_in_placement(compute, api_conf, hosts,
                                          placement_server):
    api_conf.set_override('endpoint_override', placement_server.url,
                          group='placement')
    url = placement_server.url
    host = 'mirror-' + uuidlib.uuid4().hex[:6]
    _svc, nodes = hosts.compute('cell2', host, nodes=[host + '-a',
                                                      host + '-b'])
    for node in nodes:
        resp = requests.post(url + '/resource_providers', headers=PLACEMENT,
                             timeout=30,
                             json={'uuid': node.uuid, 'name': node.uuid})
        assert resp.status_code == 200, resp.text
    # Someone else's aggregate on the first provider stays.
    foreign = str(uuidlib.uuid4())
    resp = requests.put(url + '/resource_providers/%s/aggregates'
                        % nodes[0].uuid, headers=PLACEMENT, timeout=30,
                        json={'aggregates': [foreign],
                              'resource_provider_generation': 0})
    assert resp.status_code == 200, resp.text
    agg1 = _create(compute, 'p1-' + host, version='2.41')
    agg2 = _create(compute, 'p2-' + host, version='2.41')
    for agg in (agg1, agg2):
        _act(compute, agg['id'], 'add_host', {'host': host})
    assert _rp_aggregates(url, nodes[0].uuid) == {
        foreign, agg1['uuid'], agg2['uuid']}
    assert _rp_aggregates(url, nodes[1].uuid) == {agg1['uuid'],
                                                  agg2['uuid']}
    _act(compute, agg1['id'], 'remove_host', {'host': host})
    assert _rp_aggregates(url, nodes[0].uuid) == {foreign, agg2['uuid']}
    assert _rp_aggregates(url, nodes[1].uuid) == {agg2['uuid']}


def test_placement_down_does_not_fail_the_api(compute, api_conf, hosts):
    api_conf.set_override('endpoint_override', 'http://127.0.0.1:9',
                          group='placement')
    hosts.compute('cell1', 'cmp1')
    agg = _create(compute, 'agg')
    assert _act(compute, agg['id'], 'add_host',
                {'host': 'cmp1'})['hosts'] == ['cmp1']


# -- scheduling into a zone (in-process cloud)


@pytest.fixture
def cloud(new_cloud):
    cloud = new_cloud()
    availability_zones.reset_cache()
    # Unique names: placement outlives the test (module scope).
    suffix = uuidlib.uuid4().hex[:6]
    for name in ('in-az-', 'out-'):
        cloud.add_compute(name + suffix)
    with engines.api_writer() as conn:
        for host in cloud.computes:
            host_mappings.create(conn, host, cloud.cells['cell1'].id)
    yield cloud
    availability_zones.reset_cache()


def test_servers_land_in_the_zone_they_ask_for(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token='admin', version='2.53')
    assert client.post('/v2.1/flavors', json=flavor_body(
        'tiny', '1', ram=256, disk=1)).status_int == 200
    in_az = next(h for h in cloud.computes if h.startswith('in-az-'))
    agg = _create(client, 'zone-' + in_az, 'az1')
    _act(client, agg['id'], 'add_host', {'host': in_az})
    # The zone's provider carries the aggregate in placement too.
    shown = client.get('/v2.1/os-hypervisors/detail').json['hypervisors']
    node_uuid = next(h['id'] for h in shown if h['service']['host'] == in_az)
    assert _rp_aggregates(cloud_conf.placement.endpoint_override,
                          node_uuid) == {_uuid_of(client, agg['id'])}

    resp = client.post('/v2.1/servers', json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none', 'availability_zone': 'az1', 'min_count': 3}})
    assert resp.status_int == 202, resp.text

    def all_active():
        servers = client.get('/v2.1/servers/detail').json['servers']
        return len(servers) == 3 and all(
            s['status'] == 'ACTIVE' for s in servers) and servers
    servers = nova_services.wait_for(all_active, timeout=60,
                                     what='3 servers ACTIVE')
    assert {s['OS-EXT-SRV-ATTR:host'] for s in servers} == {in_az}
    assert {s['OS-EXT-AZ:availability_zone'] for s in servers} == {'az1'}

    # Without a zone, the default zone's host is as good as any; asking
    # for "nova" means the other host only.
    resp = client.post('/v2.1/servers', json={'server': {
        'name': 'plain', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none', 'availability_zone': 'nova'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']

    def active():
        server = client.get('/v2.1/servers/' + uuid).json['server']
        return server['status'] == 'ACTIVE' and server
    server = nova_services.wait_for(active, timeout=60, what='ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'].startswith('out-')
    assert server['OS-EXT-AZ:availability_zone'] == 'nova'


def _uuid_of(client, id):
    return client.get(A + '/%d' % id, version='2.41').json['aggregate'][
        'uuid']
