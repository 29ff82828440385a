"""/servers before any service runs: what the API itself does with a
server that is still a build request (accept, show BUILD, list, delete),
quota, request validation, visibility across projects, microversions."""

import pytest
import sqlalchemy as sa

from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
UBUNTU = 'a2459075-d96c-40d5-893e-577ff92e721c'
ALICE = 'alice:p1'
BOB = 'bob:p2'


@pytest.fixture
def compute(api_conf):
    """The API as admin, casting to an in-process queue no one reads."""
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    client = direct.ComputeDirect(api_conf, token='admin', version='2.53')
    resp = client.post('/v2.1/flavors', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    resp = client.post('/v2.1/flavors', json=flavor_body(
        'm1.small', '2', ram=2048, vcpus=2, disk=20))
    assert resp.status_int == 200, resp.text
    yield client
    rpc.cleanup()


def _boot(compute, name='vm', token=ALICE, version='2.53', status=202,
          **extra):
    server = {'name': name, 'flavorRef': '1', 'imageRef': CIRROS,
              'networks': 'none'}
    server.update(extra)
    resp = compute.post(S, json={'server': server}, token=token,
                        version=version)
    assert resp.status_int == status, resp.text
    return resp


def _table(api, name):
    from nova.db.api import tables
    table = getattr(tables, name)
    with api.connect() as conn:
        return conn.execute(sa.select(table)).all()


def test_create_answers_202_and_writes_the_build(compute, api):
    resp = _boot(compute)
    server = resp.json['server']
    assert set(server) == {'id', 'links', 'OS-DCF:diskConfig',
                           'security_groups', 'adminPass'}
    assert server['OS-DCF:diskConfig'] == 'MANUAL'
    assert server['security_groups'] == [{'name': 'default'}]
    assert server['links'][0] == {
        'rel': 'self', 'href': 'http://localhost/v2.1/servers/%s'
        % server['id']}
    assert resp.headers['Location'] == server['links'][0]['href']
    (req,) = _table(api, 'build_requests')
    assert req.instance_uuid == server['id'] and req.project_id == 'p1'
    (spec,) = _table(api, 'request_specs')
    assert spec.instance_uuid == server['id']
    (mapping,) = _table(api, 'instance_mappings')
    assert mapping.cell_id is None and mapping.user_id == 'alice'


def test_build_request_shows_build(compute):
    # No zone asked for: with no compute service, none is available.
    uuid = _boot(compute, metadata={'a': 'b'}, description='d',
                 tags=['x']).json['server']['id']
    resp = compute.get(S + '/' + uuid, token=ALICE)
    assert resp.status_int == 200, resp.text
    server = resp.json['server']
    assert server['status'] == 'BUILD'
    assert server['OS-EXT-STS:vm_state'] == 'building'
    assert server['OS-EXT-STS:task_state'] == 'scheduling'
    assert server['OS-EXT-STS:power_state'] == 0
    assert server['tenant_id'] == 'p1' and server['user_id'] == 'alice'
    assert server['addresses'] == {}
    assert server['metadata'] == {'a': 'b'}
    assert server['image']['id'] == CIRROS
    assert server['image']['links'][0]['href'].endswith('/images/' + CIRROS)
    assert server['flavor']['original_name'] == 'm1.tiny'
    assert server['OS-EXT-AZ:availability_zone'] == ''
    assert server['description'] == 'd' and server['tags'] == ['x']
    assert server['locked'] is False and server['progress'] == 0
    assert server['hostId'] == ''
    assert 'OS-EXT-SRV-ATTR:host' not in server
    assert 'host_status' not in server


def test_admin_sees_extended_attributes(compute):
    uuid = _boot(compute).json['server']['id']
    server = compute.get(S + '/' + uuid).json['server']
    assert server['OS-EXT-SRV-ATTR:host'] is None
    assert server['OS-EXT-SRV-ATTR:hostname'] == 'vm'
    assert server['OS-EXT-SRV-ATTR:reservation_id'].startswith('r-')
    assert server['host_status'] == ''


@pytest.mark.parametrize('version,present,absent', [
    ('2.1', [], ['locked', 'description', 'tags', 'host_status']),
    ('2.9', ['locked'], ['description', 'tags']),
    ('2.19', ['locked', 'description'], ['tags']),
    ('2.26', ['locked', 'description', 'tags'], []),
])
def test_server_body_by_version(compute, version, present, absent):
    uuid = _boot(compute).json['server']['id']
    server = compute.get(S + '/' + uuid, version=version,
                         token=ALICE).json['server']
    for key in present:
        assert key in server
    for key in absent:
        assert key not in server
    # The flavor is embedded from 2.47, a link before.
    assert server['flavor'] == {'id': '1', 'links': [{
        'rel': 'bookmark', 'href': 'http://localhost/flavors/1'}]}


def test_list_and_detail_include_build_requests(compute):
    uuid = _boot(compute).json['server']['id']
    resp = compute.get(S, token=ALICE)
    assert resp.status_int == 200
    assert resp.json['servers'] == [{
        'id': uuid, 'name': 'vm', 'links': [
            {'rel': 'self', 'href': 'http://localhost/v2.1/servers/' + uuid},
            {'rel': 'bookmark', 'href': 'http://localhost/servers/' + uuid}]}]
    (server,) = compute.get(S + '/detail', token=ALICE).json['servers']
    assert server['status'] == 'BUILD' and server['id'] == uuid


def test_delete_build_request(compute, api):
    uuid = _boot(compute).json['server']['id']
    resp = compute.delete(S + '/' + uuid, token=ALICE)
    assert resp.status_int == 204, resp.text
    assert compute.get(S + '/' + uuid, token=ALICE).status_int == 404
    assert compute.get(S, token=ALICE).json['servers'] == []
    for table in ('build_requests', 'request_specs', 'instance_mappings'):
        assert _table(api, table) == []
    assert compute.delete(S + '/' + uuid, token=ALICE).status_int == 404


def test_other_projects_server_is_404(compute):
    uuid = _boot(compute).json['server']['id']
    for method in ('get', 'delete'):
        resp = getattr(compute, method)(S + '/' + uuid, token=BOB)
        assert resp.status_int == 404, resp.text
        assert resp.json == {'itemNotFound': {
            'code': 404,
            'message': 'Instance %s could not be found.' % uuid}}
    assert compute.get(S, token=BOB).json['servers'] == []
    assert compute.get(S + '?all_tenants=1', token=BOB).status_int == 403
    # The admin lists every project's servers only when asking to.
    assert compute.get(S).json['servers'] == []
    (found,) = compute.get(S + '?all_tenants=1').json['servers']
    assert found['id'] == uuid
    assert compute.get(S + '?all_tenants=1&project_id=p2').json[
        'servers'] == []
    assert compute.get(S + '/' + uuid).status_int == 200


def test_quota_exceeded_is_403(compute, api_conf):
    api_conf.set_override('instances', 2, group='quota')
    _boot(compute)
    _boot(compute)
    resp = _boot(compute, status=403)
    assert resp.json == {'forbidden': {
        'code': 403, 'message': 'Quota exceeded for instances: Requested '
        '1, but already used 2 of 2 instances'}}
    # Another project has its own quota.
    _boot(compute, token=BOB)


def test_max_count_is_cut_to_quota_min_count_is_not(compute, api_conf):
    api_conf.set_override('instances', 3, group='quota')
    resp = _boot(compute, token=ALICE, min_count=1, max_count=5,
                 return_reservation_id=True)
    reservation = resp.json['reservation_id']
    found = compute.get(S + '?reservation_id=' + reservation,
                        token=ALICE).json['servers']
    assert sorted(s['name'] for s in found) == ['vm-1', 'vm-2', 'vm-3']
    resp = _boot(compute, token=BOB, min_count=4, max_count=4, status=403)
    assert 'Requested 4, but already used 0 of 3 instances' in (
        resp.json['forbidden']['message'])


@pytest.mark.parametrize('server,message', [
    ({'flavorRef': '1', 'imageRef': CIRROS, 'networks': 'none'},
     "'name' is a required property"),
    ({'name': 'x', 'imageRef': CIRROS, 'networks': 'none'},
     "'flavorRef' is a required property"),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS},
     "'networks' is a required property"),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS,
      'networks': 'some'}, "'some' is not one of ['none', 'auto']"),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': 'nope',
      'networks': 'none'}, 'Invalid input for field/attribute imageRef'),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS,
      'networks': 'none', 'user_data': 'not base64!'},
     'Invalid input for field/attribute user_data'),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS,
      'networks': 'none', 'min_count': 0},
     'Invalid input for field/attribute min_count'),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS,
      'networks': 'none', 'bogus': 1},
     "Additional properties are not allowed ('bogus' was unexpected)"),
    ({'name': 'x', 'flavorRef': '9', 'imageRef': CIRROS,
      'networks': 'none'}, 'Invalid flavorRef provided.'),
    ({'name': 'x', 'flavorRef': '1',
      'imageRef': '00000000-0000-0000-0000-000000000000',
      'networks': 'none'}, 'Can not find requested image'),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS,
      'networks': 'none', 'key_name': 'nokey'},
     'Invalid key_name provided.'),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': UBUNTU,
      'networks': 'none'},
     "Flavor's disk is too small for requested image."),
    ({'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS,
      'networks': 'none', 'min_count': 3, 'max_count': 2},
     'min_count must be <= max_count'),
])
def test_create_bad_request(compute, server, message):
    resp = compute.post(S, json={'server': server}, token=ALICE)
    assert resp.status_int == 400, resp.text
    assert message in resp.json['badRequest']['message']


