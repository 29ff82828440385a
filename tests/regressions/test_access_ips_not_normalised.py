"""accessIPv4/accessIPv6 came back exactly as sent.

Symptom: a server created, updated or rebuilt with accessIPv6
"0000:0000:0000:0000:0000:babe:220.12.22.2" showed it so; upstream
stores and shows the address normalised ("::babe:dc0c:1602"), as its
instance object's address fields coerce it.

Cause: the API stored the request's text.

Fix: 4daac6e ("API differences from upstream: ..."): servers.access_ip()
normalises the addresses create, update and rebuild store.
"""

from tests.functional.nova.api.test_servers_cloud import _boot
from tests.functional.nova.api.test_servers_cloud import _wait

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
LONG_V6 = '0000:0000:0000:0000:0000:babe:220.12.22.2'
SHORT_V6 = '::babe:dc0c:1602'


def _ips(client, uuid):
    server = client.get(S + '/' + uuid).json['server']
    return server['accessIPv4'], server['accessIPv6']


def test_access_addresses_are_normalised(cloud_api):
    cloud, client = cloud_api
    uuid = _boot(client, accessIPv4='192.168.0.3', accessIPv6=LONG_V6)
    assert _ips(client, uuid) == ('192.168.0.3', SHORT_V6)
    _wait(client, uuid, 'ACTIVE')
    assert _ips(client, uuid) == ('192.168.0.3', SHORT_V6)

    resp = client.put(S + '/' + uuid, json={'server': {
        'accessIPv6': '2001:0DB8:0000:0000:0000:0000:0000:0001'}})
    assert resp.status_int == 200, resp.text
    assert resp.json['server']['accessIPv6'] == '2001:db8::1'
    assert _ips(client, uuid) == ('192.168.0.3', '2001:db8::1')

    resp = client.post(S + '/%s/action' % uuid, json={'rebuild': {
        'imageRef': CIRROS, 'accessIPv6': LONG_V6}})
    assert resp.status_int == 202, resp.text
    assert resp.json['server']['accessIPv6'] == SHORT_V6
    assert _ips(client, uuid) == ('192.168.0.3', SHORT_V6)
