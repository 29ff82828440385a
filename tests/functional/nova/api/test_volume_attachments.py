"""/servers/{id}/os-volume_attachments against a real Cinder
(tests/cinder_service.py): the API in-process over an in-process cloud
(tests/nova_cloud.py) whose computes call Cinder's attachments API.

After every test, Cinder's attachments and Nova's block device mappings
must name the same attachments: nothing leaked either way.
"""

from concurrent import futures

import pytest
import sqlalchemy as sa

from nova import cells
from nova.db import engines
from nova.db.main import tables
from nova.virt import fake
from nova.volume import cinder as volume_api
from tests import nova_cloud
from tests import nova_services
from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ALICE = 'alice:p1'


def _nova_attachments(cloud) -> set[str]:
    bdm = tables.block_device_mapping
    found = set()
    for name, cell in cloud.cells.items():
        if name == 'cell0':
            continue
        with engines.cell_reader(cell) as conn:
            found |= {row[0] for row in conn.execute(
                sa.select(bdm.c.attachment_id).where(
                    bdm.c.deleted == 0, bdm.c.attachment_id.is_not(None)))}
    return found


@pytest.fixture
def cloud(request, new_cloud, new_cell_db, nova_cell_url, cloud_conf,
          cinder):
    """One compute in cell1; with the parameter 2 (indirect), a second
    cell on a RabbitMQ vhost of its own, with a compute too."""
    cloud_conf.set_override('endpoint_template', cinder.url, group='cinder')
    volume_api.reset()
    vhost = None
    if getattr(request, 'param', 1) == 2:
        vhost = nova_services.rabbitmq_vhost()
        cloud = nova_cloud.NovaCloud(new_cell_db('cell0'), {
            'cell1': (nova_cell_url, None),
            'cell2': (new_cell_db('cell2'), vhost)})
        cloud.start()
        cloud.add_compute(cell='cell2')
    else:
        cloud = new_cloud()
    # A name of its own: placement outlives the test (module scope).
    cloud.add_compute()
    try:
        yield from _checked(cloud, cinder)
    finally:
        if vhost:
            cloud.stop()
            nova_services.delete_vhost(vhost)


def _checked(cloud, cinder):
    yield cloud
    # Nothing leaked: Cinder's attachments are the ones Nova maps.

    def same():
        return {a['id'] for a in cinder.attachments()} == (
            _nova_attachments(cloud))
    try:
        nova_services.wait_for(same, timeout=15, what='no leaked attachment')
    finally:
        # The next test starts from empty databases: so does Cinder.
        cinder.empty()
        volume_api.reset()


@pytest.fixture
def compute(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token=ALICE, version='2.53')
    resp = client.post('/v2.1/flavors', token='admin',
                       json=flavor_body('m1.tiny', '1', disk=1))
    assert resp.status_int == 200, resp.text
    return client


