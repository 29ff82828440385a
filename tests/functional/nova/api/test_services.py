"""/os-services over two cells (rows written directly): listing with
zones and filters, the pre-2.53 enable/disable/force-down actions, 2.53's
PUT by uuid, delete (a compute's nodes, host mapping, aggregate
membership and resource providers go with it), policy."""

import uuid as uuidlib

import pytest
import requests

from nova.db.api import host_mappings
from nova.db import engines
from nova.db.main import services
from nova.db.main import tables

S = '/v2.1/os-services'
PLACEMENT = {'X-Auth-Token': 'admin',
             'OpenStack-API-Version': 'placement 1.39'}


@pytest.fixture
def svcs(hosts):
    c1, _ = hosts.compute('cell1', 'cmp1')
    c2, _ = hosts.compute('cell2', 'cmp2', up=False)
    sched = hosts.service('cell1', 'ctl', 'nova-scheduler')
    hosts.service('cell1', 'ctl', 'nova-osapi_compute')  # never listed
    return {'c1': c1, 'c2': c2, 'sched': sched}


def _get(hosts, cell, id):
    with engines.cell_reader(hosts.cells[cell]) as conn:
        return services.get(conn, id)


def test_list(compute, svcs):
    listed = compute.get(S, version='2.1').json['services']
    assert [(s['id'], s['binary'], s['host'], s['zone'], s['status'],
             s['state']) for s in listed] == [
        (svcs['c1'].id, 'nova-compute', 'cmp1', 'nova', 'enabled', 'up'),
        (svcs['sched'].id, 'nova-scheduler', 'ctl', 'internal', 'enabled',
         'up'),
        (svcs['c2'].id, 'nova-compute', 'cmp2', 'nova', 'enabled', 'down')]
    assert 'forced_down' not in listed[0]
    assert listed[0]['disabled_reason'] is None
    assert listed[0]['updated_at'] is None or 'T' in listed[0]['updated_at']
    listed = compute.get(S, version='2.11').json['services']
    assert listed[0]['forced_down'] is False
    listed = compute.get(S, version='2.53').json['services']
    assert [s['id'] for s in listed] == [
        svcs['c1'].uuid, svcs['sched'].uuid, svcs['c2'].uuid]
    assert [s['host'] for s in compute.get(S + '?host=cmp2').json[
        'services']] == ['cmp2']
    assert [s['host'] for s in compute.get(
        S + '?binary=nova-compute').json['services']] == ['cmp1', 'cmp2']
    assert compute.get(S + '?host=nope').json == {'services': []}


def test_zone_from_aggregate(compute, svcs):
    resp = compute.post('/v2.1/os-aggregates', json={'aggregate': {
        'name': 'agg1', 'availability_zone': 'az1'}})
    agg = resp.json['aggregate']['id']
    resp = compute.post('/v2.1/os-aggregates/%d/action' % agg,
                        json={'add_host': {'host': 'cmp2'}})
    assert resp.status_int == 200, resp.text
    zones = {s['host']: s['zone'] for s in compute.get(S).json['services']}
    assert zones == {'cmp1': 'nova', 'ctl': 'internal', 'cmp2': 'az1'}


def test_legacy_enable_disable(compute, hosts, svcs):
    def put(action, version='2.1', **body):
        return compute.put(S + '/' + action, version=version, json=body)
    resp = put('disable', host='cmp1', binary='nova-compute')
    assert resp.status_int == 200, resp.text
    assert resp.json == {'service': {'host': 'cmp1',
                                     'binary': 'nova-compute',
                                     'status': 'disabled'}}
    assert _get(hosts, 'cell1', svcs['c1'].id).disabled
    resp = put('disable-log-reason', host='cmp2', binary='nova-compute',
               disabled_reason='broken fan')
    assert resp.json['service'] == {
        'host': 'cmp2', 'binary': 'nova-compute', 'status': 'disabled',
        'disabled_reason': 'broken fan'}
    stored = _get(hosts, 'cell2', svcs['c2'].id)
    assert (stored.disabled, stored.disabled_reason) == (True, 'broken fan')
    listed = {s['host']: s for s in compute.get(S).json['services']}
    assert listed['cmp2']['status'] == 'disabled'
    assert listed['cmp2']['disabled_reason'] == 'broken fan'
    resp = put('enable', host='cmp2', binary='nova-compute')
    assert resp.json['service']['status'] == 'enabled'
    stored = _get(hosts, 'cell2', svcs['c2'].id)
    assert (stored.disabled, stored.disabled_reason) == (False, None)


