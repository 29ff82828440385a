"""Rebuild answered an admin password the guest never got, and [api]
enable_instance_password did not exist.

Symptom: the rebuild action's "adminPass" was made up after the fact:
the compute rebuilt the guest with no password, so the one answered
did not work; and with upstream's [api] enable_instance_password =
false (for hypervisors that cannot set one) create and rebuild still
answered an "adminPass".

Cause: the API generated the rebuild password only for its response
and rebuild_instance carried none; the option was missing.

Fix: 4daac6e ("API differences from upstream: ..."): the API picks the
password first and sends it down (rebuild_instance's new_pass, compute
RPC 1.9) to the driver's spawn, and answers it only when
enable_instance_password is on (the default).
"""

from tests.functional.nova.api import test_servers_cloud

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


def _guest(cloud, uuid):
    (compute,) = cloud.computes.values()
    return compute.driver.guests[uuid]


def _rebuild(client, uuid, **args):
    resp = client.post(S + '/%s/action' % uuid,
                       json={'rebuild': dict(imageRef=CIRROS, **args)})
    assert resp.status_int == 202, resp.text
    test_servers_cloud._wait(client, uuid, 'ACTIVE')
    return resp.json['server']


def test_the_password_answered_is_the_one_applied(cloud_api):
    cloud, client = cloud_api
    uuid = test_servers_cloud._boot(client, adminPass='s3cret')
    test_servers_cloud._wait(client, uuid, 'ACTIVE')
    assert _guest(cloud, uuid).admin_password == 's3cret'

    assert _rebuild(client, uuid, adminPass='other')['adminPass'] == 'other'
    assert _guest(cloud, uuid).admin_password == 'other'
    generated = _rebuild(client, uuid)['adminPass']
    assert len(generated) == 12
    assert _guest(cloud, uuid).admin_password == generated


def test_no_password_answered_when_disabled(cloud_api, cloud_conf):
    cloud, client = cloud_api
    cloud_conf.set_override('enable_instance_password', False, group='api')
    try:
        resp = client.post(S, json={'server': {
            'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
            'networks': 'none'}})
        assert resp.status_int == 202, resp.text
        assert 'adminPass' not in resp.json['server']
        uuid = resp.json['server']['id']
        test_servers_cloud._wait(client, uuid, 'ACTIVE')
        # The guest still gets a password, the user is just not told it.
        assert len(_guest(cloud, uuid).admin_password) == 12
        assert 'adminPass' not in _rebuild(client, uuid)
    finally:
        cloud_conf.clear_override('enable_instance_password', group='api')