def _boot(compute, name='vm'):
    resp = compute.post(S, json={'server': {
        'name': name, 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    _wait(compute, uuid, 'ACTIVE')
    return uuid


def _wait(compute, uuid, status):
    def ready():
        server = compute.get(S + '/' + uuid).json['server']
        return (server['status'] == status and
                server['OS-EXT-STS:task_state'] is None) and server
    return nova_services.wait_for(ready, timeout=30,
                                  what='server %s %s' % (uuid, status))


def _attach(compute, uuid, volume_id, status=200, **extra):
    resp = compute.post('%s/%s/os-volume_attachments' % (S, uuid),
                        json={'volumeAttachment': dict(volumeId=volume_id,
                                                       **extra)})
    assert resp.status_int == status, resp.text
    return resp


def _wait_released(cinder, volume_id: str) -> None:
    """Until the volume is available with no attachment left."""
    def released():
        volume = cinder.volume(volume_id)
        return volume['status'] == 'available' and not volume[
            'attachments'] and volume
    nova_services.wait_for(released, timeout=30, what='the volume released')


def _host(cloud) -> str:
    (host,) = cloud.computes
    return host


@pytest.mark.parametrize('cloud', [2], indirect=True)
def test_servers_with_volumes_in_two_cells(compute, cloud, cinder):
    by_cell = {}
    for host, manager in cloud.computes.items():
        resp = compute.post(S, token='admin', json={'server': {
            'name': host, 'flavorRef': '1', 'imageRef': CIRROS,
            'networks': 'none', 'availability_zone': 'nova:' + host}})
        assert resp.status_int == 202, resp.text
        by_cell[manager.db_url] = (host, resp.json['server']['id'])
    assert len(by_cell) == 2
    for host, uuid in by_cell.values():
        nova_services.wait_for(lambda: compute.get(
            S + '/' + uuid, token='admin').json['server']['status'] ==
            'ACTIVE', what='server %s ACTIVE' % uuid)
        volume_id = cinder.create_volume('admin:admin')
        resp = compute.post('%s/%s/os-volume_attachments' % (S, uuid),
                            token='admin', json={'volumeAttachment': {
                                'volumeId': volume_id}})
        assert resp.status_int == 200, resp.text
        volume = cinder.wait(volume_id, 'in-use')
        assert [(a['server_id'], a['host_name'])
                for a in volume['attachments']] == [(uuid, host)]
        server = compute.get(S + '/' + uuid, token='admin').json['server']
        assert server['os-extended-volumes:volumes_attached'] == [
            {'id': volume_id, 'delete_on_termination': False}]
        resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
            S, uuid, volume_id), token='admin')
        assert resp.status_int == 202, resp.text
        cinder.wait(volume_id, 'available')


def _guest_volumes(cloud, uuid) -> dict:
    for manager in cloud.computes.values():
        guest = manager.driver.guests.get(uuid)
        if guest is not None:
            return dict(guest.volumes)
    return {}


def test_attach_list_show_and_detach(compute, cloud, cinder):
    uuid = _boot(compute)
    volume_id = cinder.create_volume(ALICE)
    attached = _attach(compute, uuid, volume_id).json['volumeAttachment']
    assert attached == {'id': volume_id, 'volumeId': volume_id,
                        'serverId': uuid, 'device': '/dev/vdb'}
    volume = cinder.wait(volume_id, 'in-use')
    (attachment,) = volume['attachments']
    assert attachment['server_id'] == uuid
    assert attachment['host_name'] == _host(cloud)
    assert attachment['device'] == '/dev/vdb'
    # The guest has it, with what Cinder said to connect with.
    guest = _guest_volumes(cloud, uuid)
    assert guest['/dev/vdb']['attachment_id'] == attachment['attachment_id']

    listed = compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json
    assert listed == {'volumeAttachments': [attached]}
    shown = compute.get('%s/%s/os-volume_attachments/%s' % (
        S, uuid, volume_id)).json
    assert shown == {'volumeAttachment': attached}
    server = compute.get(S + '/' + uuid).json['server']
    assert server['os-extended-volumes:volumes_attached'] == [
        {'id': volume_id, 'delete_on_termination': False}]
    old = compute.get(S + '/' + uuid, version='2.1').json['server']
    assert old['os-extended-volumes:volumes_attached'] == [{'id': volume_id}]
    actions = compute.get('%s/%s/os-instance-actions' % (S, uuid)).json
    assert 'attach_volume' in [a['action'] for a in
                               actions['instanceActions']]

    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, uuid, volume_id))
    assert resp.status_int == 202, resp.text
    volume = cinder.wait(volume_id, 'available')
    assert volume['attachments'] == []
    assert _guest_volumes(cloud, uuid) == {}
    assert compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json == {
        'volumeAttachments': []}
    resp = compute.get('%s/%s/os-volume_attachments/%s' % (
        S, uuid, volume_id))
    assert resp.status_int == 404


def test_second_volume_takes_the_next_device_or_the_one_asked(
        compute, cinder):
    uuid = _boot(compute)
    first, second, third = (cinder.create_volume(ALICE) for _ in range(3))
    _attach(compute, uuid, first)
    dev = _attach(compute, uuid, second, device='/dev/vdf')
    assert dev.json['volumeAttachment']['device'] == '/dev/vdf'
    resp = _attach(compute, uuid, third, 400, device='/dev/vdf')
    assert 'is in use' in resp.json['badRequest']['message']
    assert cinder.volume(third)['status'] == 'available'
    cinder.wait(second, 'in-use')
    # Tagged attach is 2.49+; before, the key is refused.
    resp = compute.post('%s/%s/os-volume_attachments' % (S, uuid),
                        json={'volumeAttachment': {
                            'volumeId': third, 'tag': 'data'}},
                        version='2.48')
    assert resp.status_int == 400


def test_errors(compute, cloud, cinder):
    uuid = _boot(compute)
    missing = '8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11'
    resp = _attach(compute, uuid, missing, 404)
    assert missing in resp.json['itemNotFound']['message']
    resp = _attach(compute, uuid, 'not-a-uuid', 400)

    volume_id = cinder.create_volume(ALICE)
    _attach(compute, uuid, volume_id)
    cinder.wait(volume_id, 'in-use')
    # Already attached here.
    resp = _attach(compute, uuid, volume_id, 400)
    assert 'already attached' in resp.json['badRequest']['message']
    # In use by another server, and not multiattach: Cinder says no.
    other = _boot(compute, 'other')
    resp = _attach(compute, other, volume_id, 400)
    assert 'Invalid volume' in resp.json['badRequest']['message']
    # Detach of a volume the server does not have.
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, other, volume_id))
    assert resp.status_int == 404
    # A multiattach volume needs 2.60.
    shared = cinder.create_volume(ALICE, volume_type='multiattach')
    resp = _attach(compute, other, shared, 400)
    assert '2.60' in resp.json['badRequest']['message']
    assert cinder.volume(shared)['status'] == 'available'

    # A state that forbids it: 409, and locked by the admin: 409.
    resp = compute.post('%s/%s/action' % (S, other),
                        json={'suspend': None})
    assert resp.status_int == 202, resp.text
    _wait(compute, other, 'SUSPENDED')
    spare = cinder.create_volume(ALICE)
    resp = _attach(compute, other, spare, 409)
    assert 'suspended' in resp.json['conflictingRequest']['message']
    resp = compute.post('%s/%s/action' % (S, uuid), json={'lock': None},
                        token='admin')
    assert resp.status_int == 202
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, uuid, volume_id))
    assert resp.status_int == 409
    assert cinder.volume(spare)['status'] == 'available'


