"""[DEFAULT] allow_resize_to_same_host on a one-compute cloud (as
tools/cloud's all-in-one): a resize lands on the server's own host,
confirmed or reverted there; without the option it finds no host and the
server stays as it was. A cold migration never stays on its host."""

import pytest

from nova import placement_client
from tests import nova_services
from tests.functional.nova.api.conftest import flavor_body
from tests.functional.nova.api import test_servers_cloud as servers_cloud

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


# The in-process cloud with one compute (4 vcpus, 4096 MB, 100 GB).
cloud = servers_cloud.cloud


@pytest.fixture
def api(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token='admin', version='2.53')
    for name, flavorid, ram, vcpus in (('m1.tiny', '1', 512, 1),
                                       ('m1.small', '2', 1024, 2)):
        resp = client.post('/v2.1/flavors', json=flavor_body(
            name, flavorid, ram=ram, vcpus=vcpus, disk=1))
        assert resp.status_int == 200, resp.text
    return client


def _wait(api, uuid, status, check=lambda s: True):
    def ready():
        server = api.get(S + '/' + uuid).json['server']
        return (server['status'] == status and
                server['OS-EXT-STS:task_state'] is None and check(server)
                and server)
    return nova_services.wait_for(ready, timeout=30,
                                  what='server %s to be %s' % (uuid, status))


def _act(api, uuid, body, status=202):
    resp = api.post(S + '/%s/action' % uuid, json=body)
    assert resp.status_int == status, resp.text


def _boot(api):
    resp = api.post(S, json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    _wait(api, uuid, 'ACTIVE')
    return uuid


def _wait_no_host(api, uuid, migration_type):
    """The move found no host: its migration ends in error."""
    def failed():
        found = api.get('/v2.1/os-migrations?instance_uuid=' + uuid,
                        version='2.23').json['migrations']
        return found and (found[0]['migration_type'] == migration_type
                          and found[0]['status'] == 'error')
    nova_services.wait_for(failed, timeout=30, what='no host for ' + uuid)
    _wait(api, uuid, 'ACTIVE')


def _resources(uuid):
    held = placement_client.client().get_allocations(uuid)['allocations']
    return [a['resources'] for a in held.values()]


def test_resize_on_the_same_host_when_allowed(api, cloud, cloud_conf):
    cloud_conf.set_override('allow_resize_to_same_host', True)
    uuid = _boot(api)
    (host,) = cloud.computes
    driver = cloud.computes[host].driver
    _act(api, uuid, {'resize': {'flavorRef': '2'}})
    server = _wait(api, uuid, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == host
    _act(api, uuid, {'confirmResize': None}, 204)
    server = _wait(api, uuid, 'ACTIVE')
    assert server['flavor']['original_name'] == 'm1.small'
    assert driver.guests[uuid].flavor.name == 'm1.small'
    assert _resources(uuid) == [{'VCPU': 2, 'MEMORY_MB': 1024,
                                 'DISK_GB': 1}]
    _act(api, uuid, {'resize': {'flavorRef': '1'}})
    _wait(api, uuid, 'VERIFY_RESIZE')
    _act(api, uuid, {'revertResize': None})
    server = _wait(api, uuid, 'ACTIVE',
                   lambda s: s['flavor']['original_name'] == 'm1.small')
    assert driver.guests[uuid].flavor.name == 'm1.small'
    assert driver.guests[uuid].power_state == 1
    assert _resources(uuid) == [{'VCPU': 2, 'MEMORY_MB': 1024,
                                 'DISK_GB': 1}]
    # A cold migration still needs another host.
    _act(api, uuid, {'migrate': None})
    _wait_no_host(api, uuid, 'migration')


def test_resize_finds_no_host_by_default(api, cloud):
    uuid = _boot(api)
    _act(api, uuid, {'resize': {'flavorRef': '2'}})
    _wait_no_host(api, uuid, 'resize')
    server = _wait(api, uuid, 'ACTIVE')
    assert server['flavor']['original_name'] == 'm1.tiny'
