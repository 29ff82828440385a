"""The responses of server update and rebuild carried show's extended
attributes.

Symptom: PUT /servers/{id} and the rebuild action answered with
"OS-EXT-STS:*", "OS-EXT-AZ:availability_zone", "OS-SRV-USG:*",
"OS-EXT-SRV-ATTR:*" (admin), "os-extended-volumes:volumes_attached",
"config_drive", "key_name", "security_groups" and "host_status" (2.16+);
upstream's update and rebuild views leave those out (until 2.75).

Cause: both rendered the server with show's view.

Fix: 4daac6e ("API differences from upstream: ..."):
server_views.changed(), the fields every full view has, renders update
and rebuild; show and /servers/detail add the rest.
"""

from tests.functional.nova.api.test_servers_cloud import _boot
from tests.functional.nova.api.test_servers_cloud import _wait

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
# What update and rebuild answer (2.1; plus locked 2.9, description
# 2.19, tags 2.26), progress in a status that has it.
BASE = {'id', 'name', 'status', 'tenant_id', 'user_id', 'metadata',
        'hostId', 'image', 'flavor', 'created', 'updated', 'addresses',
        'accessIPv4', 'accessIPv6', 'links', 'OS-DCF:diskConfig'}
LATER = {'locked', 'description', 'tags'}


def test_update_and_rebuild_leave_the_extended_attributes_out(cloud_api):
    cloud, client = cloud_api
    uuid = _boot(client)
    _wait(client, uuid, 'ACTIVE')
    for token in ('alice:p1', 'admin'):
        for version, expected in (('2.1', BASE), ('2.53', BASE | LATER)):
            resp = client.put(S + '/' + uuid, version=version, token=token,
                              json={'server': {'name': 'renamed'}})
            assert resp.status_int == 200, resp.text
            assert set(resp.json['server']) - {'progress'} == expected, (
                token, version)
    resp = client.post(S + '/%s/action' % uuid, version='2.53',
                       token='admin',
                       json={'rebuild': {'imageRef': CIRROS}})
    assert resp.status_int == 202, resp.text
    server = resp.json['server']
    assert set(server) - {'progress'} == BASE | LATER | {'adminPass'}
    assert server['status'] == 'REBUILD'
    assert resp.headers['Location'] == server['links'][0]['href']
    # Show still has them all.
    _wait(client, uuid, 'ACTIVE')
    shown = client.get(S + '/' + uuid, version='2.53',
                       token='admin').json['server']
    assert {'OS-EXT-STS:vm_state', 'OS-EXT-AZ:availability_zone',
            'OS-SRV-USG:launched_at', 'OS-EXT-SRV-ATTR:host', 'key_name',
            'config_drive', 'security_groups', 'host_status',
            'os-extended-volumes:volumes_attached'} <= set(shown)