def test_two_servers_race_for_one_volume(compute, cinder):
    servers = [_boot(compute, 'racer%d' % i) for i in range(2)]
    volume_id = cinder.create_volume(ALICE)
    with futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(
            lambda uuid: compute.post(
                '%s/%s/os-volume_attachments' % (S, uuid),
                json={'volumeAttachment': {'volumeId': volume_id}}),
            servers))
    assert sorted(r.status_int for r in answers) == [200, 400], [
        r.text for r in answers]
    (winner,) = [u for u, r in zip(servers, answers) if r.status_int == 200]
    volume = cinder.wait(volume_id, 'in-use')
    assert [a['server_id'] for a in volume['attachments']] == [winner]


def test_driver_failure_leaves_nothing_behind(compute, cloud, cinder):
    uuid = _boot(compute)
    volume_id = cinder.create_volume(ALICE)
    fake.fail_on(_host(cloud), 'attach_volume')
    _attach(compute, uuid, volume_id)
    _wait_released(cinder, volume_id)
    assert _guest_volumes(cloud, uuid) == {}
    listed = compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json
    assert listed == {'volumeAttachments': []}
    server = compute.get(S + '/' + uuid, token='admin').json['server']
    assert server['status'] == 'ACTIVE'
    assert server['os-extended-volumes:volumes_attached'] == []


def test_server_delete_lets_its_volumes_go(compute, cloud, cinder):
    uuid = _boot(compute)
    volume_id = cinder.create_volume(ALICE)
    _attach(compute, uuid, volume_id)
    cinder.wait(volume_id, 'in-use')
    resp = compute.delete(S + '/' + uuid)
    assert resp.status_int == 204, resp.text
    nova_services.wait_for(
        lambda: compute.get(S + '/' + uuid).status_int == 404,
        what='server deleted')
    assert cinder.wait(volume_id, 'available')['attachments'] == []


def test_cinder_unreachable_is_a_503(compute, cloud_conf):
    uuid = _boot(compute)
    cloud_conf.set_override('endpoint_template', 'http://127.0.0.1:9/v3',
                            group='cinder')
    volume_api.reset()
    resp = _attach(compute, uuid, '8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11',
                   503)
    assert 'cinder' in resp.json['serviceUnavailable']['message'].lower()
    cells.reset_cache()


# Booting from volumes (block_device_mapping_v2)

def _boot_from(compute, bdms, status=202, name='bfv'):
    resp = compute.post(S, json={'server': {
        'name': name, 'flavorRef': '1', 'imageRef': '', 'networks': 'none',
        'block_device_mapping_v2': bdms}})
    assert resp.status_int == status, resp.text
    return resp


def test_boot_from_an_existing_volume(compute, cloud, cinder):
    volume_id = cinder.create_volume(ALICE)
    uuid = _boot_from(compute, [{
        'source_type': 'volume', 'destination_type': 'volume',
        'uuid': volume_id, 'boot_index': 0}]).json['server']['id']
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['image'] == ''
    assert server['os-extended-volumes:volumes_attached'] == [
        {'id': volume_id, 'delete_on_termination': False}]
    volume = cinder.wait(volume_id, 'in-use')
    assert [a['server_id'] for a in volume['attachments']] == [uuid]
    assert list(_guest_volumes(cloud, uuid)) == ['/dev/vda']
    listed = compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json
    assert listed['volumeAttachments'][0]['device'] == '/dev/vda'
    # The boot volume stays: no detach, no rebuild from an image.
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, uuid, volume_id))
    assert resp.status_int == 400
    assert 'root device' in resp.json['badRequest']['message']
    resp = compute.post('%s/%s/action' % (S, uuid),
                        json={'rebuild': {'imageRef': CIRROS}})
    assert resp.status_int == 400, resp.text
    # A volume in use boots nothing else.
    resp = _boot_from(compute, [{
        'source_type': 'volume', 'destination_type': 'volume',
        'uuid': volume_id, 'boot_index': 0}], status=400, name='second')
    assert 'Block Device Mapping is Invalid' in resp.text
    # Deleting the server gives the volume back (not delete_on_termination).
    assert compute.delete(S + '/' + uuid).status_int == 204
    assert cinder.wait(volume_id, 'available')['attachments'] == []


