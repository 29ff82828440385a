"""The server actions on its state and guest end to end (soft delete and
restore, os-resetState, changePassword, injectNetworkInfo, resetNetwork,
trigger_crash_dump, shelve/shelveOffload/unshelve, rescue/unrescue) and
os-server-password: the API in-process over an in-process cloud (see
test_servers_cloud), the fake driver's guests and placement checked
directly."""

import time

import pytest

from nova.compute import states
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.db.main import services
from nova import placement_client
from tests.functional.nova.api import test_servers_cloud as servers_cloud
from tests.functional.nova.api.test_servers_cloud import (
    CIRROS, S, _act, _boot, _wait)

# The in-process cloud with one compute, and alice's client onto it.
cloud = servers_cloud.cloud
compute = servers_cloud.compute

UNKNOWN_IMAGE = '11111111-2222-3333-4444-555555555555'


def _admin_view(compute, uuid):
    return compute.get(S + '/' + uuid, token='admin').json['server']


def _actions(compute, uuid):
    return [a['action'] for a in compute.get(
        S + '/%s/os-instance-actions' % uuid).json['instanceActions']]


def _allocations(uuid):
    return placement_client.client().get_allocations(uuid)['allocations']


def _queued_for_delete(uuid):
    with engines.api_reader() as conn:
        return instance_mappings.get_by_instance_uuid(
            conn, uuid).queued_for_delete


def _guest(cloud, compute, uuid):
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    return cloud.computes[host].driver.guests[uuid]


def _active(compute):
    uuid = _boot(compute)
    _wait(compute, uuid, 'ACTIVE')
    return uuid


# -- soft delete, restore, forceDelete, reclaim


def test_delete_is_soft_with_a_reclaim_interval(compute, cloud, cloud_conf):
    cloud_conf.set_override('reclaim_instance_interval', 3600)
    uuid = _active(compute)
    assert compute.delete(S + '/' + uuid).status_int == 204
    server = _wait(compute, uuid, 'SOFT_DELETED')
    assert server['OS-EXT-STS:power_state'] == states.SHUTDOWN
    # Still holding its resources and counting against quota.
    assert _allocations(uuid)
    limits = compute.get('/v2.1/limits').json['limits']['absolute']
    assert limits['totalInstancesUsed'] == 1
    # No longer a server group member, as upstream.
    assert _queued_for_delete(uuid)
    _act(compute, uuid, {'restore': None})
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['OS-EXT-STS:power_state'] == states.RUNNING
    assert not _queued_for_delete(uuid)
    assert _actions(compute, uuid)[:2] == ['restore', 'delete']
    resp = _act(compute, uuid, {'restore': None}, 409)
    assert "Cannot 'restore' instance" in resp.text
    _act(compute, uuid, {'forceDelete': None}, 409)

    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 'SOFT_DELETED')
    _act(compute, uuid, {'forceDelete': None})
    _wait(compute, uuid, 404)
    assert not _allocations(uuid)


def test_deleting_a_soft_deleted_server_deletes_it(compute, cloud,
                                                   cloud_conf):
    cloud_conf.set_override('reclaim_instance_interval', 3600)
    uuid = _active(compute)
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 'SOFT_DELETED')
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 404)


def test_without_interval_delete_is_immediate(compute, cloud):
    uuid = _active(compute)
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 404)
    resp = _act(compute, _active(compute), {'restore': None}, 409)
    assert 'while it is in vm_state active' in resp.text


def test_the_compute_reclaims_old_soft_deleted_servers(compute, cloud,
                                                       cloud_conf):
    cloud_conf.set_override('reclaim_instance_interval', 1)
    uuid = _active(compute)
    keep = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 'SOFT_DELETED')
    manager = cloud.computes[host]
    manager.reclaim_queued_deletes(cloud.ctx)
    # Not old enough yet.
    assert _wait(compute, uuid, 'SOFT_DELETED')
    time.sleep(1.2)
    manager.reclaim_queued_deletes(cloud.ctx)
    _wait(compute, uuid, 404)
    assert not _allocations(uuid)
    assert uuid not in manager.driver.guests
    _wait(compute, keep, 'ACTIVE')