def test_a_volume_without_a_volume_service_is_503(compute):
    # This API has no [cinder] endpoint: nothing is accepted.
    bdm = {'source_type': 'volume', 'uuid': CIRROS, 'boot_index': 0,
           'destination_type': 'volume'}
    resp = _boot(compute, imageRef='', block_device_mapping_v2=[bdm],
                 status=503)
    assert 'cinder' in resp.json['serviceUnavailable']['message']
    assert compute.get(S).json['servers'] == []


@pytest.mark.parametrize('version,key,value', [
    ('2.18', 'description', 'd'),
    ('2.51', 'tags', ['a']),
])
def test_create_fields_before_their_version_are_400(compute, version, key,
                                                    value):
    _boot(compute, version=version, status=400, **{key: value})


def test_networks_optional_before_2_37(compute):
    resp = compute.post(S, version='2.36', token=ALICE, json={'server': {
        'name': 'x', 'flavorRef': '1', 'imageRef': CIRROS}})
    assert resp.status_int == 202, resp.text


def test_forced_host_needs_admin(compute):
    resp = _boot(compute, availability_zone='nova:somehost', status=403)
    assert 'create:forced_host' in resp.json['forbidden']['message']
    _boot(compute, token='admin', availability_zone='nova:somehost')


def test_list_pages_sorts_and_links(compute):
    reservation = _boot(compute, max_count=3, return_reservation_id=True,
                        name='s').json['reservation_id']
    assert reservation
    resp = compute.get(S + '?sort_key=display_name&sort_dir=asc&limit=2',
                       token=ALICE)
    page = resp.json['servers']
    assert [s['name'] for s in page] == ['s-1', 's-2']
    (link,) = resp.json['servers_links']
    assert link['rel'] == 'next'
    assert 'marker=%s' % page[-1]['id'] in link['href']
    rest = compute.get(
        S + '?sort_key=display_name&sort_dir=asc&limit=2&marker='
        + page[-1]['id'], token=ALICE).json
    assert [s['name'] for s in rest['servers']] == ['s-3']
    assert 'servers_links' not in rest
    desc = compute.get(S + '?sort_key=display_name&sort_dir=desc',
                       token=ALICE).json['servers']
    assert [s['name'] for s in desc] == ['s-3', 's-2', 's-1']
    resp = compute.get(S + '?marker=nope', token=ALICE)
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == 'marker [nope] not found'
    assert compute.get(S + '?sort_key=bogus').status_int == 400
    assert compute.get(S + '?limit=x').status_int == 400


