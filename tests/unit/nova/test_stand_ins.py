"""nova.api.stand_ins: the identity version document and the read-only
Glance v2 over the local image catalog that nova-all-in-one mounts."""

import hashlib
import json
from pathlib import Path

import pytest
import webob

from nova.api import stand_ins
from tests import nova_services

CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
UBUNTU = 'a2459075-d96c-40d5-893e-577ff92e721c'


def _compute(environ, start_response):
    return webob.Response(body=b'compute ' + environ['PATH_INFO'].encode())(
        environ, start_response)


@pytest.fixture
def app():
    with nova_services.configured():
        yield stand_ins.Mounted(_compute)


def get(app, path, method='GET'):
    resp = webob.Request.blank(path, method=method).get_response(app)
    body = (json.loads(resp.body) if resp.content_type == 'application/json'
            else resp.text)
    return resp.status_int, body


def test_identity_version_documents(app):
    status, body = get(app, '/identity/v3')
    assert status == 200
    assert body['version']['id'].startswith('v3.')
    assert body['version']['links'][0]['href'] == (
        'http://localhost/identity/v3/')
    status, body = get(app, '/identity')
    assert status == 300
    assert body['versions']['values'][0]['status'] == 'stable'
    assert get(app, '/identity/v3/auth/tokens')[0] == 404
    assert get(app, '/identity/v3', method='POST')[0] == 405


def test_identity_projects_exist_by_id_and_name(app):
    status, body = get(app, '/identity/v3/projects/demo')
    assert status == 200
    assert (body['project']['id'], body['project']['name']) == (
        'demo', 'demo')
    status, body = get(app, '/identity/v3/projects?name=p1')
    assert status == 200
    assert [p['id'] for p in body['projects']] == ['p1']
    assert get(app, '/identity/v3/projects')[0] == 404
    assert get(app, '/identity/v3/projects/demo/users')[0] == 404


def test_image_list_filters_and_pages(app):
    status, body = get(app, '/image/v2/images')
    assert status == 200
    assert [i['id'] for i in body['images']] == [CIRROS, UBUNTU]
    cirros = body['images'][0]
    # Glance v2 shows custom properties as top-level keys.
    assert (cirros['os_distro'], cirros['status'], cirros['self']) == (
        'cirros', 'active', '/v2/images/%s' % CIRROS)
    assert 'properties' not in cirros
    _, named = get(app, '/image/v2/images?name=ubuntu-16.04-server')
    assert [i['id'] for i in named['images']] == [UBUNTU]
    _, page = get(app, '/image/v2/images?limit=1')
    assert [i['id'] for i in page['images']] == [CIRROS]
    assert page['next'] == '/v2/images?limit=1&marker=%s' % CIRROS
    _, rest = get(app, '/image/v2/images?limit=1&marker=%s' % CIRROS)
    assert [i['id'] for i in rest['images']] == [UBUNTU]
    assert 'next' not in rest
    assert get(app, '/image/v2/images?marker=nope')[0] == 400


def test_image_show_and_not_found(app):
    status, body = get(app, '/image/v2/images/%s' % UBUNTU)
    assert (status, body['name'], body['min_disk']) == (
        200, 'ubuntu-16.04-server', 3)
    assert get(app, '/image/v2/images/no-such-image')[0] == 404
    assert get(app, '/image/v2/images/%s' % UBUNTU, 'DELETE')[0] == 405
    status, body = get(app, '/image')
    assert status == 300
    assert body['versions'][0]['links'][0]['href'] == (
        'http://localhost/image/v2/')


def test_image_file_is_the_catalog_file_with_true_checksums(app):
    resp = webob.Request.blank(
        '/image/v2/images/%s/file' % CIRROS).get_response(app)
    assert resp.status_int == 200
    assert resp.content_type == 'application/octet-stream'
    shipped = (Path(__file__).resolve().parents[3] / 'etc' / 'nova' /
               'images' / ('%s.qcow2' % CIRROS)).read_bytes()
    assert resp.body == shipped
    _, image = get(app, '/image/v2/images/%s' % CIRROS)
    assert image['size'] == len(shipped)
    assert image['checksum'] == hashlib.md5(shipped).hexdigest()
    assert image['checksum'] == resp.headers['Content-MD5']
    assert (image['os_hash_algo'], image['os_hash_value']) == (
        'sha512', hashlib.sha512(shipped).hexdigest())
    # A qcow2 header: magic, then the virtual size at byte 24.
    assert shipped[:4] == b'QFI\xfb'
    assert int.from_bytes(shipped[24:32], 'big') == image['virtual_size']
    # Images without a file, and unknown images: 404.
    assert get(app, '/image/v2/images/%s/file' % UBUNTU)[0] == 404
    assert get(app, '/image/v2/images/nope/file')[0] == 404
    assert get(app, '/image/v2/images/%s/file' % CIRROS, 'PUT')[0] == 405


def test_image_schema_and_versions_for_glanceclient(app):
    status, body = get(app, '/image/versions')
    assert status == 200
    assert body['versions'][0]['status'] == 'CURRENT'
    status, schema = get(app, '/image/v2/schemas/image')
    assert status == 200
    assert schema['name'] == 'image'
    assert {'id', 'size', 'disk_format', 'checksum'} <= set(
        schema['properties'])
    assert 'os_distro' not in schema['properties']


def test_novaclient_path_and_the_rest_go_where_they_belong(app):
    status, body = get(app, '/v2.1/v2/images?name=ubuntu-16.04-server')
    assert [i['id'] for i in body['images']] == [UBUNTU]
    assert get(app, '/v2.1/servers') == (200, 'compute /v2.1/servers')
    assert get(app, '/imagery') == (200, 'compute /imagery')
