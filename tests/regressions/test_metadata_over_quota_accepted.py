"""A server could get more metadata items than the metadata_items quota.

Symptom: POST /servers with more "metadata" items than the project's
metadata_items quota was accepted (202), and so was a rebuild with
them; upstream answers 403 "Maximum number of metadata items exceeds N"
to both, as it does to the server metadata API.

Cause: only the server metadata API (set_metadata) counted metadata
items against the quota.

Fix: 4daac6e ("API differences from upstream: ..."):
quota.check_metadata_items() serves the metadata API, create and
rebuild.
"""

from tests.functional.nova.api import test_servers
from tests.functional.nova.api.test_servers import compute  # noqa: F401
from tests.functional.nova.api import test_servers_cloud

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
THREE = {'a': '1', 'b': '2', 'c': '3'}


def _limit_metadata_items(client, limit):
    resp = client.put('/v2.1/os-quota-sets/p1', token='admin', json={
        'quota_set': {'metadata_items': limit}})
    assert resp.status_int == 200, resp.text


def _over(resp, limit=2):
    assert resp.status_int == 403, resp.text
    assert resp.json == {'forbidden': {
        'code': 403,
        'message': 'Maximum number of metadata items exceeds %d' % limit}}


def test_create_over_the_metadata_quota_is_403(compute):  # noqa: F811
    _limit_metadata_items(compute, 2)
    _over(test_servers._boot(compute, metadata=THREE, status=403))
    assert compute.get(S, token=test_servers.ALICE).json['servers'] == []
    test_servers._boot(compute, metadata={'a': '1', 'b': '2'})


def test_rebuild_and_metadata_api_over_the_quota_are_403(cloud_api):
    cloud, client = cloud_api
    uuid = test_servers_cloud._boot(client, metadata={'a': '1'})
    test_servers_cloud._wait(client, uuid, 'ACTIVE')
    _limit_metadata_items(client, 2)
    _over(client.post(S + '/%s/action' % uuid, json={'rebuild': {
        'imageRef': CIRROS, 'metadata': THREE}}))
    _over(client.post(S + '/%s/metadata' % uuid, json={'metadata': {
        'b': '2', 'c': '3'}}))
    resp = client.post(S + '/%s/action' % uuid, json={'rebuild': {
        'imageRef': CIRROS, 'metadata': {'x': '1', 'y': '2'}}})
    assert resp.status_int == 202, resp.text
    assert resp.json['server']['metadata'] == {'x': '1', 'y': '2'}
