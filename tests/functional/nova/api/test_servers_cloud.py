"""/servers end to end: the API in-process (paste pipeline, noauth2) over
an in-process cloud (tests/nova_cloud.py: scheduler, conductor, fake
computes on the fake transport, a real placement), cell1 on each backend
and cell0 on SQLite."""

import pytest

from tests import nova_services
from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ALICE = 'alice:p1'


@pytest.fixture
def cloud(new_cloud):
    cloud = new_cloud()
    # Unique names: placement outlives the test (module scope).
    cloud.add_compute(vcpus=4, memory_mb=4096, local_gb=100)
    return cloud


@pytest.fixture
def compute(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token=ALICE, version='2.53')
    for name, flavorid, ram, vcpus in (('m1.tiny', '1', 512, 1),
                                       ('m1.small', '2', 1024, 2),
                                       ('m1.huge', '3', 512, 64)):
        resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
            name, flavorid, ram=ram, vcpus=vcpus, disk=1))
        assert resp.status_int == 200, resp.text
    return client


def _boot(compute, name='vm', flavor='1', **extra):
    resp = compute.post(S, json={'server': dict(
        name=name, flavorRef=flavor, imageRef=CIRROS, networks='none',
        **extra)})
    assert resp.status_int == 202, resp.text
    return resp.json['server']['id']


def _wait(compute, uuid, status, task_state=None, timeout=30):
    def ready():
        resp = compute.get(S + '/' + uuid)
        if status == 404:
            return resp.status_int == 404
        server = resp.json['server']
        return (server['status'] == status and
                server['OS-EXT-STS:task_state'] == task_state) and server
    return nova_services.wait_for(ready, timeout=timeout,
                                  what='server %s to be %s' % (uuid, status))


def _act(compute, uuid, body, status=202):
    resp = compute.post(S + '/%s/action' % uuid, json=body)
    assert resp.status_int == status, resp.text
    return resp


def test_boot_act_and_delete(compute, cloud):
    uuid = _boot(compute)
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['OS-EXT-STS:power_state'] == 1
    assert server['hostId']
    admin = compute.get(S + '/' + uuid, token='admin').json['server']
    assert admin['OS-EXT-SRV-ATTR:host'] in cloud.computes
    assert admin['host_status'] == 'UP'
    (listed,) = compute.get(S + '/detail').json['servers']
    assert listed['status'] == 'ACTIVE'

    _act(compute, uuid, {'os-stop': None})
    _wait(compute, uuid, 'SHUTOFF')
    resp = _act(compute, uuid, {'reboot': {'type': 'SOFT'}}, 409)
    assert 'while it is in vm_state stopped' in resp.text
    _act(compute, uuid, {'os-start': None})
    _wait(compute, uuid, 'ACTIVE')
    _act(compute, uuid, {'reboot': {'type': 'HARD'}})
    _wait(compute, uuid, 'ACTIVE')
    _act(compute, uuid, {'pause': None})
    _wait(compute, uuid, 'PAUSED')
    _act(compute, uuid, {'unpause': None})
    _wait(compute, uuid, 'ACTIVE')
    _act(compute, uuid, {'suspend': None})
    _wait(compute, uuid, 'SUSPENDED')
    _act(compute, uuid, {'resume': None})
    _wait(compute, uuid, 'ACTIVE')
    _act(compute, uuid, {'rebuild': {'imageRef': CIRROS, 'name': 'again'}})
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['name'] == 'again'

    actions = compute.get(S + '/%s/os-instance-actions' % uuid).json[
        'instanceActions']
    assert [a['action'] for a in actions][:3] == ['rebuild', 'resume',
                                                  'suspend']
    shown = compute.get(S + '/%s/os-instance-actions/%s' % (
        uuid, actions[0]['request_id'])).json['instanceAction']
    assert shown['events'] and shown['events'][0]['result'] == 'Success'

    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 404)
    assert compute.get(S).json['servers'] == []
    resp = compute.get(S + '/%s/os-instance-actions' % uuid,
                       version='2.21')
    assert resp.status_int == 200, resp.text
    assert resp.json['instanceActions'][0]['action'] == 'delete'


def test_no_valid_host_ends_in_error_with_a_fault(compute, cloud, cloud_conf):
    cloud_conf.set_override('cores', 100, group='quota')
    uuid = _boot(compute, flavor='3')
    server = _wait(compute, uuid, 'ERROR')
    assert server['fault']['code'] == 500
    assert 'No valid host' in server['fault']['message']
    # A server in cell0 has no host: it is deleted by the API itself.
    assert compute.delete(S + '/' + uuid).status_int == 204
    assert compute.get(S + '/' + uuid).status_int == 404


def test_resize_confirm_and_revert(compute, cloud):
    cloud.add_compute(vcpus=4, memory_mb=4096, local_gb=100)
    uuid = _boot(compute)
    _wait(compute, uuid, 'ACTIVE')
    resp = _act(compute, uuid, {'resize': {'flavorRef': '1'}}, 400)
    assert 'must change flavor' in resp.text
    _act(compute, uuid, {'confirmResize': None}, 409)
    _act(compute, uuid, {'resize': {'flavorRef': '2'}})
    server = _wait(compute, uuid, 'VERIFY_RESIZE')
    assert server['flavor']['original_name'] == 'm1.small'
    _act(compute, uuid, {'confirmResize': None}, 204)
    _wait(compute, uuid, 'ACTIVE')
    _act(compute, uuid, {'resize': {'flavorRef': '1'}})
    _wait(compute, uuid, 'VERIFY_RESIZE')
    _act(compute, uuid, {'revertResize': None})
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['flavor']['original_name'] == 'm1.small'


def test_console_output(compute, cloud):
    uuid = _boot(compute)
    _wait(compute, uuid, 'ACTIVE')
    resp = _act(compute, uuid, {'os-getConsoleOutput': {'length': 5}}, 200)
    assert isinstance(resp.json['output'], str)