def test_a_locked_server_is_not_restored_by_its_owner(compute, cloud,
                                                      cloud_conf):
    cloud_conf.set_override('reclaim_instance_interval', 3600)
    uuid = _active(compute)
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 'SOFT_DELETED')
    _act(compute, uuid, {'lock': None}, 202)
    resp = _act(compute, uuid, {'restore': None}, 409)
    assert 'is locked' in resp.text
    resp = compute.post(S + '/%s/action' % uuid, json={'restore': None},
                        token='admin')
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'ACTIVE')


# -- os-resetState


def test_reset_state(compute, cloud):
    uuid = _active(compute)
    body = {'os-resetState': {'state': 'error'}}
    resp = compute.post(S + '/%s/action' % uuid, json=body)
    assert resp.status_int == 403, resp.text
    assert 'os-admin-actions:reset_state' in resp.text
    resp = compute.post(S + '/%s/action' % uuid, json=body, token='admin')
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'ERROR')
    resp = compute.post(S + '/%s/action' % uuid, token='admin',
                        json={'os-resetState': {'state': 'active'}})
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'ACTIVE')
    assert _actions(compute, uuid)[:2] == ['resetState', 'resetState']
    for bad in ({'state': 'stopped'}, {}, {'state': 'active', 'x': 1}):
        resp = compute.post(S + '/%s/action' % uuid, token='admin',
                            json={'os-resetState': bad})
        assert resp.status_int == 400, resp.text
    resp = compute.post(S + '/%s/action' % UNKNOWN_IMAGE, json=body,
                        token='admin')
    assert resp.status_int == 404


def test_reset_state_clears_a_stuck_task(compute, cloud):
    uuid = _active(compute)
    with engines.cell_writer(cloud.cell_of(uuid)) as conn:
        instances.update(conn, uuid, task_state=states.REBOOTING)
    _act(compute, uuid, {'os-stop': None}, 409)
    resp = compute.post(S + '/%s/action' % uuid, token='admin',
                        json={'os-resetState': {'state': 'active'}})
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'ACTIVE', task_state=None)
    _act(compute, uuid, {'os-stop': None})
    _wait(compute, uuid, 'SHUTOFF')


# -- changePassword


def test_change_password(compute, cloud):
    uuid = _active(compute)
    _act(compute, uuid, {'changePassword': {'adminPass': 's3cret'}})
    assert _guest(cloud, compute, uuid).admin_password == 's3cret'
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['OS-EXT-STS:task_state'] is None
    assert _actions(compute, uuid)[0] == 'changePassword'
    for bad in ({}, {'adminPass': 1}, {'adminPass': 'x', 'other': 1}):
        _act(compute, uuid, {'changePassword': bad}, 400)
    _act(compute, uuid, {'changePassword': None}, 400)

    _act(compute, uuid, {'os-stop': None})
    _wait(compute, uuid, 'SHUTOFF')
    resp = _act(compute, uuid, {'changePassword': {'adminPass': 'x'}}, 409)
    assert "Cannot 'changePassword' instance" in resp.text


def test_status_is_password_while_it_changes(compute, cloud, monkeypatch):
    uuid = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    seen = []

    def look(instance, new_pass):
        seen.append(compute.get(S + '/' + uuid).json['server']['status'])
    monkeypatch.setattr(cloud.computes[host].driver, 'set_admin_password',
                        look)
    _act(compute, uuid, {'changePassword': {'adminPass': 'x'}})
    assert seen == ['PASSWORD']
    _wait(compute, uuid, 'ACTIVE')


def test_change_password_of_a_guest_not_running_is_409(compute, cloud):
    uuid = _active(compute)
    guest = _guest(cloud, compute, uuid)
    guest.power_state = states.SHUTDOWN
    booted_with = guest.admin_password
    resp = _act(compute, uuid, {'changePassword': {'adminPass': 'x'}}, 409)
    assert 'Failed to set admin password' in resp.text
    assert guest.admin_password == booted_with != 'x'
    _wait(compute, uuid, 'ACTIVE', task_state=None)


