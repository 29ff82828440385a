"""/servers over several cells with no service running: servers written
straight into cell1 (the backend's database) and cell2 (SQLite), build
requests in the API database. Listing merges them in one order across
pages; showing, updating, metadata, tags, locks and the task_state
compare-and-swap of actions work on the cell a server is mapped to."""

import datetime
import uuid as uuidlib

from oslo_utils import timeutils
import pytest

from nova.compute import states
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.db.main import services
from nova.objects.cell_mapping import CellMapping
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.service import Service
from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ALICE = 'alice:p1'
TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)
T0 = datetime.datetime(2017, 6, 1, 12, 0, 0)


@pytest.fixture
def compute(api_conf):
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    client = direct.ComputeDirect(api_conf, token=ALICE, version='2.53')
    resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    yield client
    rpc.cleanup()


@pytest.fixture
def cloud(compute, two_cells):
    return two_cells


def _put(cell: CellMapping, name: str, minutes: int, project='p1',
         **values) -> str:
    """An instance in `cell` created T0 + minutes, mapped there."""
    uuid = str(uuidlib.uuid4())
    values.setdefault('vm_state', states.ACTIVE)
    inst = Instance(uuid=uuid, project_id=project, user_id='alice',
                    flavor=TINY, display_name=name, image_ref=CIRROS,
                    created_at=T0 + datetime.timedelta(minutes=minutes),
                    **values)
    with engines.cell_writer(cell) as conn:
        instances.create(conn, inst)
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, project, cell_id=cell.id,
                                 user_id='alice')
    return uuid


