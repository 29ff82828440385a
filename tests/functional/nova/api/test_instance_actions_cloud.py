"""/servers/{id}/os-instance-actions by microversion over an in-process
cloud: 2.58 (paging, changes-since, updated_at), 2.62 (events' host and
hostId) and 2.66 (changes-before)."""

import datetime
import hashlib
import urllib.parse

import pytest

from tests.functional.nova.api.conftest import flavor_body
from tests.functional.nova.api import test_servers_cloud as servers_cloud
from tests.functional.nova.api.test_servers_cloud import _wait

S = '/v2.1/servers'
ALICE = 'alice:p1'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


# The in-process cloud with one compute (4 vcpus, 4096 MB, 100 GB).
cloud = servers_cloud.cloud


@pytest.fixture
def server(cloud, cloud_conf):
    """(client as alice, the server: created, stopped, started)."""
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token=ALICE, version='2.58')
    resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    resp = client.post(S, version='2.53', json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    _wait(client, uuid, 'ACTIVE')
    for action, status in (('os-stop', 'SHUTOFF'), ('os-start', 'ACTIVE')):
        resp = client.post(S + '/%s/action' % uuid, json={action: None})
        assert resp.status_int == 202, resp.text
        _wait(client, uuid, status)
    return client, uuid


def _list(client, uuid, query='', status=200, **kw):
    resp = client.get(S + '/%s/os-instance-actions%s' % (uuid, query), **kw)
    assert resp.status_int == status, resp.text
    return resp.json


def test_updated_at_from_2_58(server):
    client, uuid = server
    old = _list(client, uuid, version='2.57')['instanceActions']
    assert [a['action'] for a in old] == ['start', 'stop', 'create']
    assert all('updated_at' not in a for a in old)
    new = _list(client, uuid)['instanceActions']
    assert all(a['updated_at'] >= a['start_time'] for a in new)
    shown = client.get(S + '/%s/os-instance-actions/%s' % (
        uuid, new[0]['request_id'])).json['instanceAction']
    assert shown['updated_at'] == new[0]['updated_at']
    assert 'links' not in _list(client, uuid, version='2.57')


def test_paging(server):
    client, uuid = server
    first = _list(client, uuid, '?limit=2')
    assert [a['action'] for a in first['instanceActions']] == ['start',
                                                               'stop']
    (link,) = first['links']
    assert link['rel'] == 'next'
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link['href']).query)
    assert query == {'limit': ['2'], 'marker': [
        first['instanceActions'][1]['request_id']]}
    second = _list(client, uuid, '?' + urllib.parse.urlsplit(
        link['href']).query)
    assert [a['action'] for a in second['instanceActions']] == ['create']
    assert 'links' not in second
    assert _list(client, uuid, '?limit=0')['instanceActions'] == []

    resp = _list(client, uuid, '?marker=req-nothing', 400)
    assert 'Marker req-nothing could not be found' in resp[
        'badRequest']['message']
    # Before 2.58 the query means nothing.
    assert len(_list(client, uuid, '?marker=req-nothing&limit=1',
                     version='2.57')['instanceActions']) == 3


@pytest.mark.parametrize('query,version', [
    ('?limit=-1', '2.58'), ('?limit=x', '2.58'), ('?other=1', '2.58'),
    ('?changes-since=yesterday', '2.58'),
    # changes-before arrives in 2.66.
    ('?changes-before=2020-01-01T00:00:00Z', '2.65'),
    ('?changes-before=never', '2.66'),
    ('?changes-since=2020-01-02T00:00:00Z'
     '&changes-before=2020-01-01T00:00:00Z', '2.66'),
])
def test_bad_queries(server, query, version):
    client, uuid = server
    _list(client, uuid, query, 400, version=version)


def test_changes_since_and_before(server):
    client, uuid = server
    actions = _list(client, uuid)['instanceActions']
    newest = actions[0]['updated_at']
    later = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)
             ).strftime('%Y-%m-%dT%H:%M:%SZ')
    assert _list(client, uuid, '?changes-since=' + later)[
        'instanceActions'] == []
    assert len(_list(client, uuid, '?changes-since=2020-01-01T00:00:00Z')[
        'instanceActions']) == 3
    assert _list(client, uuid, '?changes-since=%s' % newest)[
        'instanceActions'][0]['action'] == 'start'
    past = '?changes-before=2020-01-01T00:00:00Z'
    assert _list(client, uuid, past, version='2.66')[
        'instanceActions'] == []
    assert len(_list(client, uuid, '?changes-before=' + later,
                     version='2.66')['instanceActions']) == 3
    assert len(_list(client, uuid, '?changes-since=2020-01-01T00:00:00Z'
                     '&changes-before=' + later,
                     version='2.66')['instanceActions']) == 3


def _events(client, uuid, version, token):
    action = _list(client, uuid)['instanceActions'][0]
    return client.get(S + '/%s/os-instance-actions/%s' % (
        uuid, action['request_id']), version=version,
        token=token).json['instanceAction']['events']


def test_event_host_and_host_id_from_2_62(server, cloud):
    client, uuid = server
    (host,) = cloud.computes
    host_id = hashlib.sha224(('p1' + host).encode()).hexdigest()
    (event,) = _events(client, uuid, '2.62', 'admin')
    assert event['host'] == host and event['hostId'] == host_id
    assert 'traceback' in event
    # The owner sees hostId, not which host.
    (event,) = _events(client, uuid, '2.62', ALICE)
    assert event['hostId'] == host_id
    assert 'host' not in event and 'traceback' not in event
    (event,) = _events(client, uuid, '2.61', 'admin')
    assert 'host' not in event and 'hostId' not in event