def test_change_password_the_driver_cannot_do_is_501(compute, cloud,
                                                      monkeypatch):
    uuid = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']

    def unsupported(instance, new_pass):
        raise NotImplementedError()
    monkeypatch.setattr(cloud.computes[host].driver, 'set_admin_password',
                        unsupported)
    resp = _act(compute, uuid, {'changePassword': {'adminPass': 'x'}}, 501)
    assert resp.json['notImplemented']['message'] == (
        'Unable to set password on instance')
    # The task is cleared: the next action may go.
    _wait(compute, uuid, 'ACTIVE', task_state=None)


# -- injectNetworkInfo, resetNetwork (admin; no network service: the
# driver has nothing to do, as upstream's base driver)


@pytest.mark.parametrize('name', ['injectNetworkInfo', 'resetNetwork'])
def test_network_actions_are_admin_only(compute, cloud, name):
    uuid = _active(compute)
    resp = _act(compute, uuid, {name: None}, 403)
    assert 'os_compute_api:os-admin-actions:' in resp.text
    resp = compute.post(S + '/%s/action' % uuid, json={name: None},
                        token='admin')
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'ACTIVE')


# -- trigger_crash_dump


def test_trigger_crash_dump(compute, cloud):
    uuid = _active(compute)
    url = S + '/%s/action' % uuid
    body = {'trigger_crash_dump': None}
    resp = compute.post(url, json=body, version='2.16')
    assert resp.status_int == 404, resp.text
    resp = compute.post(url, json=body, version='2.17')
    assert resp.status_int == 202, resp.text
    guest = _guest(cloud, compute, uuid)
    from tests import nova_services
    nova_services.wait_for(lambda: guest.crash_dumps == 1,
                           what='the crash dump')
    assert _actions(compute, uuid)[0] == 'trigger_crash_dump'
    resp = compute.post(url, json={'trigger_crash_dump': {'x': 1}},
                        version='2.17')
    assert resp.status_int == 400, resp.text

    _act(compute, uuid, {'lock': None})
    resp = compute.post(url, json=body, version='2.17', token='bob:p1')
    assert resp.status_int == 409, resp.text
    _act(compute, uuid, {'unlock': None})
    _act(compute, uuid, {'os-stop': None})
    _wait(compute, uuid, 'SHUTOFF')
    resp = compute.post(url, json=body, version='2.17')
    assert resp.status_int == 409, resp.text


def test_a_crash_dump_needs_a_host(compute, cloud):
    uuid = _active(compute)
    _act(compute, uuid, {'shelve': None})
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    resp = compute.post(S + '/%s/action' % uuid, version='2.17',
                        json={'trigger_crash_dump': None})
    assert resp.status_int == 409, resp.text
    assert 'is not ready' in resp.text


# -- shelve, shelveOffload, unshelve


def test_shelve_offload_and_unshelve(compute, cloud, cloud_conf):
    cloud_conf.set_override('shelved_offload_time', -1)
    uuid = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    _act(compute, uuid, {'shelve': None})
    server = _wait(compute, uuid, 'SHELVED')
    assert server['OS-EXT-STS:power_state'] == states.SHUTDOWN
    assert _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host'] == host
    assert _allocations(uuid)
    _act(compute, uuid, {'shelve': None}, 409)
    resp = _act(compute, uuid, {'shelveOffload': None}, 403)
    assert 'os-shelve:shelve_offload' in resp.text

    resp = compute.post(S + '/%s/action' % uuid, token='admin',
                        json={'shelveOffload': None})
    assert resp.status_int == 202, resp.text
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    admin = _admin_view(compute, uuid)
    assert admin['OS-EXT-SRV-ATTR:host'] is None
    assert uuid not in cloud.computes[host].driver.guests
    assert not _allocations(uuid)
    # Still counted: it can come back.
    limits = compute.get('/v2.1/limits').json['limits']['absolute']
    assert limits['totalInstancesUsed'] == 1

    _act(compute, uuid, {'unshelve': None})
    server = _wait(compute, uuid, 'ACTIVE')
    assert server['OS-EXT-STS:power_state'] == states.RUNNING
    assert _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host'] in (
        cloud.computes)
    assert _allocations(uuid)
    assert _actions(compute, uuid)[:3] == ['unshelve', 'shelveOffload',
                                           'shelve']
    _act(compute, uuid, {'unshelve': None}, 409)
    sysmeta = cloud.instance(uuid).system_metadata
    assert 'shelved_at' not in sysmeta