def test_legacy_force_down_from_211(compute, hosts, svcs):
    body = {'host': 'cmp1', 'binary': 'nova-compute', 'forced_down': True}
    resp = compute.put(S + '/force-down', version='2.10', json=body)
    assert resp.status_int == 400  # forced_down is unknown to 2.10's body
    resp = compute.put(S + '/force-down', version='2.10', json={
        'host': 'cmp1', 'binary': 'nova-compute'})
    assert resp.status_int == 404
    resp = compute.put(S + '/force-down', version='2.11', json=body)
    assert resp.status_int == 200, resp.text
    assert resp.json == {'service': {'host': 'cmp1',
                                     'binary': 'nova-compute',
                                     'forced_down': True}}
    listed = {s['host']: s for s in compute.get(S, version='2.11')
              .json['services']}
    assert (listed['cmp1']['forced_down'], listed['cmp1']['state']) == (
        True, 'down')
    resp = compute.put(S + '/force-down', version='2.11', json={
        'host': 'cmp1', 'binary': 'nova-compute', 'forced_down': 'no'})
    assert resp.json['service']['forced_down'] is False
    resp = compute.put(S + '/force-down', version='2.11', json={
        'host': 'cmp1', 'binary': 'nova-compute'})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == 'Missing forced_down field'


@pytest.mark.parametrize('action,body,status', [
    ('disable', {'host': 'cmp1'}, 400),
    ('disable', {'host': 'cmp1', 'binary': 'nova-compute', 'x': 1}, 400),
    ('disable', {'host': 'bad host', 'binary': 'nova-compute'}, 400),
    ('disable-log-reason', {'host': 'cmp1', 'binary': 'nova-compute'}, 400),
    ('disable-log-reason', {'host': 'cmp1', 'binary': 'nova-compute',
                            'disabled_reason': ''}, 400),
    ('reboot', {'host': 'cmp1', 'binary': 'nova-compute'}, 404),
    ('disable', {'host': 'nowhere', 'binary': 'nova-compute'}, 404),
    ('disable', {'host': 'cmp1', 'binary': 'nova-conductor'}, 404),
    # A scheduler's host has no host mapping (upstream: 404).
    ('disable', {'host': 'ctl', 'binary': 'nova-scheduler'}, 404),
])
def test_legacy_errors(compute, svcs, action, body, status):
    resp = compute.put(S + '/' + action, version='2.52', json=body)
    assert resp.status_int == status, resp.text


def test_update_by_uuid_from_253(compute, hosts, svcs):
    url = S + '/' + svcs['c1'].uuid
    resp = compute.put(url, version='2.53', json={
        'status': 'disabled', 'disabled_reason': 'upgrade'})
    assert resp.status_int == 200, resp.text
    svc = resp.json['service']
    assert (svc['id'], svc['status'], svc['disabled_reason'],
            svc['forced_down'], svc['zone']) == (
        svcs['c1'].uuid, 'disabled', 'upgrade', False, 'nova')
    resp = compute.put(url, version='2.53', json={'forced_down': True})
    assert (resp.json['service']['forced_down'],
            resp.json['service']['state'],
            resp.json['service']['status']) == (True, 'down', 'disabled')
    resp = compute.put(url, version='2.53', json={'status': 'enabled'})
    assert (resp.json['service']['status'],
            resp.json['service']['disabled_reason']) == ('enabled', None)
    stored = _get(hosts, 'cell1', svcs['c1'].id)
    assert (stored.disabled, stored.forced_down) == (False, True)


@pytest.mark.parametrize('target,body,status,words', [
    ('c1', {}, 400, 'No updates were requested'),
    ('c1', {'disabled_reason': 'x'}, 400, 'No updates were requested'),
    ('c1', {'status': 'enabled', 'disabled_reason': 'x'}, 400,
     "'disabled_reason' with status 'enabled'"),
    ('c1', {'status': 'off'}, 400, 'status'),
    ('c1', {'host': 'cmp1'}, 400, 'host'),
    ('sched', {'status': 'disabled'}, 400,
     'Updating a nova-scheduler service is not supported'),
    ('random', {'status': 'disabled'}, 404, 'could not be found'),
    ('notauuid', {'status': 'disabled'}, 400, 'Invalid uuid notauuid'),
])
def test_update_by_uuid_errors(compute, svcs, target, body, status, words):
    id = (svcs[target].uuid if target in svcs else
          str(uuidlib.uuid4()) if target == 'random' else target)
    resp = compute.put(S + '/' + id, version='2.53', json=body)
    assert resp.status_int == status, resp.text
    assert words in resp.text