def test_boot_from_new_volumes_that_go_with_the_server(compute, cloud,
                                                       cinder):
    uuid = _boot_from(compute, [
        {'source_type': 'image', 'destination_type': 'volume',
         'uuid': CIRROS, 'volume_size': 1, 'boot_index': 0,
         'delete_on_termination': True},
        {'source_type': 'blank', 'destination_type': 'volume',
         'volume_size': 1, 'boot_index': -1}]).json['server']['id']
    server = _wait(compute, uuid, 'ACTIVE')
    made = [v['id'] for v in server['os-extended-volumes:volumes_attached']]
    assert len(made) == 2
    boot, blank = (cinder.volume(v) for v in made)
    assert boot['status'] == blank['status'] == 'in-use'
    assert boot['bootable'] == 'true'
    assert boot['volume_image_metadata']['image_id'] == CIRROS
    assert sorted(_guest_volumes(cloud, uuid)) == ['/dev/vda', '/dev/vdb']
    assert compute.delete(S + '/' + uuid).status_int == 204
    nova_services.wait_for(
        lambda: cinder.request('GET', '/volumes/' + made[0]).status_code
        == 404, what='the boot volume deleted with its server')
    assert cinder.wait(made[1], 'available')['attachments'] == []
    cinder.delete_volume(made[1])


def test_a_failed_build_leaves_no_volume_behind(compute, cloud, cinder):
    fake.fail_on(_host(cloud), 'spawn')
    given = cinder.create_volume(ALICE)
    before = {v['id'] for v in cinder.request(
        'GET', '/volumes?all_tenants=1').json()['volumes']}
    uuid = _boot_from(compute, [
        {'source_type': 'image', 'destination_type': 'volume',
         'uuid': CIRROS, 'volume_size': 1, 'boot_index': 0,
         'delete_on_termination': True},
        {'source_type': 'volume', 'destination_type': 'volume',
         'uuid': given, 'boot_index': -1}]).json['server']['id']
    _wait(compute, uuid, 'ERROR')
    # The volume the build made is gone; the user's is reserved for the
    # server until it is deleted.
    after = {v['id'] for v in cinder.request(
        'GET', '/volumes?all_tenants=1').json()['volumes']}
    assert after == before
    assert compute.delete(S + '/' + uuid).status_int == 204
    assert cinder.wait(given, 'available')['attachments'] == []


def test_resize_moves_the_volumes_with_the_server(compute, cloud, cinder):
    resp = compute.post('/v2.1/flavors', token='admin',
                        json=flavor_body('m1.bigger', '2', disk=1, ram=1024))
    assert resp.status_int == 200, resp.text
    cloud.add_compute()
    uuid = _boot(compute)
    volume_id = cinder.create_volume(ALICE)
    _attach(compute, uuid, volume_id)
    cinder.wait(volume_id, 'in-use')

    def host():
        return compute.get(S + '/' + uuid, token='admin').json['server'][
            'OS-EXT-SRV-ATTR:host']

    def attached_on() -> list[str]:
        return [a['host_name'] for a in cinder.volume(volume_id)[
            'attachments']]
    source = host()
    for finish, where in (('revertResize', 'source'),
                          ('confirmResize', 'destination')):
        # A revert leaves flavor 1, so both moves go to flavor 2.
        resp = compute.post('%s/%s/action' % (S, uuid), json={
            'resize': {'flavorRef': '2'}})
        assert resp.status_int == 202, resp.text
        _wait(compute, uuid, 'VERIFY_RESIZE')
        dest = host()
        assert dest != source
        # The destination's guest has the volume, through an attachment
        # of the destination; the source's guest no longer does.
        assert attached_on() == [dest]
        assert list(cloud.computes[dest].driver.guests[uuid].volumes) == [
            '/dev/vdb']
        resp = compute.post('%s/%s/action' % (S, uuid), json={finish: None})
        assert resp.status_int in (202, 204), resp.text
        _wait(compute, uuid, 'ACTIVE')
        now = source if where == 'source' else dest
        assert host() == now and attached_on() == [now]
        assert list(cloud.computes[now].driver.guests[uuid].volumes) == [
            '/dev/vdb']
        source = now


def test_cinder_failing_mid_attach_leaves_nothing_behind(compute, cloud,
                                                        cinder):
    uuid = _boot(compute)
    # The backend fails to export this one (tools/cinder/fake_backend.py)
    # when the compute asks Cinder to connect it (attachment_update).
    volume_id = cinder.create_volume(
        ALICE, metadata={'fake_backend_fail': 'initialize_connection'})
    _attach(compute, uuid, volume_id)
    _wait_released(cinder, volume_id)
    assert cinder.attachments() == []
    assert _guest_volumes(cloud, uuid) == {}
    assert compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json == {
        'volumeAttachments': []}
    server = compute.get(S + '/' + uuid, token='admin').json['server']
    assert server['status'] == 'ACTIVE'


