"""Live migration, evacuation and cold migration to a named host, end to
end: the API in-process over an in-process cloud with two fake computes
(tests/nova_cloud.py) and a real placement; the allocations are read back
from placement."""

import uuid as uuidlib

import pytest

from nova.compute import manager as compute_manager
from nova.compute import states
from nova.db import engines
from nova.db.main import compute_nodes
from nova import placement_client
from nova import service
from nova.virt import fake
from tests import nova_services
from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


@pytest.fixture
def cloud(new_cloud):
    cloud = new_cloud()
    # Unique names: placement outlives the test (module scope).
    suffix = uuidlib.uuid4().hex[:6]
    cloud.add_compute('src-' + suffix)
    cloud.add_compute('dst-' + suffix)
    return cloud


@pytest.fixture
def api(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token='admin', version='2.53')
    resp = client.post('/v2.1/flavors', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    return client


def _boot(api, cloud, host):
    """A server of alice's on `host` (the other compute disabled while
    it is built)."""
    other = next(h for h in cloud.computes if h != host)
    _service(api, other, {'status': 'disabled'})
    resp = api.post(S, token='alice:p1', json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    server = _wait(api, uuid, 'ACTIVE')
    _service(api, other, {'status': 'enabled'})
    assert server['OS-EXT-SRV-ATTR:host'] == host
    return uuid


def _service(api, host, body):
    (svc,) = api.get('/v2.1/os-services?binary=nova-compute&host=' +
                     host).json['services']
    resp = api.put('/v2.1/os-services/' + svc['id'], json=body)
    assert resp.status_int == 200, resp.text


def _wait(api, uuid, status, task_state=None, timeout=30):
    def ready():
        server = api.get(S + '/' + uuid).json['server']
        return (server['status'] == status and
                server['OS-EXT-STS:task_state'] == task_state) and server
    return nova_services.wait_for(ready, timeout=timeout,
                                  what='server %s to be %s' % (uuid, status))


def _act(api, uuid, body, status=202, version='2.53', **kw):
    resp = api.post(S + '/%s/action' % uuid, json=body, version=version,
                    **kw)
    assert resp.status_int == status, resp.text
    return resp


def _migrations(api, uuid, version='2.59'):
    return api.get('/v2.1/os-migrations?instance_uuid=' + uuid,
                   version=version).json['migrations']


def _wait_migration(api, uuid, status):
    def ready():
        found = _migrations(api, uuid)
        return found and found[0]['status'] == status and found[0]
    return nova_services.wait_for(ready, timeout=30,
                                  what='migration of %s to be %s'
                                  % (uuid, status))


def _providers(cloud, consumer):
    """{host: resources} the consumer holds in placement."""
    cell = cloud.cells['cell1']
    with engines.cell_reader(cell) as conn:
        names = {n.uuid: n.host for h in cloud.computes
                 for n in compute_nodes.list_by_host(conn, h)}
    held = placement_client.client().get_allocations(consumer)
    return {names[rp]: a['resources']
            for rp, a in held['allocations'].items()}


def _other(cloud, host):
    return next(h for h in cloud.computes if h != host)


def _live(uuid, host=None, block='auto', **extra):
    return {'os-migrateLive': dict(host=host, block_migration=block,
                                   **extra)}


# -- live migration


def test_live_migrate_scheduled_moves_guest_and_allocation(api, cloud):
    src = sorted(cloud.computes)[1]
    uuid = _boot(api, cloud, src)
    dst = _other(cloud, src)
    _act(api, uuid, _live(uuid), version='2.25')
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    (migration,) = _migrations(api, uuid)
    assert (migration['migration_type'], migration['status'],
            migration['source_compute'], migration['dest_compute']) == (
        'live-migration', 'completed', src, dst)
    assert 'links' not in migration
    assert _providers(cloud, uuid) == {
        dst: {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    assert _providers(cloud, migration['uuid']) == {}
    assert uuid in cloud.computes[dst].driver.guests
    assert uuid not in cloud.computes[src].driver.guests
    actions = api.get(S + '/%s/os-instance-actions' % uuid).json[
        'instanceActions']
    assert actions[0]['action'] == 'live-migration'


def test_live_migrate_checks(api, cloud):
    src = sorted(cloud.computes)[0]
    uuid = _boot(api, cloud, src)
    dst = _other(cloud, src)
    # Admins only, before the server is even looked up.
    resp = _act(api, uuid, _live(uuid, block=False, disk_over_commit=False),
                403, version='2.24', token='alice:p1')
    assert 'os-migrate-server:migrate_live' in resp.text
    # The body, version by version.
    _act(api, uuid, _live(uuid), 400, version='2.24')
    _act(api, uuid, _live(uuid, block=False), 400, version='2.24')
    _act(api, uuid, _live(uuid, disk_over_commit=False), 400,
         version='2.25')
    _act(api, uuid, _live(uuid, force=True), 400, version='2.29')
    resp = _act(api, uuid, _live(uuid, force=True), 400, version='2.30')
    assert "Can't force to a non-provided destination" in resp.text
    _act(api, uuid, _live(uuid, host=dst, force=False), 400,
         version='2.68')
    resp = _act(api, uuid, _live(uuid, host='nowhere'), 400,
                version='2.25')
    assert 'Compute host nowhere could not be found' in resp.text
    _act(api, str(uuidlib.uuid4()), _live(uuid), 404, version='2.25')
    # A stopped server cannot live-migrate.
    _act(api, uuid, {'os-stop': None})
    _wait(api, uuid, 'SHUTOFF')
    resp = _act(api, uuid, _live(uuid), 409, version='2.25')
    assert 'vm_state stopped' in resp.text
    _act(api, uuid, {'os-start': None})
    _wait(api, uuid, 'ACTIVE')
    # Before 2.34 the API waits for the conductor's checks: 400.
    resp = _act(api, uuid, _live(uuid, host=src), 400, version='2.33')
    assert 'Unable to migrate instance' in resp.text
    _service(api, dst, {'status': 'disabled'})
    resp = _act(api, uuid, _live(uuid), 400, version='2.33')
    assert 'No valid host' in resp.text
    _service(api, dst, {'status': 'enabled'})
    assert [m['status'] for m in _migrations(api, uuid)] == ['error'] * 2
    server = api.get(S + '/' + uuid).json['server']
    assert (server['status'], server['OS-EXT-STS:task_state']) == (
        'ACTIVE', None)
    # From 2.34 the conductor refuses the server's own host later; the
    # server stays.
    _act(api, uuid, _live(uuid, host=src), version='2.34')
    _wait_migration(api, uuid, 'error')
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == src
    assert _providers(cloud, uuid) == {
        src: {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    # Forced to a named host (2.30): no scheduling, claimed there.
    _act(api, uuid, _live(uuid, host=dst, force=True), version='2.30')
    _wait_migration(api, uuid, 'completed')
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    assert _providers(cloud, uuid) == {
        dst: {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    # Paused servers move too, and stay paused; 2.68 without force.
    _act(api, uuid, {'pause': None})
    _wait(api, uuid, 'PAUSED')
    _act(api, uuid, _live(uuid, host=src), version='2.68')
    server = _wait(api, uuid, 'PAUSED')
    _wait_migration(api, uuid, 'completed')
    assert api.get(S + '/' + uuid).json['server'][
        'OS-EXT-SRV-ATTR:host'] == src


def test_live_migration_in_progress_force_complete_and_abort(api, cloud):
    src = sorted(cloud.computes)[0]
    uuid = _boot(api, cloud, src)
    dst = _other(cloud, src)
    path = S + '/%s/migrations' % uuid
    fake.hold_live_migrations(src)
    _act(api, uuid, _live(uuid), version='2.25')
    migration = _wait_migration(api, uuid, 'running')
    assert migration['links'][0]['href'].endswith(
        'servers/%s/migrations/%d' % (uuid, migration['id']))
    mid = migration['id']
    # While it runs, the migration holds the source allocation and the
    # instance its claim on the destination.
    assert _providers(cloud, migration['uuid']) == {
        src: {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    assert _providers(cloud, uuid) == {
        dst: {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    (listed,) = api.get(path, version='2.59').json['migrations']
    assert listed['id'] == mid and listed['status'] == 'running'
    assert listed['server_uuid'] == uuid and listed['uuid']
    assert 'uuid' not in api.get(path, version='2.58').json[
        'migrations'][0]
    shown = api.get(path + '/%d' % mid, version='2.23').json['migration']
    assert shown['dest_compute'] == dst
    assert shown['memory_total_bytes'] is None
    assert api.get(path + '/%d' % (mid + 100),
                   version='2.23').status_int == 404
    # force_complete: 2.22, admins, a running migration of this server.
    act = path + '/%d/action' % mid
    body = {'force_complete': None}
    assert api.post(act, json=body, version='2.21').status_int == 404
    assert api.post(act, json=body, version='2.22',
                    token='alice:p1').status_int == 403
    assert api.post(act, json={'force_complete': {}},
                    version='2.22').status_int == 400
    resp = api.post(path + '/%d/action' % (mid + 100), json=body,
                    version='2.22')
    assert resp.status_int == 400, resp.text
    resp = api.post(act, json=body, version='2.22')
    assert resp.status_int == 202, resp.text
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    assert _migrations(api, uuid)[0]['status'] == 'completed'
    assert api.get(path, version='2.23').json == {'migrations': []}
    # Not migrating any more: 409.
    assert api.post(act, json=body, version='2.22').status_int == 409
    assert api.delete(path + '/%d' % mid,
                      version='2.24').status_int == 409

    # Back to the source, held again, then aborted (2.24).
    fake.hold_live_migrations(dst)
    _act(api, uuid, _live(uuid), version='2.25')
    mid = _wait_migration(api, uuid, 'running')['id']
    assert api.delete(path + '/%d' % mid, version='2.23').status_int == 404
    assert api.delete(path + '/%d' % mid, version='2.24',
                      token='alice:p1').status_int == 403
    assert api.delete(path + '/%d' % (mid + 100),
                      version='2.24').status_int == 404
    resp = api.delete(path + '/%d' % mid, version='2.24')
    assert resp.status_int == 202, resp.text
    migration = _wait_migration(api, uuid, 'cancelled')
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    assert _providers(cloud, uuid) == {
        dst: {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}}
    assert _providers(cloud, migration['uuid']) == {}
    assert uuid in cloud.computes[dst].driver.guests
    assert uuid not in cloud.computes[src].driver.guests


def test_abort_queued_live_migration_from_2_65(api, cloud):
    src = sorted(cloud.computes)[0]
    first = _boot(api, cloud, src)
    second = _boot(api, cloud, src)
    fake.hold_live_migrations(src)
    _act(api, first, _live(first), version='2.25')
    _wait_migration(api, first, 'running')
    # One at a time ([DEFAULT] max_concurrent_live_migrations = 1).
    _act(api, second, _live(second), version='2.25')
    queued = _wait_migration(api, second, 'queued')
    path = S + '/%s/migrations/%d' % (second, queued['id'])
    resp = api.delete(path, version='2.64')
    assert resp.status_int == 400, resp.text
    assert 'Cannot abort live migration' in resp.text
    resp = api.delete(path, version='2.65')
    assert resp.status_int == 202, resp.text
    _wait_migration(api, second, 'cancelled')
    server = _wait(api, second, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == src
    assert list(_providers(cloud, second)) == [src]
    fake.release_live_migrations()
    _wait_migration(api, first, 'completed')
    assert _wait(api, first, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] != src


def test_failed_live_migration_rolls_back(api, cloud):
    src = sorted(cloud.computes)[0]
    uuid = _boot(api, cloud, src)
    fake.fail_on(src, 'live_migration')
    _act(api, uuid, _live(uuid), version='2.25')
    _wait_migration(api, uuid, 'error')
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == src
    assert list(_providers(cloud, uuid)) == [src]
    assert uuid not in cloud.computes[_other(cloud, src)].driver.guests


# -- evacuation


def _restart(cloud, host):
    """Stop `host`'s compute and start it again on the same hypervisor
    (its guests survive, as a real host's disks do)."""
    old = cloud.computes[host]
    (svc,) = [s for s in cloud.services if s.manager is old]
    svc.stop(timeout=10)
    cloud.services.remove(svc)
    url, transport = cloud.cell_specs['cell1']
    manager = compute_manager.ComputeManager(host, url, driver=old.driver,
                                             transport_url=transport)
    new = service.Service('nova-compute', 'compute', manager,
                          transport_url=transport)
    new.start()
    cloud.services.append(new)
    cloud.computes[host] = manager


def test_evacuate_and_the_source_coming_back(api, cloud):
    src = sorted(cloud.computes)[1]
    uuid = _boot(api, cloud, src)
    dst = _other(cloud, src)
    evacuate = {'evacuate': {}}
    resp = _act(api, uuid, evacuate, 403, version='2.14', token='alice:p1')
    assert 'os_compute_api:os-evacuate' in resp.text
    resp = _act(api, uuid, evacuate, 400, version='2.14')
    assert 'is still in use' in resp.text
    _service(api, src, {'forced_down': True})
    resp = _act(api, uuid, {'evacuate': {'host': 'nowhere'}}, 404,
                version='2.14')
    assert 'Compute host nowhere not found.' in resp.text
    resp = _act(api, uuid, {'evacuate': {'host': src}}, 400,
                version='2.14')
    assert "can't be the same one" in resp.text
    _act(api, uuid, {'evacuate': {'force': True}}, 400, version='2.29')
    _act(api, uuid, {'evacuate': {'host': dst, 'force': False}}, 400,
         version='2.68')
    _act(api, uuid, {'evacuate': {'onSharedStorage': False}}, 400,
         version='2.14')
    _act(api, uuid, {'evacuate': {}}, 400, version='2.13')
    resp = _act(api, uuid, {'evacuate': {'onSharedStorage': True,
                                         'adminPass': 'x'}}, 400,
                version='2.13')
    assert "admin password can't be changed" in resp.text

    resp = _act(api, uuid, evacuate, 200, version='2.68')
    assert not resp.body
    server = _wait(api, uuid, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    (migration,) = _migrations(api, uuid)
    assert (migration['migration_type'], migration['status'],
            migration['source_compute'], migration['dest_compute']) == (
        'evacuation', 'done', src, dst)
    # Held on both hosts until the source is back.
    flavor = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
    assert _providers(cloud, uuid) == {src: flavor, dst: flavor}
    assert uuid in cloud.computes[dst].driver.guests
    actions = api.get(S + '/%s/os-instance-actions' % uuid).json[
        'instanceActions']
    assert actions[0]['action'] == 'evacuate'

    _restart(cloud, src)
    assert uuid not in cloud.computes[src].driver.guests
    assert _providers(cloud, uuid) == {dst: flavor}
    assert _migrations(api, uuid)[0]['status'] == 'completed'


def test_evacuate_before_2_14_answers_the_password(api, cloud):
    src = sorted(cloud.computes)[0]
    uuid = _boot(api, cloud, src)
    dst = _other(cloud, src)
    _act(api, uuid, {'os-stop': None})
    _wait(api, uuid, 'SHUTOFF')
    _service(api, src, {'forced_down': True})
    resp = _act(api, uuid, {'evacuate': {'host': dst,
                                         'onSharedStorage': 'False'}},
                200, version='2.13')
    assert len(resp.json['adminPass']) >= 8
    # A stopped server stays stopped on its new host.
    server = _wait(api, uuid, 'SHUTOFF')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    assert cloud.computes[dst].driver.get_info(
        cloud.instance(uuid)) == states.SHUTDOWN


def test_evacuate_with_no_host_left_ends_in_error(api, cloud):
    src = sorted(cloud.computes)[0]
    uuid = _boot(api, cloud, src)
    _service(api, src, {'forced_down': True})
    _service(api, _other(cloud, src), {'status': 'disabled'})
    _act(api, uuid, {'evacuate': {}}, 200, version='2.14')
    server = _wait(api, uuid, 'ERROR')
    assert 'No valid host' in server['fault']['message']
    assert _migrations(api, uuid)[0]['status'] == 'error'
    assert list(_providers(cloud, uuid)) == [src]


# -- cold migration to a named host (2.56)


def test_migrate_to_a_host(api, cloud):
    src = sorted(cloud.computes)[0]
    uuid = _boot(api, cloud, src)
    dst = _other(cloud, src)
    resp = _act(api, uuid, {'migrate': {'host': 'nowhere'}}, 400,
                version='2.56')
    assert 'Compute host nowhere could not be found' in resp.text
    resp = _act(api, uuid, {'migrate': {'host': src}}, 400, version='2.56')
    assert 'Cannot migrate to the host where the server exists' in (
        resp.text)
    resp = _act(api, uuid, {'migrate': {'host': dst, 'x': 1}}, 400,
                version='2.56')
    assert 'Additional properties' in resp.text
    _act(api, uuid, {'migrate': {'host': dst}}, 403, version='2.56',
         token='alice:p1')
    # Before 2.56 the body says nothing: the host is not even looked at.
    _act(api, uuid, {'migrate': {'host': 'nowhere'}}, version='2.55')
    server = _wait(api, uuid, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == dst
    _act(api, uuid, {'confirmResize': None}, 204)
    _wait(api, uuid, 'ACTIVE')
    _act(api, uuid, {'migrate': {'host': src}}, version='2.56')
    server = _wait(api, uuid, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == src
    (latest, *_) = _migrations(api, uuid)
    assert (latest['migration_type'], latest['dest_compute']) == (
        'migration', src)
