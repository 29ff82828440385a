"""The global request id (2.46) goes on to placement and the image
service: a caller's X-OpenStack-Request-ID (req-<uuid>) reaches nova-api,
rides the RPC context through the conductor, the scheduler and the
compute, and every call they make to placement carries it, as the API's
calls to Glance do. Without one, a request's own id is passed on.

Placement is reached through a recording proxy (a real HTTP server in
front of the module's placement), Glance is a small recording server over
the shipped image catalog: the headers checked are the ones that went on
the wire.
"""

from http import server as http_server
import json
import socketserver
import threading
import uuid as uuidlib
from wsgiref import simple_server

import pytest
import requests

from nova import image as image_api
from tests import nova_services
from tests.functional.nova.api import test_servers_cloud as servers_cloud

S, _wait = servers_cloud.S, servers_cloud._wait
# The in-process cloud and the API client onto it, as fixtures here.
cloud, compute = servers_cloud.cloud, servers_cloud.compute
HEADER = 'X-OpenStack-Request-ID'


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Recorder:
    """A WSGI server on a free local port that records (method, path,
    request id header) of each request and answers with `answer`."""

    def __init__(self, answer) -> None:
        self.seen: list[tuple[str, str, str | None]] = []
        self._answer = answer
        self.httpd = simple_server.make_server(
            '127.0.0.1', 0, self._app, server_class=_Server,
            handler_class=_QuietHandler)
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_port
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        daemon=True)
        self._thread.start()

    def _app(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if environ.get('QUERY_STRING'):
            path += '?' + environ['QUERY_STRING']
        self.seen.append((environ['REQUEST_METHOD'], path,
                          environ.get('HTTP_X_OPENSTACK_REQUEST_ID')))
        status, headers, body = self._answer(environ, path)
        start_response('%d %s' % (status, http_server.BaseHTTPRequestHandler
                                  .responses[status][0]), headers)
        return [body]

    def ids_of(self, method: str, path_part: str) -> set:
        return {rid for m, p, rid in self.seen
                if m == method and path_part in p}

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _proxy_to(target: str):
    """Forward to `target` and hand back its answer."""
    def answer(environ, path):
        length = int(environ.get('CONTENT_LENGTH') or 0)
        body = environ['wsgi.input'].read(length) if length else None
        forwarded = {k[5:].replace('_', '-').title(): v
                     for k, v in environ.items()
                     if k.startswith('HTTP_') and k != 'HTTP_HOST'}
        if environ.get('CONTENT_TYPE'):
            forwarded['Content-Type'] = environ['CONTENT_TYPE']
        resp = requests.request(environ['REQUEST_METHOD'], target + path,
                                data=body, headers=forwarded, timeout=30)
        headers = [(k, v) for k, v in resp.headers.items()
                   if k.lower() in ('content-type', 'openstack-api-version',
                                    'location')]
        return resp.status_code, headers, resp.content
    return answer


def _glance(environ, path):
    """GET /v2/images/ID of the shipped catalog, as Glance shows it."""
    image_id = path.rsplit('/', 1)[-1]
    try:
        image = image_api.LocalCatalog().get(None, image_id)
    except Exception:
        return 404, [('Content-Type', 'application/json')], b'{}'
    flat = {**image.pop('properties'), **image}
    return (200, [('Content-Type', 'application/json')],
            json.dumps(flat, default=str).encode())


@pytest.fixture
def recorders(cloud, cloud_conf, placement_server):
    placement = Recorder(_proxy_to(placement_server.url.rstrip('/')))
    glance = Recorder(_glance)
    cloud_conf.set_override('endpoint_override', placement.url,
                            group='placement')
    cloud_conf.set_override('api_servers', [glance.url], group='glance')
    yield placement, glance
    cloud_conf.clear_override('api_servers', group='glance')
    cloud_conf.set_override('endpoint_override', placement_server.url,
                            group='placement')
    placement.stop()
    glance.stop()


def _rid() -> str:
    return 'req-%s' % uuidlib.uuid4()


def test_global_request_id_reaches_placement_and_glance(compute, cloud,
                                                         recorders):
    placement, glance = recorders
    boot_id, delete_id = _rid(), _rid()
    resp = compute.post(S, headers={HEADER: boot_id}, json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': servers_cloud.CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    # nova-api's own request id is another one, as upstream.
    assert resp.headers['X-OpenStack-Request-ID'] != boot_id
    _wait(compute, uuid, 'ACTIVE')

    # The API looked the image up in Glance ...
    assert glance.ids_of('GET', '/v2/images/' + servers_cloud.CIRROS) == {
        boot_id}
    # ... the scheduler asked placement for candidates and claimed.
    assert placement.ids_of('GET', '/allocation_candidates') == {boot_id}
    assert placement.ids_of('PUT', '/allocations/' + uuid) == {boot_id}

    resp = compute.delete(S + '/' + uuid, headers={HEADER: delete_id})
    assert resp.status_int == 204, resp.text
    _wait(compute, uuid, 404)
    # The compute freed the allocations under the delete's id.
    nova_services.wait_for(
        lambda: placement.ids_of('DELETE', '/allocations/' + uuid),
        timeout=10, what='allocations freed')
    assert placement.ids_of('DELETE', '/allocations/' + uuid) == {
        delete_id}


def test_without_one_the_request_id_is_passed_on(compute, cloud, recorders):
    placement, glance = recorders
    resp = compute.post(S, json={'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': servers_cloud.CIRROS,
        'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    own = resp.headers['X-OpenStack-Request-ID']
    uuid = resp.json['server']['id']
    _wait(compute, uuid, 'ACTIVE')
    assert placement.ids_of('PUT', '/allocations/' + uuid) == {own}
    assert glance.ids_of('GET', '/v2/images/') == {own}


def test_a_malformed_one_is_not_passed_on(compute, cloud, recorders):
    placement, _glance = recorders
    resp = compute.post(S, headers={HEADER: 'not-a-request-id'},
                        json={'server': {
                            'name': 'vm', 'flavorRef': '1',
                            'imageRef': servers_cloud.CIRROS,
                            'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    _wait(compute, uuid, 'ACTIVE')
    assert placement.ids_of('PUT', '/allocations/' + uuid) == {
        resp.headers['X-OpenStack-Request-ID']}