def test_unshelve_a_shelved_server_powers_it_on_where_it_is(compute, cloud,
                                                            cloud_conf):
    cloud_conf.set_override('shelved_offload_time', -1)
    uuid = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    _act(compute, uuid, {'shelve': None})
    _wait(compute, uuid, 'SHELVED')
    _act(compute, uuid, {'unshelve': None})
    _wait(compute, uuid, 'ACTIVE')
    assert _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host'] == host
    assert _guest(cloud, compute, uuid).power_state == states.RUNNING


def test_shelve_offloads_at_once_by_default(compute, cloud):
    uuid = _active(compute)
    _act(compute, uuid, {'os-stop': None})
    _wait(compute, uuid, 'SHUTOFF')
    _act(compute, uuid, {'shelve': None})
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    assert not _allocations(uuid)
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 404)


def test_the_compute_offloads_servers_shelved_long_enough(compute, cloud,
                                                          cloud_conf):
    cloud_conf.set_override('shelved_offload_time', 1)
    uuid = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    _act(compute, uuid, {'shelve': None})
    _wait(compute, uuid, 'SHELVED')
    time.sleep(1.2)
    cloud.computes[host].offload_shelved_instances(cloud.ctx)
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    assert not _allocations(uuid)


def test_unshelve_schedules_again(compute, cloud):
    uuid = _active(compute)
    _act(compute, uuid, {'shelve': None})
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    # Fill the only host.
    other = _boot(compute, flavor='2')
    other2 = _boot(compute, flavor='2')
    _wait(compute, other, 'ACTIVE')
    _wait(compute, other2, 'ACTIVE')
    _act(compute, uuid, {'unshelve': None})
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    # A fault is shown in ERROR only; it is recorded all the same.
    assert 'No valid host' in cloud.instance(uuid).fault['message']
    assert not _allocations(uuid)
    # Room elsewhere: scheduled there.
    new = cloud.add_compute(vcpus=4, memory_mb=4096, local_gb=100)
    _act(compute, uuid, {'unshelve': None})
    _wait(compute, uuid, 'ACTIVE')
    assert _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host'] == new.host
    (provider,) = _allocations(uuid)
    shown = placement_client.client().request(
        'GET', '/resource_providers/' + provider).json()
    assert shown['name'] == new.host


def test_a_failed_unshelve_spawn_leaves_it_offloaded(compute, cloud):
    from nova.virt import fake
    uuid = _active(compute)
    _act(compute, uuid, {'shelve': None})
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    for host in cloud.computes:
        fake.fail_on(host, 'spawn')
    _act(compute, uuid, {'unshelve': None})
    _wait(compute, uuid, 'SHELVED_OFFLOADED')
    assert _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host'] is None
    assert not _allocations(uuid)
    assert 'Injected failure of spawn' in cloud.instance(uuid).fault[
        'message']
    fake.reset_failures()
    _act(compute, uuid, {'unshelve': None})
    _wait(compute, uuid, 'ACTIVE')


def test_shelve_state_and_lock_checks(compute, cloud):
    uuid = _active(compute)
    resp = _act(compute, uuid, {'unshelve': None}, 409)
    assert "Cannot 'unshelve' instance" in resp.text
    resp = compute.post(S + '/%s/action' % uuid, token='admin',
                        json={'lock': None})
    assert resp.status_int == 202
    resp = _act(compute, uuid, {'shelve': None}, 409)
    assert 'is locked' in resp.text


# -- rescue, unrescue