def test_filters(compute):
    _boot(compute, name='web-1')
    _boot(compute, name='db-1', flavorRef='2', imageRef=CIRROS)
    names = lambda q: sorted(s['name'] for s in compute.get(  # noqa: E731
        S + q, token=ALICE).json['servers'])
    assert names('?name=^web') == ['web-1']
    assert names('?flavor=2') == ['db-1']
    assert names('?image=' + CIRROS) == ['db-1', 'web-1']
    assert names('?status=BUILD') == ['db-1', 'web-1']
    assert names('?status=ACTIVE') == []
    # Non-admins cannot filter by host: the filter is dropped.
    assert names('?host=nowhere') == ['db-1', 'web-1']
    assert compute.get(S + '?all_tenants=1&host=nowhere').json[
        'servers'] == []


def test_invalid_status_filter(compute):
    _boot(compute)
    assert compute.get(S + '?status=bogus', version='2.37',
                       token=ALICE).json['servers'] == []
    resp = compute.get(S + '?status=bogus', version='2.38', token=ALICE)
    assert resp.status_int == 400


def test_actions_on_a_build_request_are_409(compute):
    uuid = _boot(compute).json['server']['id']
    resp = compute.post(S + '/%s/action' % uuid, token=ALICE,
                        json={'reboot': {'type': 'SOFT'}})
    assert resp.status_int == 409
    assert resp.json['conflictingRequest']['message'] == (
        "Cannot 'reboot' instance %s while it is in vm_state building"
        % uuid)
    for body in ({'os-stop': None}, {'pause': None}, {'lock': None},
                 {'resize': {'flavorRef': '2'}}):
        resp = compute.post(S + '/%s/action' % uuid, json=body, token=ALICE)
        assert resp.status_int == 409, (body, resp.text)
    # Update is no action: upstream allows it in any state.
    resp = compute.put(S + '/' + uuid, token=ALICE,
                       json={'server': {'name': 'new'}})
    assert resp.status_int == 200, resp.text
    assert compute.get(S + '/' + uuid, token=ALICE).json['server'][
        'name'] == 'new'


