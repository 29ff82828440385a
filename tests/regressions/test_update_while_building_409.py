"""Updating a server while it was being built answered 409.

Symptom: PUT /servers/{id} right after create (the server still a build
request, status BUILD) answered 409 "Cannot 'update' instance ... while
it is in vm_state building"; upstream allows an update in any state,
and on a server not scheduled yet changes its build request.

Cause: compute_api.update checked the state of a server that had no
cell yet.

Fix: 4daac6e ("API differences from upstream: ..."): update changes the
build request (build_requests.update_instance), and the conductor
creates the instance from the build request as stored then.
"""

from tests.functional.nova.api import test_servers
# The API casting to a queue no one reads: servers stay build requests.
from tests.functional.nova.api.test_servers import compute  # noqa: F401
from tests.functional.nova.api import test_servers_cloud

S = '/v2.1/servers'


def test_update_of_a_build_request(compute):  # noqa: F811
    uuid = test_servers._boot(compute).json['server']['id']
    resp = compute.put(S + '/' + uuid, version='2.19', json={'server': {
        'name': 'renamed', 'description': 'still building'}})
    assert resp.status_int == 200, resp.text
    server = resp.json['server']
    assert (server['status'], server['name'], server['description']) == (
        'BUILD', 'renamed', 'still building')
    shown = compute.get(S + '/' + uuid, version='2.19').json['server']
    assert (shown['name'], shown['description']) == ('renamed',
                                                    'still building')


def test_update_while_building_sticks_once_built(cloud_api):
    cloud, client = cloud_api
    uuid = test_servers_cloud._boot(client)
    resp = client.put(S + '/' + uuid, json={'server': {'name': 'renamed'}})
    assert resp.status_int == 200, resp.text
    server = test_servers_cloud._wait(client, uuid, 'ACTIVE')
    assert server['name'] == 'renamed'