def test_rescue_and_unrescue(compute, cloud):
    uuid = _active(compute)
    resp = _act(compute, uuid, {'rescue': None}, 200)
    password = resp.json['adminPass']
    assert password
    _wait(compute, uuid, 'RESCUE')
    guest = _guest(cloud, compute, uuid)
    assert guest.rescue_image == CIRROS
    assert guest.admin_password == password
    _act(compute, uuid, {'rescue': None}, 409)
    _act(compute, uuid, {'unrescue': None})
    _wait(compute, uuid, 'ACTIVE')
    assert guest.rescue_image is None
    resp = _act(compute, uuid, {'unrescue': None}, 409)
    assert "Cannot 'unrescue' instance" in resp.text
    assert _actions(compute, uuid)[:2] == ['unrescue', 'rescue']


def test_rescue_with_password_and_image(compute, cloud):
    uuid = _active(compute)
    resp = _act(compute, uuid, {'rescue': {'adminPass': 'p4ss',
                                           'rescue_image_ref': CIRROS}}, 200)
    assert resp.json == {'adminPass': 'p4ss'}
    _wait(compute, uuid, 'RESCUE')
    _act(compute, uuid, {'unrescue': None})
    _wait(compute, uuid, 'ACTIVE')

    resp = _act(compute, uuid, {'rescue': {
        'rescue_image_ref': UNKNOWN_IMAGE}}, 400)
    assert 'Can not find requested image' in resp.text
    for bad in ({'rescue_image_ref': 'not-a-uuid'}, {'other': 1}):
        _act(compute, uuid, {'rescue': bad}, 400)


def test_rescue_answers_no_password_when_passwords_are_off(compute, cloud,
                                                          cloud_conf):
    cloud_conf.set_override('enable_instance_password', False, group='api')
    try:
        uuid = _active(compute)
        resp = _act(compute, uuid, {'rescue': {'adminPass': 'p4ss'}}, 200)
        assert resp.json == {}
        _wait(compute, uuid, 'RESCUE')
        assert _guest(cloud, compute, uuid).admin_password == 'p4ss'
    finally:
        cloud_conf.clear_override('enable_instance_password', group='api')


def test_rescue_a_stopped_server(compute, cloud):
    uuid = _active(compute)
    _act(compute, uuid, {'os-stop': None})
    _wait(compute, uuid, 'SHUTOFF')
    _act(compute, uuid, {'rescue': None}, 200)
    server = _wait(compute, uuid, 'RESCUE')
    assert server['OS-EXT-STS:power_state'] == states.RUNNING
    _act(compute, uuid, {'unrescue': None})
    _wait(compute, uuid, 'ACTIVE')


# -- os-server-password


def test_server_password(compute, cloud):
    uuid = _active(compute)
    url = S + '/%s/os-server-password' % uuid
    resp = compute.get(url)
    assert resp.status_int == 200, resp.text
    assert resp.json == {'password': ''}
    encrypted = 'x' * 255 + 'yz'
    inst = cloud.instance(uuid)
    with engines.cell_writer(cloud.cell_of(uuid)) as conn:
        instances.update(conn, uuid, system_metadata=dict(
            inst.system_metadata, password_0='x' * 255, password_1='yz'))
    assert compute.get(url).json == {'password': encrypted}
    assert compute.get(url, token='bob:p2').status_int == 404
    assert compute.delete(url, token='bob:p2').status_int == 404
    resp = compute.delete(url)
    assert resp.status_int == 204, resp.text
    assert compute.get(url).json == {'password': ''}
    assert compute.get(S + '/%s/os-server-password' % UNKNOWN_IMAGE
                       ).status_int == 404


def test_delete_with_the_host_down_is_immediate(compute, cloud, cloud_conf):
    """As upstream: a server whose host cannot power it off is deleted by
    the API, interval or not."""
    cloud_conf.set_override('reclaim_instance_interval', 3600)
    uuid = _active(compute)
    host = _admin_view(compute, uuid)['OS-EXT-SRV-ATTR:host']
    manager = cloud.computes[host]
    assert manager.service_ref is not None
    with engines.cell_writer(cloud.cell_of(uuid)) as conn:
        services.update(conn, manager.service_ref.id, forced_down=True)
    assert compute.delete(S + '/' + uuid).status_int == 204
    _wait(compute, uuid, 404)
    assert not _allocations(uuid)
