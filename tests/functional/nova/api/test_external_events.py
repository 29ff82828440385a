"""/os-server-external-events: per-event codes and the overall status
over servers written straight into a cell (no service running), and the
event reaching the compute of its server in an in-process cloud, where
it wakes the waiter a driver would have prepared."""

import uuid as uuidlib

import pytest

from nova import cells
from nova.compute import states
from nova.db.api import cell_mappings
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.objects.cell_mapping import CellMapping
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from tests.functional.nova.api.conftest import flavor_body

E = '/v2.1/os-server-external-events'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)


@pytest.fixture
def compute(api_conf):
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    yield direct.ComputeDirect(api_conf, token='admin')
    rpc.cleanup()


@pytest.fixture
def cell(compute, nova_cell_url):
    with engines.api_writer() as conn:
        mapped = cell_mappings.create(conn, CellMapping(
            uuid=str(uuidlib.uuid4()), name='cell1',
            transport_url='fake://', database_connection=nova_cell_url))
    cells.reset_cache()
    yield mapped
    cells.reset_cache()


def _server(cell, host='h1'):
    uuid = str(uuidlib.uuid4())
    with engines.cell_writer(cell) as conn:
        instances.create(conn, Instance(
            uuid=uuid, project_id='p1', user_id='alice', flavor=TINY,
            vm_state=states.ACTIVE if host else states.ERROR, host=host))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, 'p1', cell_id=cell.id)
    return uuid


def _event(uuid, name='network-vif-plugged', **extra):
    return dict(server_uuid=uuid, name=name, **extra)


def test_all_sent_is_200(compute, cell):
    one, two = _server(cell), _server(cell, 'h2')
    resp = compute.post(E, json={'events': [
        _event(one, tag='port-1'), _event(two, 'network-changed',
                                          status='in-progress')]})
    assert resp.status_int == 200, resp.text
    assert resp.json == {'events': [
        {'server_uuid': one, 'name': 'network-vif-plugged',
         'tag': 'port-1', 'status': 'completed', 'code': 200},
        {'server_uuid': two, 'name': 'network-changed',
         'status': 'completed', 'code': 200}]}


def test_some_sent_is_207(compute, cell):
    ok, hostless = _server(cell), _server(cell, host=None)
    unknown = str(uuidlib.uuid4())
    resp = compute.post(E, json={'events': [
        _event(ok), _event(hostless), _event(unknown)]})
    assert resp.status_int == 207, resp.text
    assert [(e['code'], e['status']) for e in resp.json['events']] == [
        (200, 'completed'), (422, 'failed'), (404, 'failed')]


def test_none_sent_is_404(compute, cell):
    resp = compute.post(E, json={'events': [
        _event(str(uuidlib.uuid4())), _event(_server(cell, host=None))]})
    assert resp.status_int == 404
    assert resp.json['itemNotFound']['message'] == (
        'No instances found for any event')


def test_volume_extended_from_2_51(compute, cell):
    body = {'events': [_event(_server(cell), 'volume-extended',
                              tag='vol-1')]}
    assert compute.post(E, json=body, version='2.50').status_int == 400
    assert compute.post(E, json=body, version='2.51').status_int == 200


@pytest.mark.parametrize('body', [
    {}, {'events': []}, {'events': [{'name': 'network-changed'}]},
    {'events': [_event('not-a-uuid')]},
    {'events': [_event(str(uuidlib.uuid4()), 'volume-attached')]},
    {'events': [_event(str(uuidlib.uuid4()), status='done')]},
    {'events': [_event(str(uuidlib.uuid4()), tag='x' * 256)]},
    {'events': [_event(str(uuidlib.uuid4()), extra=1)]},
])
def test_bad_body(compute, cell, body):
    resp = compute.post(E, json=body)
    assert resp.status_int == 400, resp.text


def test_admin_only(compute, cell):
    resp = compute.post(E, json={'events': [_event(_server(cell))]},
                        token='alice:p1')
    assert resp.status_int == 403
    assert 'os-server-external-events:create' in resp.text


# -- end to end


@pytest.fixture
def cloud_api(cloud_conf, new_cloud):
    from nova.api import direct
    cloud = new_cloud()
    cloud.add_compute(vcpus=4, memory_mb=4096, local_gb=100)
    client = direct.ComputeDirect(cloud_conf, token='admin', version='2.53')
    resp = client.post('/v2.1/flavors', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    return cloud, client


def test_event_wakes_the_waiter_on_the_compute(cloud_api):
    cloud, client = cloud_api
    resp = client.post('/v2.1/servers', json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    inst = cloud.wait_for(uuid, vm_state='active')
    manager = cloud.computes[inst.host]
    plugged = manager.instance_events.prepare(uuid, 'network-vif-plugged',
                                              'port-1')
    other = manager.instance_events.prepare(uuid, 'network-vif-plugged',
                                            'port-2')
    resp = client.post(E, json={'events': [
        _event(uuid, tag='port-1', status='failed')]})
    assert resp.status_int == 200, resp.text
    assert plugged.wait(10) == 'failed'
    assert other.wait(0.2) is None
    # Deleting the server fails whoever still waits.
    assert client.delete('/v2.1/servers/' + uuid).status_int == 204
    assert other.wait(10) == 'failed'