def test_volume_extended_event_reaches_the_guest(compute, cloud, cinder):
    uuid = _boot(compute)
    volume_id = cinder.create_volume(ALICE)
    _attach(compute, uuid, volume_id)
    cinder.wait(volume_id, 'in-use')
    resp = cinder.request('POST', '/volumes/%s/action' % volume_id,
                          json={'os-extend': {'new_size': 2}})
    assert resp.status_code == 202, resp.text
    nova_services.wait_for(lambda: cinder.volume(volume_id)['size'] == 2,
                           what='the volume extended')
    # What Cinder sends Nova once it has grown an attached volume.
    resp = compute.post('/v2.1/os-server-external-events', token='admin',
                        version='2.51', json={'events': [{
                            'name': 'volume-extended', 'server_uuid': uuid,
                            'tag': volume_id}]})
    assert resp.status_int == 200, resp.text
    (host,) = cloud.computes
    guest = cloud.computes[host].driver.guests[uuid]
    nova_services.wait_for(
        lambda: guest.volume_sizes.get('/dev/vdb') == 2 * 1024 ** 3,
        what='the guest to see the new size')


def test_the_volume_proxy_until_2_35(compute, cloud, cinder):
    def call(method, path, status, json=None, version='2.35'):
        resp = compute.request(method, '/v2.1/os-volumes' + path, json=json,
                               version=version)
        assert resp.status_int == status, resp.text
        return resp.json if resp.body else None

    made = call('POST', '', 200, {'volume': {
        'size': 1, 'display_name': 'proxied', 'metadata': {'k': 'v'}}})[
        'volume']
    assert (made['size'], made['displayName'], made['metadata']) == (
        1, 'proxied', {'k': 'v'})
    volume_id = made['id']
    cinder.wait(volume_id, 'available')
    shown = call('GET', '/' + volume_id, 200)['volume']
    assert shown['status'] == 'available' and shown['attachments'] == [{}]
    uuid = _boot(compute)
    _attach(compute, uuid, volume_id)
    cinder.wait(volume_id, 'in-use')
    (listed,) = [v for v in call('GET', '/detail', 200)['volumes']
                 if v['id'] == volume_id]
    assert listed['attachments'] == [{'id': volume_id, 'volumeId': volume_id,
                                      'serverId': uuid, 'device': '/dev/vdb'}]
    assert volume_id in {v['id'] for v in call('GET', '', 200)['volumes']}
    # Gone from the API at 2.36; bad input and unknown volumes as upstream.
    call('GET', '', 404, version='2.36')
    call('POST', '', 400, {'volume': {'size': 0}})
    call('GET', '/8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11', 404)
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, uuid, volume_id))
    assert resp.status_int == 202
    cinder.wait(volume_id, 'available')
    call('DELETE', '/' + volume_id, 202)
    nova_services.wait_for(
        lambda: cinder.request('GET', '/volumes/' + volume_id).status_code
        == 404, what='the volume deleted')


def test_the_snapshot_proxy_until_2_35(compute, cloud, cinder):
    def call(method, path, status, json=None, version='2.35'):
        resp = compute.request(method, '/v2.1/os-snapshots' + path,
                               json=json, version=version)
        assert resp.status_int == status, resp.text
        return resp.json if resp.body else None

    volume_id = cinder.create_volume(ALICE)
    made = call('POST', '', 200, {'snapshot': {
        'volume_id': volume_id, 'display_name': 'snap'}})['snapshot']
    assert (made['volumeId'], made['displayName']) == (volume_id, 'snap')
    nova_services.wait_for(
        lambda: call('GET', '/' + made['id'], 200)['snapshot'][
            'status'] == 'available', what='the snapshot available')
    assert made['id'] in {s['id'] for s in call('GET', '', 200)[
        'snapshots']}
    (listed,) = [s for s in call('GET', '/detail', 200)['snapshots']
                 if s['id'] == made['id']]
    assert listed['size'] == 1
    call('GET', '', 404, version='2.36')
    call('POST', '', 400, {'snapshot': {'volume_id': 'nope'}})
    call('GET', '/8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11', 404)
    call('DELETE', '/' + made['id'], 202)
    nova_services.wait_for(
        lambda: cinder.request('GET', '/snapshots/' + made['id']).status_code
        == 404, what='the snapshot deleted')


# Multiattach volumes (2.60)

def _boot_on(compute, host, name='vm', bdms=None, version='2.60',
             status='ACTIVE'):
    """A server forced onto `host` (admin's availability_zone
    nova:HOST), from CIRROS or from `bdms`."""
    server = {'name': name, 'flavorRef': '1', 'networks': 'none',
              'availability_zone': 'nova:' + host}
    if bdms:
        server.update(imageRef='', block_device_mapping_v2=bdms)
    else:
        server['imageRef'] = CIRROS
    resp = compute.post(S, token='admin', version=version,
                        json={'server': server})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    nova_services.wait_for(
        lambda: compute.get(S + '/' + uuid, token='admin').json['server'][
            'status'] == status, timeout=30,
        what='server %s %s' % (uuid, status))
    return uuid


