"""Remote consoles end to end: the API in-process over an in-process cloud
(fake computes on the fake transport): the link a compute hands out, the
token behind it (os-console-auth-tokens), the pre-2.6 console actions and
/servers/{id}/ips."""

import urllib.parse

import pytest

from tests.functional.nova.api.conftest import flavor_body
from tests.functional.nova.api import test_servers_cloud as servers_cloud
from tests.functional.nova.api.test_servers_cloud import _wait

S = '/v2.1/servers'
ALICE = 'alice:p1'
BOB = 'bob:p2'
VNC = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


# The in-process cloud with one compute (4 vcpus, 4096 MB, 100 GB).
cloud = servers_cloud.cloud


@pytest.fixture
def compute(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token=ALICE, version='2.6')
    for name, flavorid, vcpus in (('m1.tiny', '1', 1), ('m1.huge', '3', 64)):
        resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
            name, flavorid, ram=512, vcpus=vcpus, disk=1))
        assert resp.status_int == 200, resp.text
    return client


def _boot(compute, flavor='1'):
    resp = compute.post(S, version='2.53', json={'server': {
        'name': 'vm', 'flavorRef': flavor, 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    return resp.json['server']['id']


@pytest.fixture
def server(compute):
    uuid = _boot(compute)
    _wait(compute, uuid, 'ACTIVE')
    return uuid


def _console(compute, uuid, body=VNC, status=200, **kw):
    resp = compute.post(S + '/%s/remote-consoles' % uuid, json=body, **kw)
    assert resp.status_int == status, resp.text
    return resp


def _token(url: str) -> str:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if 'path' in query:
        # noVNC's form: the token inside the path parameter.
        query = urllib.parse.parse_qs(query['path'][0].lstrip('?'))
    return query['token'][0]


def _token_details(compute, token, version='2.31', status=200,
                   auth='admin'):
    resp = compute.get('/v2.1/os-console-auth-tokens/' + token,
                       version=version, token=auth)
    assert resp.status_int == status, resp.text
    return resp.json


def test_vnc_console_link_and_its_token(compute, cloud, server):
    console = _console(compute, server).json['remote_console']
    assert console['protocol'] == 'vnc' and console['type'] == 'novnc'
    assert console['url'].startswith(
        'http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D')
    token = _token(console['url'])

    details = _token_details(compute, token)['console']
    assert details == {'instance_uuid': server,
                       'host': 'fakevncconsole.com', 'port': 6969,
                       'internal_access_path': 'FAKE'}
    # Before 2.31 only rdp-html5 tokens are shown.
    _token_details(compute, token, version='2.30', status=401)
    # Admins only.
    resp = compute.get('/v2.1/os-console-auth-tokens/' + token,
                       version='2.31')
    assert resp.status_int == 403, resp.text
    _token_details(compute, 'no-such-token', status=404)

    # A token dies with its server.
    assert compute.delete(S + '/' + server).status_int == 204
    _wait(compute, server, 404)
    _token_details(compute, token, status=404)


def test_expired_token_is_not_found(compute, cloud_conf, server):
    cloud_conf.set_override('token_ttl', 0, group='consoleauth')
    url = _console(compute, server).json['remote_console']['url']
    _token_details(compute, _token(url), status=404)


def test_other_consoles(compute, cloud_conf, server):
    # Not enabled here: 400.
    resp = _console(compute, server, {'remote_console': {
        'protocol': 'spice', 'type': 'spice-html5'}}, 400)
    assert 'Unavailable console type spice-html5' in resp.text
    for group in ('spice', 'serial_console', 'rdp', 'mks'):
        cloud_conf.set_override('enabled', True, group=group)
    cloud_conf.set_override('base_url', 'ws://proxy:6083/',
                            group='serial_console')
    url = _console(compute, server, {'remote_console': {
        'protocol': 'spice', 'type': 'spice-html5'}}).json[
            'remote_console']['url']
    assert url.startswith(
        'http://127.0.0.1:6082/spice_auto.html?token=')
    serial = _console(compute, server, {'remote_console': {
        'protocol': 'serial', 'type': 'serial'}}).json['remote_console']
    assert serial['url'].startswith('ws://proxy:6083/?token=')
    details = _token_details(compute, _token(serial['url']))['console']
    assert details['host'] == 'fakeserialconsole.com'
    # A type the protocol does not offer.
    resp = _console(compute, server, {'remote_console': {
        'protocol': 'vnc', 'type': 'spice-html5'}}, 400)
    assert 'Invalid console type spice-html5' in resp.text
    # The fake driver, as libvirt, has no rdp or mks console.
    resp = _console(compute, server, {'remote_console': {
        'protocol': 'rdp', 'type': 'rdp-html5'}}, 501)
    assert resp.json['notImplemented']['code'] == 501
    _console(compute, server, {'remote_console': {
        'protocol': 'mks', 'type': 'webmks'}}, 501, version='2.8')


@pytest.mark.parametrize('version,body,status', [
    # mks arrives in 2.8.
    ('2.7', {'remote_console': {'protocol': 'mks', 'type': 'webmks'}}, 400),
    ('2.6', {'remote_console': {'protocol': 'vnc'}}, 400),
    ('2.6', {'remote_console': {'protocol': 'vnc', 'type': 'novnc',
                                'x': 1}}, 400),
    ('2.6', {'remote_console': {'protocol': 'ssh', 'type': 'novnc'}}, 400),
    ('2.6', {}, 400),
    # No such route before 2.6.
    ('2.5', VNC, 404),
])
def test_remote_console_bad_requests(compute, server, version, body,
                                     status):
    _console(compute, server, body, status, version=version)


def test_console_refusals(compute, cloud_conf, server):
    # Another project's server is not found.
    _console(compute, server, status=404, token=BOB)
    _console(compute, 'a4f3c9a2-0c59-4e32-b2a4-4bd0b8bdbc1e', status=404)
    # A server that never got a host.
    cloud_conf.set_override('cores', 100, group='quota')
    failed = _boot(compute, flavor='3')
    _wait(compute, failed, 'ERROR')
    resp = _console(compute, failed, status=409)
    assert 'is not ready' in resp.text


def test_pre_2_6_console_actions(compute, cloud_conf, server):
    resp = compute.post(S + '/%s/action' % server, version='2.5',
                        json={'os-getVNCConsole': {'type': 'novnc'}})
    assert resp.status_int == 200, resp.text
    console = resp.json['console']
    assert console['type'] == 'novnc' and _token(console['url'])
    # xvpvnc is no more; a type the action does not know; no arguments.
    for body in ({'os-getVNCConsole': {'type': 'xvpvnc'}},
                 {'os-getVNCConsole': {'type': 'serial'}},
                 {'os-getVNCConsole': {}},
                 {'os-getSerialConsole': {'type': 'serial'}}):
        resp = compute.post(S + '/%s/action' % server, version='2.5',
                            json=body)
        assert resp.status_int == 400, (body, resp.text)
    cloud_conf.set_override('enabled', True, group='rdp')
    resp = compute.post(S + '/%s/action' % server, version='2.1',
                        json={'os-getRDPConsole': {'type': 'rdp-html5'}})
    assert resp.status_int == 501, resp.text
    cloud_conf.set_override('enabled', True, group='spice')
    resp = compute.post(S + '/%s/action' % server, version='2.1',
                        json={'os-getSPICEConsole': {'type': 'spice-html5'}})
    assert resp.status_int == 200, resp.text
    assert resp.json['console']['type'] == 'spice-html5'
    # Gone from 2.6, whatever the body.
    for body in ({'os-getVNCConsole': {'type': 'novnc'}},
                 {'os-getVNCConsole': {'type': 'bad'}}):
        resp = compute.post(S + '/%s/action' % server, version='2.6',
                            json=body)
        assert resp.status_int == 404, resp.text


def test_ips(compute, server):
    resp = compute.get(S + '/%s/ips' % server)
    assert resp.status_int == 200, resp.text
    # As the server's body shows them: no network service, no address.
    shown = compute.get(S + '/' + server).json['server']['addresses']
    assert resp.json == {'addresses': shown} == {'addresses': {}}
    resp = compute.get(S + '/%s/ips/private' % server)
    assert resp.status_int == 404, resp.text
    assert 'not a member of specified network' in resp.text
    assert compute.get(S + '/%s/ips' % server,
                       token=BOB).status_int == 404
    assert compute.get(S + '/%s/ips' % server,
                       token='admin').status_int == 200