def test_legacy_action_names_are_not_uuids_at_253(compute, svcs):
    resp = compute.put(S + '/disable', version='2.53', json={
        'status': 'disabled'})
    assert resp.status_int == 400
    assert 'Invalid uuid disable' in resp.text


def test_delete(compute, hosts, svcs):
    # Integer ids are per cell: one in cell2 with cmp1's id (cell1).
    with engines.cell_writer(hosts.cells['cell2']) as conn:
        if services.get(conn, svcs['c1'].id) is None:
            conn.execute(tables.services.insert().values(
                id=svcs['c1'].id, uuid=str(uuidlib.uuid4()), host='twin',
                binary='nova-conductor', topic='conductor', report_count=0,
                deleted=0))
    resp = compute.delete(S + '/%d' % svcs['c1'].id, version='2.52')
    assert resp.status_int == 400
    assert 'refers to multiple services' in resp.text
    resp = compute.delete(S + '/%d' % svcs['sched'].id, version='2.52')
    assert resp.status_int == 204, resp.text
    assert _get(hosts, 'cell1', svcs['sched'].id) is None
    assert compute.delete(S + '/%d' % svcs['sched'].id,
                          version='2.52').status_int == 404
    assert compute.delete(S + '/abc', version='2.52').status_int == 400
    assert compute.delete(S + '/abc', version='2.53').status_int == 400
    assert compute.delete(S + '/' + str(uuidlib.uuid4()),
                          version='2.53').status_int == 404
    resp = compute.delete(S + '/' + svcs['c2'].uuid, version='2.53')
    assert resp.status_int == 204
    listed = [s['host'] for s in compute.get(S).json['services']]
    assert 'cmp1' in listed and 'cmp2' not in listed
    # Its compute node and host mapping went with it.
    assert [h['hypervisor_hostname'] for h in compute.get(
        '/v2.1/os-hypervisors').json['hypervisors']] == ['cmp1']
    with engines.api_reader() as conn:
        assert host_mappings.mapped_hosts(conn, ['cmp1', 'cmp2']) == {
            'cmp1'}


def test_delete_compute_cleans_placement_and_aggregates(
        compute, api_conf, hosts, placement_server):
    api_conf.set_override('endpoint_override', placement_server.url,
                          group='placement')
    svc, (node,) = hosts.compute('cell1', 'gone-' + uuidlib.uuid4().hex[:6])
    resp = requests.post(placement_server.url + '/resource_providers',
                         headers=PLACEMENT, timeout=30,
                         json={'uuid': node.uuid, 'name': node.uuid})
    assert resp.status_code == 200, resp.text
    agg = compute.post('/v2.1/os-aggregates', json={'aggregate': {
        'name': 'agg-' + node.uuid}}).json['aggregate']
    resp = compute.post('/v2.1/os-aggregates/%d/action' % agg['id'],
                        json={'add_host': {'host': svc.host}})
    assert resp.status_int == 200
    resp = compute.delete(S + '/' + svc.uuid, version='2.53')
    assert resp.status_int == 204
    resp = requests.get(placement_server.url + '/resource_providers/'
                        + node.uuid, headers=PLACEMENT, timeout=30)
    assert resp.status_code == 404
    shown = compute.get('/v2.1/os-aggregates/%d' % agg['id']).json
    assert shown['aggregate']['hosts'] == []


@pytest.mark.parametrize('method,path,version', [
    ('GET', '', '2.1'), ('PUT', '/disable', '2.1'),
    ('PUT', '/6f0c5b4e-1f43-4a39-9a5a-2d8f3c8b7e01', '2.53'),
    ('DELETE', '/1', '2.1')])
def test_admin_only(compute, svcs, method, path, version):
    body = ({'host': 'cmp1', 'binary': 'nova-compute'} if path == '/disable'
            else {'status': 'disabled'} if method == 'PUT' else None)
    resp = compute.request(method, S + path, json=body, version=version,
                           token='alice:p1')
    assert resp.status_int == 403, resp.text
    assert 'os_compute_api:os-services' in resp.text