def test_a_multiattach_volume_on_two_servers(compute, cloud, cinder):
    first, second = _boot(compute, 'one'), _boot(compute, 'two')
    volume_id = cinder.create_volume(ALICE, volume_type='multiattach')
    # Below 2.60 a multiattach volume is refused, as upstream words it.
    resp = _attach(compute, first, volume_id, 400)
    assert resp.json['badRequest']['message'] == (
        'Multiattach volumes are only supported starting with compute API '
        'version 2.60.')
    for uuid in (first, second):
        resp = compute.post('%s/%s/os-volume_attachments' % (S, uuid),
                            version='2.60', json={'volumeAttachment': {
                                'volumeId': volume_id}})
        assert resp.status_int == 200, resp.text
        assert resp.json['volumeAttachment']['device'] == '/dev/vdb'
        # Cinder reserves no volume while it is 'attaching'.
        cinder.wait(volume_id, 'in-use')

    def attached_to():
        return sorted(a['server_id'] for a in cinder.volume(volume_id)[
            'attachments'] if a.get('attach_status', 'attached') ==
            'attached')
    nova_services.wait_for(
        lambda: attached_to() == sorted([first, second]),
        what='the volume attached to both servers')
    assert cinder.volume(volume_id)['status'] == 'in-use'
    assert list(_guest_volumes(cloud, first)) == ['/dev/vdb']
    assert list(_guest_volumes(cloud, second)) == ['/dev/vdb']
    # No swap of a volume several servers write to.
    spare = cinder.create_volume(ALICE)
    resp = compute.put('%s/%s/os-volume_attachments/%s' % (
        S, first, volume_id), token='admin', json={'volumeAttachment': {
            'volumeId': spare}})
    assert resp.status_int == 400, resp.text
    assert resp.json['badRequest']['message'] == (
        'Swapping multi-attach volumes with more than one read/write '
        'attachment is not supported.')
    assert cinder.volume(volume_id)['status'] == 'in-use'
    # Detaching from one leaves the other's attachment.
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, first, volume_id))
    assert resp.status_int == 202, resp.text
    nova_services.wait_for(lambda: attached_to() == [second],
                           what='one attachment left')
    assert cinder.volume(volume_id)['status'] == 'in-use'
    assert _guest_volumes(cloud, first) == {}
    assert list(_guest_volumes(cloud, second)) == ['/dev/vdb']
    listed = compute.get('%s/%s/os-volume_attachments' % (S, second)).json
    assert [a['volumeId'] for a in listed['volumeAttachments']] == [
        volume_id]
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, second, volume_id))
    assert resp.status_int == 202, resp.text
    _wait_released(cinder, volume_id)


def test_multiattach_needs_a_host_whose_driver_can(compute, cloud, cinder):
    able = _host(cloud)
    unable = cloud.add_compute(multiattach=False).host
    volume_id = cinder.create_volume(ALICE, volume_type='multiattach')
    # Attach to a server on a host that cannot share volumes: 409, and
    # nothing left behind.
    uuid = _boot_on(compute, unable)
    resp = compute.post('%s/%s/os-volume_attachments' % (S, uuid),
                        token='admin', version='2.60',
                        json={'volumeAttachment': {'volumeId': volume_id}})
    assert resp.status_int == 409, resp.text
    assert 'multiattach' in resp.json['conflictingRequest']['message']
    assert cinder.volume(volume_id)['attachments'] == []
    assert compute.get('%s/%s/os-volume_attachments' % (S, uuid),
                       token='admin').json == {'volumeAttachments': []}
    # An ordinary volume still attaches there.
    plain = cinder.create_volume(ALICE)
    resp = compute.post('%s/%s/os-volume_attachments' % (S, uuid),
                        token='admin', version='2.60',
                        json={'volumeAttachment': {'volumeId': plain}})
    assert resp.status_int == 200, resp.text
    cinder.wait(plain, 'in-use')

    # Booting with it: below 2.60 refused; at 2.60 the scheduler wants
    # a host with COMPUTE_VOLUME_MULTI_ATTACH, so a boot forced onto the
    # other host finds none.
    bdms = [{'source_type': 'volume', 'destination_type': 'volume',
             'uuid': volume_id, 'boot_index': 0}]
    resp = compute.post(S, version='2.59', json={'server': {
        'name': 'old', 'flavorRef': '1', 'imageRef': '', 'networks': 'none',
        'block_device_mapping_v2': bdms}})
    assert resp.status_int == 400, resp.text
    assert '2.60' in resp.json['badRequest']['message']
    failed = _boot_on(compute, unable, 'nowhere', bdms, status='ERROR')
    server = compute.get(S + '/' + failed, token='admin').json['server']
    assert 'No valid host' in server['fault']['message']
    assert compute.delete(S + '/' + failed, token='admin').status_int == 204
    _wait_released(cinder, volume_id)
    booted = _boot_on(compute, able, 'shared', bdms)
    volume = cinder.wait(volume_id, 'in-use')
    assert [a['server_id'] for a in volume['attachments']] == [booted]


