"""/os-availability-zone over two cells (rows written directly): zones
from aggregate metadata, the default and internal zones, availability by
enabled services, the admin-only detail; and server create asking for a
zone that no enabled service is in."""

import pytest

from tests.functional.nova.api.conftest import flavor_body

Z = '/v2.1/os-availability-zone'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


@pytest.fixture
def zoned(compute, hosts):
    """cmp1 (cell1) in nova; cmp2 (cell2) in az1; cmp3 (cell2, disabled)
    in az2; a scheduler and a conductor (internal)."""
    hosts.compute('cell1', 'cmp1')
    hosts.compute('cell2', 'cmp2', up=False)
    hosts.compute('cell2', 'cmp3', disabled=True)
    hosts.service('cell1', 'ctl', 'nova-scheduler')
    hosts.service('cell1', 'ctl', 'nova-conductor', disabled=True)
    for name, zone, host in (('a1', 'az1', 'cmp2'), ('a2', 'az2', 'cmp3')):
        agg = compute.post('/v2.1/os-aggregates', json={'aggregate': {
            'name': name, 'availability_zone': zone}}).json['aggregate']
        resp = compute.post('/v2.1/os-aggregates/%d/action' % agg['id'],
                            json={'add_host': {'host': host}})
        assert resp.status_int == 200, resp.text
    return hosts


def test_list(compute, zoned):
    for token in ('admin', 'alice:p1'):
        body = compute.get(Z, token=token).json
        assert body == {'availabilityZoneInfo': [
            {'zoneName': 'nova', 'zoneState': {'available': True},
             'hosts': None},
            {'zoneName': 'az1', 'zoneState': {'available': True},
             'hosts': None},
            {'zoneName': 'az2', 'zoneState': {'available': False},
             'hosts': None}]}


def test_detail(compute, zoned):
    info = compute.get(Z + '/detail').json['availabilityZoneInfo']
    by_zone = {z['zoneName']: z for z in info}
    assert [z['zoneName'] for z in info] == ['nova', 'internal', 'az1',
                                             'az2']
    assert by_zone['az2'] == {'zoneName': 'az2',
                              'zoneState': {'available': False},
                              'hosts': None}
    cmp1 = by_zone['nova']['hosts']['cmp1']['nova-compute']
    assert (cmp1['available'], cmp1['active']) == (True, True)
    assert by_zone['az1']['hosts']['cmp2']['nova-compute']['available'] is (
        False)
    # Disabled services are not shown under available zones.
    assert by_zone['internal']['hosts'] == {
        'ctl': {'nova-scheduler': by_zone['internal']['hosts']['ctl'][
            'nova-scheduler']}}
    resp = compute.get(Z + '/detail', token='alice:p1')
    assert resp.status_int == 403
    assert 'os_compute_api:os-availability-zone:detail' in resp.text


def test_zone_follows_aggregate_changes(compute, zoned):
    agg = compute.get('/v2.1/os-aggregates').json['aggregates'][0]
    resp = compute.post('/v2.1/os-aggregates/%d/action' % agg['id'],
                        json={'set_metadata': {'metadata': {
                            'availability_zone': 'renamed'}}})
    assert resp.status_int == 200, resp.text
    names = [z['zoneName'] for z in
             compute.get(Z).json['availabilityZoneInfo']]
    assert names == ['nova', 'renamed', 'az2']


def test_empty_cloud(compute, hosts):
    assert compute.get(Z).json == {'availabilityZoneInfo': []}


def test_create_server_in_unknown_zone(compute, zoned):
    resp = compute.post('/v2.1/flavors', json=flavor_body('tiny', '1'))
    assert resp.status_int == 200
    for zone in ('nowhere', 'az2'):  # az2: its only service is disabled
        resp = compute.post('/v2.1/servers', token='alice:p1', json={
            'server': {'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
                       'availability_zone': zone}})
        assert resp.status_int == 400, resp.text
        assert resp.json['badRequest']['message'] == (
            'The requested availability zone is not available')
