"""The pieces of the servers API that need no database: status mapping,
the cross-cell merge order, and the Glance backend of nova.image against
a small Glance v2 served over HTTP."""

import datetime
import http.server
import json
import threading

import pytest

from nova.api.compute import server_views
from nova.compute import instance_list
from nova.compute import states
from nova import context as nova_context
from nova import exception
from nova import image
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

TINY = Flavor(flavorid='1', name='tiny', vcpus=1, memory_mb=64)


def _inst(uuid='u', **values):
    return Instance(uuid=uuid, project_id='p', user_id='u', flavor=TINY,
                    **values)


@pytest.mark.parametrize('vm_state,task_state,status', [
    (states.ACTIVE, None, 'ACTIVE'),
    (states.ACTIVE, states.REBOOTING, 'REBOOT'),
    (states.ACTIVE, states.REBOOTING_HARD, 'HARD_REBOOT'),
    (states.ACTIVE, states.RESIZE_PREP, 'RESIZE'),
    (states.ACTIVE, states.POWERING_OFF, 'ACTIVE'),
    (states.BUILDING, states.SCHEDULING, 'BUILD'),
    (states.STOPPED, None, 'SHUTOFF'),
    (states.STOPPED, states.REBUILDING, 'REBUILD'),
    (states.RESIZED, None, 'VERIFY_RESIZE'),
    (states.RESIZED, states.RESIZE_REVERTING, 'REVERT_RESIZE'),
    (states.PAUSED, None, 'PAUSED'),
    (states.SUSPENDED, None, 'SUSPENDED'),
    (states.ERROR, None, 'ERROR'),
    (states.DELETED, None, 'DELETED'),
    ('bogus', None, 'UNKNOWN'),
])
def test_status(vm_state, task_state, status):
    assert server_views.status(_inst(vm_state=vm_state,
                                    task_state=task_state)) == status


def test_states_of_statuses():
    assert server_views.states_of(['active']) == (
        [states.ACTIVE], ['default'])
    vm_states, task_states = server_views.states_of(['REBOOT'])
    assert vm_states == [states.ACTIVE]
    assert states.REBOOTING in task_states and 'default' not in task_states
    assert server_views.states_of(['nonsense']) == ([], [])


def test_merge_order_puts_nulls_first_ascending_last_descending():
    t = datetime.datetime(2017, 1, 1)
    rows = [_inst('b', display_name=None, created_at=t),
            _inst('a', display_name='x', created_at=t),
            _inst('c', display_name='a', created_at=t)]
    asc = instance_list.sort_key(['display_name', 'uuid'], ['asc', 'asc'])
    assert [r.uuid for r in sorted(rows, key=asc)] == ['b', 'c', 'a']
    desc = instance_list.sort_key(['display_name', 'uuid'],
                                  ['desc', 'desc'])
    assert [r.uuid for r in sorted(rows, key=desc)] == ['a', 'c', 'b']
    # Marker values (a dict) compare with instances.
    assert asc({'display_name': 'a', 'uuid': 'c'}) < asc(rows[1])


class _Glance(http.server.BaseHTTPRequestHandler):
    images = [{'id': 'i%d' % n, 'name': 'img%d' % n, 'status': 'active',
               'min_ram': 0, 'min_disk': n, 'os_distro': 'cirros'}
              for n in range(3)]
    tokens: list = []

    def do_GET(self):
        self.tokens.append(self.headers.get('X-Auth-Token'))
        if self.path.startswith('/v2/images/'):
            found = [i for i in self.images
                     if i['id'] == self.path.rsplit('/', 1)[1]]
            return self._send(200, found[0]) if found else self._send(
                404, {})
        if self.path.startswith('/v2/images?marker=i1'):
            return self._send(200, {'images': self.images[2:]})
        return self._send(200, {'images': self.images[:2],
                                'next': '/v2/images?marker=i1'})

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def glance():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Glance)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_glance_backend(glance):
    api = image.Glance(['http://127.0.0.1:1', glance], timeout=5)
    ctx = nova_context.RequestContext(auth_token='tok', project_id='p')
    got = api.get(ctx, 'i1')
    assert got['id'] == 'i1' and got['min_disk'] == 1
    assert got['properties'] == {'os_distro': 'cirros'}
    with pytest.raises(exception.ImageNotFound):
        api.get(ctx, 'nope')
    assert [i['id'] for i in api.list(ctx)] == ['i0', 'i1', 'i2']
    assert set(_Glance.tokens) == {'tok'}


def test_local_catalog(tmp_path):
    path = tmp_path / 'images.json'
    path.write_text(json.dumps([{'id': 'x', 'name': 'x', 'kernel': 'k'}]))
    api = image.LocalCatalog(str(path))
    assert api.get(None, 'x')['properties'] == {'kernel': 'k'}
    with pytest.raises(exception.ImageNotFound):
        api.get(None, 'y')
    with pytest.raises(exception.Forbidden):
        api.delete(None, 'x')