def _boot(compute, name):
    resp = compute.post(S, json={'server': {
        'name': name, 'flavorRef': '1', 'imageRef': CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    return resp.json['server']['id']


def _names(compute, query=''):
    return [s['name'] for s in compute.get(S + query).json['servers']]


def _pages(compute, query, limit):
    names, marker = [], None
    while True:
        url = S + '?limit=%d%s' % (limit, query)
        if marker:
            url += '&marker=' + marker
        body = compute.get(url).json
        names += [s['name'] for s in body['servers']]
        if 'servers_links' not in body:
            return names
        marker = body['servers'][-1]['id']


def test_list_merges_cells_and_build_requests(compute, cloud):
    _put(cloud['cell1'], 'a', 1)
    _put(cloud['cell2'], 'b', 2)
    _put(cloud['cell1'], 'c', 3, vm_state=states.STOPPED)
    _put(cloud['cell2'], 'd', 4, vm_state=states.ERROR)
    _put(cloud['cell1'], 'other', 5, project='p2')
    _boot(compute, 'e')     # a build request: created now, the newest
    assert _names(compute) == ['e', 'd', 'c', 'b', 'a']
    for limit in (1, 2, 3, 10):
        assert _pages(compute, '', limit) == ['e', 'd', 'c', 'b', 'a']
    by_name = '&sort_key=display_name&sort_dir=asc'
    assert _pages(compute, by_name, 2) == ['a', 'b', 'c', 'd', 'e']
    assert _pages(compute, '&sort_key=display_name&sort_dir=desc',
                  2) == ['e', 'd', 'c', 'b', 'a']
    assert _names(compute, '?status=SHUTOFF') == ['c']
    assert _names(compute, '?status=ACTIVE') == ['b', 'a']
    assert _names(compute, '?name=^[ab]$&sort_key=created_at'
                  '&sort_dir=asc') == ['a', 'b']
    (d,) = compute.get(S + '/detail?status=ERROR').json['servers']
    assert d['status'] == 'ERROR' and d['name'] == 'd'
    everyone = compute.get(S + '?all_tenants=1', token='admin').json
    assert len(everyone['servers']) == 6


def test_marker_in_any_cell_or_a_build_request(compute, cloud):
    a = _put(cloud['cell1'], 'a', 1)
    b = _put(cloud['cell2'], 'b', 2)
    e = _boot(compute, 'e')
    after = lambda m: _names(compute, '?marker=' + m)  # noqa: E731
    assert after(e) == ['b', 'a']
    assert after(b) == ['a']
    assert after(a) == []


def test_show_update_and_metadata_in_a_cell(compute, cloud):
    uuid = _put(cloud['cell2'], 'vm', 1, metadata={'k': 'v'},
                host='h1', node='n1', launched_at=T0)
    server = compute.get(S + '/' + uuid).json['server']
    assert server['status'] == 'ACTIVE' and server['name'] == 'vm'
    assert server['hostId'] and server['created'] == '2017-06-01T12:01:00Z'
    assert server['OS-SRV-USG:launched_at'] == '2017-06-01T12:00:00.000000'
    admin = compute.get(S + '/' + uuid, token='admin').json['server']
    assert admin['OS-EXT-SRV-ATTR:host'] == 'h1'
    assert admin['OS-EXT-SRV-ATTR:hypervisor_hostname'] == 'n1'
    assert admin['host_status'] == 'UNKNOWN'
    resp = compute.put(S + '/' + uuid, json={'server': {
        'name': 'renamed', 'description': 'words', 'accessIPv4': '1.2.3.4'}})
    assert resp.status_int == 200, resp.text
    server = resp.json['server']
    assert (server['name'], server['description'], server['accessIPv4']) == (
        'renamed', 'words', '1.2.3.4')
    url = S + '/%s/metadata' % uuid
    resp = compute.post(url, json={'metadata': {'a': '1'}})
    assert resp.json == {'metadata': {'k': 'v', 'a': '1'}}
    resp = compute.put(url + '/b', json={'meta': {'b': '2'}})
    assert resp.json == {'meta': {'b': '2'}}
    assert compute.put(url + '/b', json={'meta': {'c': '2'}}).status_int == (
        400)
    assert compute.delete(url + '/k').status_int == 204
    assert compute.delete(url + '/k').status_int == 404
    resp = compute.put(url, json={'metadata': {'only': 'this'}})
    assert resp.json == {'metadata': {'only': 'this'}}
    assert compute.get(url).json == {'metadata': {'only': 'this'}}


def test_metadata_quota(compute, cloud, api_conf):
    api_conf.set_override('metadata_items', 2, group='quota')
    uuid = _put(cloud['cell1'], 'vm', 1, metadata={'k': 'v'})
    url = S + '/%s/metadata' % uuid
    assert compute.post(url, json={'metadata': {'a': '1'}}).status_int == 200
    resp = compute.post(url, json={'metadata': {'b': '1'}})
    assert resp.status_int == 403, resp.text


def test_tags(compute, cloud):
    uuid = _put(cloud['cell1'], 'vm', 1)
    url = S + '/%s/tags' % uuid
    assert compute.put(url + '/t1').status_int == 201
    assert compute.put(url + '/t1').status_int == 204
    assert compute.put(url, json={'tags': ['x', 'y']}).json == {
        'tags': ['x', 'y']}
    assert compute.get(url + '/x').status_int == 204
    assert compute.delete(url + '/x').status_int == 204
    assert compute.delete(url + '/x').status_int == 404
    assert compute.put(url + '/a,b').status_int == 400
    assert _names(compute, '?tags=y') == ['vm']
    assert _names(compute, '?not-tags=y') == []
    assert compute.delete(url).status_int == 204
    assert compute.get(url).json == {'tags': []}


def test_actions_swap_task_state_and_are_recorded(compute, cloud):
    uuid = _put(cloud['cell1'], 'vm', 1, host='h1', node='n1')
    act = lambda body, **kw: compute.post(  # noqa: E731
        S + '/%s/action' % uuid, json=body, **kw)
    assert act({'reboot': {'type': 'SOFT'}}).status_int == 202
    server = compute.get(S + '/' + uuid).json['server']
    assert server['status'] == 'REBOOT'
    assert server['OS-EXT-STS:task_state'] == 'rebooting'
    # A second soft reboot finds a task under way; a hard one may go.
    resp = act({'reboot': {'type': 'SOFT'}})
    assert resp.status_int == 409
    assert "in task_state rebooting" in resp.text
    assert act({'reboot': {'type': 'HARD'}}).status_int == 202
    assert compute.get(S + '/' + uuid).json['server'][
        'status'] == 'HARD_REBOOT'
    resp = compute.get(S + '/%s/os-instance-actions' % uuid)
    actions = resp.json['instanceActions']
    assert [a['action'] for a in actions] == ['reboot', 'reboot']
    assert actions[0]['user_id'] == 'alice'
    shown = compute.get(S + '/%s/os-instance-actions/%s' % (
        uuid, actions[0]['request_id'])).json['instanceAction']
    assert shown['action'] == 'reboot' and shown['events'] == []
    old = compute.get(S + '/%s/os-instance-actions/%s' % (
        uuid, actions[0]['request_id']), version='2.50').json
    assert 'events' not in old['instanceAction']
    assert compute.get(S + '/%s/os-instance-actions/req-nope' % uuid
                       ).status_int == 404


def test_state_checks(compute, cloud):
    stopped = _put(cloud['cell1'], 'off', 1, host='h1',
                   vm_state=states.STOPPED)
    resp = compute.post(S + '/%s/action' % stopped,
                        json={'reboot': {'type': 'SOFT'}})
    assert resp.status_int == 409
    assert resp.json['conflictingRequest']['message'] == (
        "Cannot 'reboot' instance %s while it is in vm_state stopped"
        % stopped)
    for body in ({'os-stop': None}, {'pause': None}, {'suspend': None},
                 {'unpause': None}, {'resume': None},
                 {'confirmResize': None}):
        resp = compute.post(S + '/%s/action' % stopped, json=body)
        assert resp.status_int == 409, (body, resp.text)
    resp = compute.post(S + '/%s/action' % stopped, json={'os-start': None})
    assert resp.status_int == 202
    assert compute.get(S + '/' + stopped).json['server'][
        'OS-EXT-STS:task_state'] == 'powering-on'
    resp = compute.post(S + '/%s/action' % stopped,
                        json={'resize': {'flavorRef': '1'}})
    assert resp.status_int == 409   # a task is under way


def test_lock(compute, cloud):
    uuid = _put(cloud['cell1'], 'vm', 1, host='h1')
    url = S + '/%s/action' % uuid
    assert compute.post(url, json={'lock': None},
                        token='admin').status_int == 202
    server = compute.get(S + '/' + uuid).json['server']
    assert server['locked'] is True
    resp = compute.post(url, json={'os-stop': None})
    assert resp.status_int == 409
    assert resp.json['conflictingRequest']['message'] == (
        'Instance %s is locked' % uuid)
    assert compute.delete(S + '/' + uuid).status_int == 409
    # Locked by an admin: the owner may not unlock it.
    resp = compute.post(url, json={'unlock': None})
    assert resp.status_int == 403
    assert compute.post(url, json={'unlock': None},
                        token='admin').status_int == 202
    assert compute.post(url, json={'lock': None}).status_int == 202
    assert compute.post(url, json={'unlock': None}).status_int == 202
    assert compute.get(S + '/' + uuid).json['server']['locked'] is False


def _service_up(cell: CellMapping, host: str) -> None:
    with engines.cell_writer(cell) as conn:
        services.create(conn, Service(
            host=host, binary='nova-compute', topic='compute',
            last_seen_up=timeutils.utcnow()))


def test_delete_on_a_live_host_sets_deleting(compute, cloud):
    _service_up(cloud['cell1'], 'h1')
    uuid = _put(cloud['cell1'], 'vm', 1, host='h1')
    assert compute.delete(S + '/' + uuid).status_int == 204
    server = compute.get(S + '/' + uuid).json['server']
    assert server['OS-EXT-STS:task_state'] == 'deleting'
    with engines.api_reader() as conn:
        assert instance_mappings.get_by_instance_uuid(
            conn, uuid).queued_for_delete
    # Deleting again is accepted and changes nothing.
    assert compute.delete(S + '/' + uuid).status_int == 204
    resp = compute.post(S + '/%s/action' % uuid, json={'forceDelete': None})
    assert resp.status_int == 409


def test_delete_on_a_down_host_deletes_in_the_api(compute, cloud):
    # h2 has no compute service (as if it were down): nobody would ever
    # act on a cast, so the API deletes the instance itself.
    uuid = _put(cloud['cell2'], 'vm', 1, host='h2')
    assert compute.delete(S + '/' + uuid).status_int == 204
    assert compute.get(S + '/' + uuid).status_int == 404
    with engines.cell_reader(cloud['cell2']) as conn:
        assert instances.get(conn, uuid, read_deleted=True).deleted