# volume_type of the volumes a boot creates (2.67)

def test_new_volumes_take_the_volume_type_asked(compute, cloud, cinder):
    types = cinder.request('GET', '/types').json()['volume_types']
    by_name = {t['name']: t['id'] for t in types}
    resp = compute.post(S, version='2.67', json={'server': {
        'name': 'typed', 'flavorRef': '1', 'imageRef': '',
        'networks': 'none', 'block_device_mapping_v2': [
            {'source_type': 'image', 'destination_type': 'volume',
             'uuid': CIRROS, 'volume_size': 1, 'boot_index': 0,
             'delete_on_termination': True,
             'volume_type': 'multiattach'},
            # By id: kept by name, as upstream.
            {'source_type': 'blank', 'destination_type': 'volume',
             'volume_size': 1, 'boot_index': -1,
             'delete_on_termination': True,
             'volume_type': by_name['__DEFAULT__']}]}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    server = _wait(compute, uuid, 'ACTIVE')
    made = [v['id'] for v in server['os-extended-volumes:volumes_attached']]
    assert sorted(cinder.volume(v)['volume_type'] for v in made) == [
        '__DEFAULT__', 'multiattach']
    bdm = tables.block_device_mapping
    with engines.cell_reader(cloud.cells['cell1']) as conn:
        stored = sorted(conn.execute(sa.select(bdm.c.volume_type).where(
            bdm.c.instance_uuid == uuid)).scalars())
    assert stored == ['__DEFAULT__', 'multiattach']
    assert compute.delete(S + '/' + uuid).status_int == 204
    for volume_id in made:
        nova_services.wait_for(
            lambda: cinder.request('GET', '/volumes/' + volume_id
                                   ).status_code == 404,
            what='the volume deleted with its server')


@pytest.mark.parametrize('version, bdm, message', [
    ('2.66', {'source_type': 'blank', 'destination_type': 'volume',
              'volume_size': 1, 'volume_type': 'multiattach'},
     "Additional properties are not allowed ('volume_type' was "
     "unexpected)"),
    ('2.67', {'source_type': 'blank', 'destination_type': 'volume',
              'volume_size': 1, 'volume_type': 'no-such-type'},
     'Volume type no-such-type could not be found.'),
    ('2.67', {'source_type': 'blank', 'destination_type': 'local',
              'volume_size': 1, 'volume_type': 'multiattach'},
     'Specifying a volume_type with destination_type=local is not '
     'supported.'),
    ('2.67', {'source_type': 'volume', 'destination_type': 'volume',
              'uuid': '8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11',
              'volume_type': 'multiattach'},
     'Specifying volume type to existing volume is not supported.'),
    ('2.67', {'source_type': 'blank', 'destination_type': 'volume',
              'volume_size': 1, 'volume_type': 'x' * 256},
     'is too long'),
])
def test_volume_type_errors(compute, cinder, version, bdm, message):
    resp = compute.post(S, version=version, json={'server': {
        'name': 'typed', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none', 'block_device_mapping_v2': [bdm]}})
    assert resp.status_int == 400, resp.text
    assert message in resp.json['badRequest']['message']
    assert cinder.attachments() == []


# Swap (PUT os-volume_attachments/{volume_id}) and the os-volumes_boot alias

def _swap(compute, uuid, old, new, status=202, token='admin'):
    resp = compute.put('%s/%s/os-volume_attachments/%s' % (S, uuid, old),
                       token=token, json={'volumeAttachment': {
                           'volumeId': new}})
    assert resp.status_int == status, resp.text
    return resp


def test_swap_puts_the_new_volume_at_the_old_ones_device(compute, cloud,
                                                          cinder):
    uuid = _boot(compute)
    old, new = cinder.create_volume(ALICE), cinder.create_volume(ALICE)
    _attach(compute, uuid, old)
    cinder.wait(old, 'in-use')
    # An admin's: alice gets upstream's 403.
    resp = _swap(compute, uuid, old, new, 403, token=ALICE)
    assert 'os-volumes-attachments:swap' in resp.json['forbidden']['message']
    _swap(compute, uuid, old, new)
    volume = cinder.wait(new, 'in-use')
    assert [a['server_id'] for a in volume['attachments']] == [uuid]
    assert cinder.wait(old, 'available')['attachments'] == []
    guest = _guest_volumes(cloud, uuid)
    assert list(guest) == ['/dev/vdb']
    assert guest['/dev/vdb']['attachment_id'] == (
        volume['attachments'][0]['attachment_id'])
    listed = compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json
    assert listed == {'volumeAttachments': [{
        'id': new, 'volumeId': new, 'serverId': uuid,
        'device': '/dev/vdb'}]}
    actions = compute.get('%s/%s/os-instance-actions' % (S, uuid)).json
    assert 'swap_volume' in [a['action'] for a in
                             actions['instanceActions']]
    # The swapped-in volume detaches as any other.
    resp = compute.delete('%s/%s/os-volume_attachments/%s' % (
        S, uuid, new))
    assert resp.status_int == 202, resp.text
    _wait_released(cinder, new)


def test_swap_errors(compute, cloud, cinder):
    uuid = _boot(compute)
    old = cinder.create_volume(ALICE, size=2)
    _attach(compute, uuid, old)
    cinder.wait(old, 'in-use')
    missing = '8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11'
    spare = cinder.create_volume(ALICE, size=2)
    # The URL's volume: 404 when unknown or not attached here.
    _swap(compute, uuid, missing, spare, 404)
    _swap(compute, uuid, spare, old, 404)
    # The body's volume: 400 when unknown, attached, or smaller.
    resp = _swap(compute, uuid, old, missing, 400)
    assert resp.json['badRequest']['message'] == (
        'Volume %s could not be found.' % missing)
    resp = _swap(compute, uuid, old, old, 400)
    assert 'must be detached' in resp.json['badRequest']['message']
    small = cinder.create_volume(ALICE, size=1)
    resp = _swap(compute, uuid, old, small, 400)
    assert 'same size or larger' in resp.json['badRequest']['message']
    _swap(compute, uuid, old, 'not-a-uuid', 400)
    resp = compute.put('%s/%s/os-volume_attachments/%s' % (S, uuid, old),
                       token='admin', json={'volumeAttachment': {
                           'volumeId': spare, 'device': '/dev/vdc'}})
    assert resp.status_int == 400, resp.text
    # Nothing changed in Cinder.
    assert cinder.volume(old)['status'] == 'in-use'
    assert cinder.volume(spare)['status'] == 'available'
    # A state the swap needs a running guest for: 409 (a lock stops no
    # admin).
    resp = compute.post('%s/%s/action' % (S, uuid), json={'suspend': None})
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'SUSPENDED')
    resp = _swap(compute, uuid, old, spare, 409)
    assert 'suspended' in resp.json['conflictingRequest']['message']
    assert cinder.volume(old)['status'] == 'in-use'
    assert cinder.volume(spare)['status'] == 'available'


def test_a_failed_swap_keeps_the_old_volume(compute, cloud, cinder):
    uuid = _boot(compute)
    old, new = cinder.create_volume(ALICE), cinder.create_volume(ALICE)
    _attach(compute, uuid, old)
    cinder.wait(old, 'in-use')
    fake.fail_on(_host(cloud), 'swap_volume')
    _swap(compute, uuid, old, new)
    _wait_released(cinder, new)
    volume = cinder.wait(old, 'in-use')
    assert [a['server_id'] for a in volume['attachments']] == [uuid]
    guest = _guest_volumes(cloud, uuid)
    assert guest['/dev/vdb']['attachment_id'] == (
        volume['attachments'][0]['attachment_id'])
    listed = compute.get('%s/%s/os-volume_attachments' % (S, uuid)).json
    assert [a['volumeId'] for a in listed['volumeAttachments']] == [old]


def test_os_volumes_boot_is_servers(compute, cloud, cinder):
    volume_id = cinder.create_volume(ALICE)
    resp = compute.post('/v2.1/os-volumes_boot', json={'server': {
        'name': 'bfv', 'flavorRef': '1', 'imageRef': '', 'networks': 'none',
        'block_device_mapping_v2': [{
            'source_type': 'volume', 'destination_type': 'volume',
            'uuid': volume_id, 'boot_index': 0}]}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    _wait(compute, uuid, 'ACTIVE')
    shown = compute.get('/v2.1/os-volumes_boot/' + uuid).json['server']
    assert shown == compute.get(S + '/' + uuid).json['server']
    assert shown['os-extended-volumes:volumes_attached'] == [
        {'id': volume_id, 'delete_on_termination': False}]
    assert [s['id'] for s in compute.get('/v2.1/os-volumes_boot').json[
        'servers']] == [uuid]
    assert [s['id'] for s in compute.get('/v2.1/os-volumes_boot/detail').json[
        'servers']] == [uuid]
    resp = compute.put('/v2.1/os-volumes_boot/' + uuid,
                       json={'server': {'name': 'renamed'}})
    assert resp.status_int == 200, resp.text
    assert resp.json['server']['name'] == 'renamed'
    assert compute.delete('/v2.1/os-volumes_boot/' + uuid).status_int == 204
    assert cinder.wait(volume_id, 'available')['attachments'] == []