def test_action_errors(compute):
    uuid = _boot(compute).json['server']['id']
    url = S + '/%s/action' % uuid
    resp = compute.post(url, json={'fly': None}, token=ALICE)
    assert resp.status_int == 400
    assert 'There is no such action: fly' in resp.text
    resp = compute.post(url, json={'reboot': {'type': 'GENTLE'}},
                        token=ALICE)
    assert resp.status_int == 400
    resp = compute.post(url, json={'migrate': None}, token=ALICE)
    assert resp.status_int == 403
    resp = compute.post(S + '/nope/action', json={'os-stop': None})
    assert resp.status_int == 404


def test_metadata_and_tags_of_a_build_request(compute):
    uuid = _boot(compute, metadata={'k': 'v'},
                 tags=['t1']).json['server']['id']
    url = S + '/%s/metadata' % uuid
    assert compute.get(url, token=ALICE).json == {'metadata': {'k': 'v'}}
    assert compute.get(url + '/k', token=ALICE).json == {'meta': {'k': 'v'}}
    assert compute.get(url + '/x', token=ALICE).status_int == 404
    assert compute.post(url, json={'metadata': {'a': 'b'}},
                        token=ALICE).status_int == 409
    tags = S + '/%s/tags' % uuid
    assert compute.get(tags, token=ALICE).json == {'tags': ['t1']}
    assert compute.get(tags + '/t1', token=ALICE).status_int == 204
    assert compute.get(tags + '/t2', token=ALICE).status_int == 404
    assert compute.get(tags, token=ALICE, version='2.25').status_int == 404
    assert compute.put(tags + '/t2', token=ALICE).status_int == 409
    assert compute.get(url, token=BOB).status_int == 404
    assert compute.get(S + '/%s/os-instance-actions' % uuid,
                       token=ALICE).json == {'instanceActions': []}


def test_images_proxy(compute):
    resp = compute.get('/v2.1/images', version='2.35')
    assert resp.status_int == 200
    assert {i['id'] for i in resp.json['images']} == {CIRROS, UBUNTU}
    image = compute.get('/v2.1/images/' + CIRROS,
                        version='2.35').json['image']
    assert image['status'] == 'ACTIVE' and image['progress'] == 100
    assert image['minRam'] == 0 and image['metadata']['os_distro'] == (
        'cirros')
    (detail,) = compute.get('/v2.1/images/detail?minRam=256',
                            version='2.35').json['images']
    assert detail['id'] == UBUNTU
    assert compute.get('/v2.1/images/nope',
                       version='2.35').status_int == 404
    assert compute.get('/v2.1/images', version='2.36').status_int == 404
    assert compute.delete('/v2.1/images/' + CIRROS,
                          version='2.35').status_int == 403


def test_boot_image_given_as_a_block_device(compute):
    # What openstackclient sends for `server create --image`.
    bdm = [{'uuid': UBUNTU, 'boot_index': 0, 'source_type': 'image',
            'destination_type': 'local', 'delete_on_termination': True}]
    resp = _boot(compute, imageRef='', block_device_mapping_v2=bdm,
                 flavorRef='2')
    uuid = resp.json['server']['id']
    server = compute.get(S + '/' + uuid).json['server']
    assert server['image']['id'] == UBUNTU


@pytest.mark.parametrize('bdm, message', [
    ({'source_type': 'image', 'boot_index': 0,
      'destination_type': 'local'}, 'source_type image needs a uuid'),
    ({'source_type': 'blank', 'destination_type': 'volume',
      'boot_index': 0}, 'needs volume_size'),
    ({'source_type': 'volume', 'uuid': CIRROS, 'destination_type': 'local',
      'boot_index': 0}, 'is not supported'),
    ({'source_type': 'disk', 'uuid': CIRROS}, 'Invalid input'),
])
def test_unusable_block_devices_are_400(compute, bdm, message):
    resp = _boot(compute, imageRef='', block_device_mapping_v2=[bdm],
                 status=400)
    assert message in resp.json['badRequest']['message']
