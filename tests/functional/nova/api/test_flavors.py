"""/flavors and /flavors/{id}/os-extra_specs through the paste pipeline."""

import pytest
import sqlalchemy as sa

from tests.functional.nova.api.conftest import flavor_body

F = '/v2.1/flavors'


def _create(compute, name, flavorid=None, **kw):
    resp = compute.post(F, json=flavor_body(name, flavorid, **kw))
    assert resp.status_int == 200, resp.text
    return resp.json['flavor']


def test_create_answers_the_detail_view(compute):
    flavor = _create(compute, 'm1.small', '2', ram=2048, disk=20, swap=512,
                     **{'OS-FLV-EXT-DATA:ephemeral': 5, 'rxtx_factor': 2.5,
                        'os-flavor-access:is_public': 'false'})
    assert flavor == {
        'id': '2', 'name': 'm1.small', 'ram': 2048, 'disk': 20, 'swap': 512,
        'OS-FLV-EXT-DATA:ephemeral': 5, 'OS-FLV-DISABLED:disabled': False,
        'vcpus': 1, 'os-flavor-access:is_public': False, 'rxtx_factor': 2.5,
        'links': [
            {'rel': 'self', 'href': 'http://localhost/v2.1/flavors/2'},
            {'rel': 'bookmark', 'href': 'http://localhost/flavors/2'}]}


def test_create_defaults(compute):
    flavor = _create(compute, 'tiny', ram='64', vcpus='2', disk='0')
    assert flavor['name'] == 'tiny'
    assert len(flavor['id']) == 36  # a generated UUID
    assert (flavor['ram'], flavor['vcpus'], flavor['disk']) == (64, 2, 0)
    assert flavor['swap'] == ''
    assert flavor['OS-FLV-EXT-DATA:ephemeral'] == 0
    assert flavor['rxtx_factor'] == 1.0
    assert flavor['os-flavor-access:is_public'] is True


def test_numeric_id_becomes_a_string(compute):
    assert _create(compute, 'n', 42)['id'] == '42'


def test_show(compute):
    created = _create(compute, 'm1.tiny', '1')
    resp = compute.get(F + '/1')
    assert resp.status_int == 200
    assert resp.json['flavor'] == created


def test_show_unknown_is_404(compute):
    resp = compute.get(F + '/nope')
    assert resp.status_int == 404
    assert resp.json == {'itemNotFound': {
        'code': 404, 'message': 'Flavor nope could not be found.'}}


def test_duplicate_name_or_id_is_409(compute):
    _create(compute, 'm1.tiny', '1')
    resp = compute.post(F, json=flavor_body('m1.tiny', '9'))
    assert resp.status_int == 409
    assert resp.json == {'conflictingRequest': {
        'code': 409, 'message': 'Flavor with name m1.tiny already exists.'}}
    resp = compute.post(F, json=flavor_body('other', '1'))
    assert resp.status_int == 409
    assert resp.json['conflictingRequest']['message'] == (
        'Flavor with ID 1 already exists.')


@pytest.mark.parametrize('body, field', [
    ({'ram': 0}, 'ram'),
    ({'ram': '0'}, 'ram'),
    ({'ram': 'big'}, 'ram'),
    ({'ram': 2147483648}, 'ram'),
    ({'vcpus': 0}, 'vcpus'),
    ({'disk': -1}, 'disk'),
    ({'swap': -1}, 'swap'),
    ({'OS-FLV-EXT-DATA:ephemeral': -1}, 'OS-FLV-EXT-DATA:ephemeral'),
    ({'rxtx_factor': 0}, 'rxtx_factor'),
    ({'os-flavor-access:is_public': 'maybe'}, 'os-flavor-access:is_public'),
    ({'name': ''}, 'name'),
    ({'name': ' padded'}, 'name'),
    ({'name': 'x' * 256}, 'name'),
    ({'id': ' 1'}, 'id'),
    ({'id': 'a/b'}, 'id'),
    ({'pony': 1}, 'flavor'),
])
def test_bad_create_body_is_400_naming_the_field(compute, body, field):
    flavor = flavor_body('f')['flavor']
    flavor.update(body)
    resp = compute.post(F, json={'flavor': flavor})
    assert resp.status_int == 400, resp.text
    message = resp.json['badRequest']['message']
    assert message.startswith(
        'Invalid input for field/attribute %s. Value: ' % field), message


def test_missing_fields_are_400(compute):
    resp = compute.post(F, json={'flavor': {'name': 'f', 'ram': 1}})
    assert resp.status_int == 400
    assert 'is a required property' in resp.json['badRequest']['message']
    resp = compute.post(F, json={'flavors': {}})
    assert resp.status_int == 400


def test_legacy_v2_ignores_unknown_keys(compute):
    flavor = flavor_body('f', '7')['flavor']
    flavor['pony'] = 1
    resp = compute.post('/v2/flavors', json={'flavor': flavor})
    assert resp.status_int == 200
    assert resp.json['flavor']['links'][0]['href'] == (
        'http://localhost/v2/flavors/7')


def test_delete(compute):
    _create(compute, 'm1.tiny', '1')
    compute.post(F + '/1/os-extra_specs',
                 json={'extra_specs': {'hw:cpu_policy': 'dedicated'}})
    resp = compute.delete(F + '/1')
    assert resp.status_int == 202
    assert resp.body == b''
    assert compute.get(F + '/1').status_int == 404
    resp = compute.delete(F + '/1')
    assert resp.status_int == 404
    assert resp.json['itemNotFound']['message'] == (
        'Flavor 1 could not be found.')


def test_non_admin_cannot_delete(compute):
    _create(compute, 'm1.tiny', '1')
    resp = compute.delete(F + '/1', token='alice')
    assert resp.status_int == 403
    assert 'os_compute_api:os-flavor-manage:delete' in (
        resp.json['forbidden']['message'])


# -- lists


def _ids(resp):
    assert resp.status_int == 200, resp.text
    return [f['id'] for f in resp.json['flavors']]


@pytest.fixture
def five(compute):
    sizes = [('1', 'm1.tiny', 512, 1, 1), ('2', 'm1.small', 2048, 1, 20),
             ('3', 'm1.medium', 4096, 2, 40), ('4', 'm1.large', 8192, 4, 80),
             ('5', 'm1.xlarge', 16384, 8, 160)]
    for flavorid, name, ram, vcpus, disk in sizes:
        _create(compute, name, flavorid, ram=ram, vcpus=vcpus, disk=disk)
    return compute


def test_index_and_detail(five):
    resp = five.get(F)
    assert _ids(resp) == ['1', '2', '3', '4', '5']
    assert set(resp.json['flavors'][0]) == {'id', 'name', 'links'}
    assert 'flavors_links' not in resp.json
    detail = five.get(F + '/detail').json['flavors']
    assert [f['ram'] for f in detail] == [512, 2048, 4096, 8192, 16384]
    assert detail[0] == five.get(F + '/1').json['flavor']


def test_min_ram_and_min_disk(five):
    assert _ids(five.get(F + '?minRam=4096')) == ['3', '4', '5']
    assert _ids(five.get(F + '/detail?minDisk=80')) == ['4', '5']
    assert _ids(five.get(F + '?minRam=4096&minDisk=100')) == ['5']
    for param in ('minRam', 'minDisk'):
        resp = five.get(F + '?%s=lots' % param)
        assert resp.status_int == 400
        assert resp.json['badRequest']['message'] == (
            'Invalid %s filter [lots]' % param)


def test_sorting(five):
    assert _ids(five.get(F + '?sort_key=name')) == ['4', '3', '2', '1', '5']
    assert _ids(five.get(F + '?sort_key=memory_mb&sort_dir=desc')) == [
        '5', '4', '3', '2', '1']
    # Ties on the sort key fall back to the row id.
    assert _ids(five.get(F + '?sort_key=vcpus')) == ['1', '2', '3', '4', '5']
    resp = five.get(F + '?sort_key=pony')
    assert resp.status_int == 400
    assert five.get(F + '?sort_dir=up').status_int == 400


def test_paging(five):
    resp = five.get(F + '?limit=2')
    assert _ids(resp) == ['1', '2']
    assert resp.json['flavors_links'] == [{
        'rel': 'next',
        'href': 'http://localhost/v2.1/flavors?limit=2&marker=2'}]
    resp = five.get(F + '/detail?limit=2&marker=2&minRam=1')
    assert _ids(resp) == ['3', '4']
    assert resp.json['flavors_links'][0]['href'] == (
        'http://localhost/v2.1/flavors/detail?limit=2&marker=4&minRam=1')
    resp = five.get(F + '?limit=2&marker=4')
    assert _ids(resp) == ['5']
    assert 'flavors_links' not in resp.json


def test_paging_with_sort_key_ties(five):
    seen = []
    marker = ''
    while True:
        resp = five.get(F + '?sort_key=vcpus&sort_dir=desc&limit=2' + marker)
        page = _ids(resp)
        seen += page
        if 'flavors_links' not in resp.json:
            break
        marker = '&marker=' + page[-1]
    assert seen == ['5', '4', '3', '2', '1']


def test_max_limit_caps_pages(five, api_conf):
    api_conf.set_override('max_limit', 3, group='api')
    resp = five.get(F)
    assert _ids(resp) == ['1', '2', '3']
    assert resp.json['flavors_links'][0]['href'].endswith('?marker=3')
    assert _ids(five.get(F + '?limit=10')) == ['1', '2', '3']


@pytest.mark.parametrize('query, message', [
    ('limit=x', 'limit param must be an integer'),
    ('limit=-1', 'limit param must be positive'),
    ('marker=nope', 'marker [nope] not found'),
])
def test_bad_paging_is_400(five, query, message):
    resp = five.get(F + '?' + query)
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == message


def test_private_and_disabled_flavors(five, api):
    _create(five, 'private', 'p', **{'os-flavor-access:is_public': False})
    _create(five, 'granted', 'g', **{'os-flavor-access:is_public': False})
    with api.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO flavor_projects (flavor_id, project_id) "
            "SELECT id, 'p1' FROM flavors WHERE flavorid = 'g'"))
        conn.execute(sa.text(
            "UPDATE flavors SET disabled = :t WHERE flavorid = '5'"),
            {'t': True})
    # Admins: public by default, private or all on request.
    assert _ids(five.get(F)) == ['1', '2', '3', '4', '5']
    assert _ids(five.get(F + '?is_public=false')) == ['g', 'p']
    assert _ids(five.get(F + '?is_public=none')) == [
        '1', '2', '3', '4', '5', 'g', 'p']
    assert five.get(F + '?is_public=perhaps').status_int == 400
    assert five.get(F + '/p').status_int == 200
    # Projects: public enabled flavors and those granted to them; the
    # is_public filter is not theirs to use.
    assert _ids(five.get(F + '?is_public=false', token='bob:p1')) == [
        '1', '2', '3', '4', 'g']
    assert _ids(five.get(F, token='bob:p2')) == ['1', '2', '3', '4']
    assert five.get(F + '/p', token='bob:p1').status_int == 404
    assert five.get(F + '/g', token='bob:p1').status_int == 200
    assert five.get(F + '/g', token='bob:p2').status_int == 404
    assert five.get(F + '?marker=p', token='bob:p1').status_int == 400


# -- extra specs


def test_extra_specs_crud(compute):
    _create(compute, 'm1.tiny', '1')
    specs = F + '/1/os-extra_specs'
    assert compute.get(specs).json == {'extra_specs': {}}
    body = {'extra_specs': {'hw:cpu_policy': 'dedicated', 'quota:n': 5,
                            'trait:CUSTOM_X': 'required'}}
    resp = compute.post(specs, json=body)
    assert resp.status_int == 200
    assert resp.json == body
    resp = compute.post(specs, json={'extra_specs': {'quota:n': '6'}})
    assert resp.status_int == 200
    assert compute.get(specs).json == {'extra_specs': {
        'hw:cpu_policy': 'dedicated', 'quota:n': '6',
        'trait:CUSTOM_X': 'required'}}
    resp = compute.get(specs + '/hw:cpu_policy')
    assert resp.status_int == 200
    assert resp.json == {'hw:cpu_policy': 'dedicated'}
    resp = compute.put(specs + '/hw:cpu_policy',
                       json={'hw:cpu_policy': 'shared'})
    assert resp.status_int == 200
    assert resp.json == {'hw:cpu_policy': 'shared'}
    resp = compute.put(specs + '/new', json={'new': True})
    assert resp.status_int == 200
    assert compute.get(specs + '/new').json == {'new': 'True'}
    resp = compute.delete(specs + '/hw:cpu_policy')
    assert resp.status_int == 200
    resp = compute.get(specs + '/hw:cpu_policy')
    assert resp.status_int == 404
    assert resp.json['itemNotFound']['message'] == (
        'Flavor 1 has no extra specs with key hw:cpu_policy.')
    assert compute.delete(specs + '/hw:cpu_policy').status_int == 404


def test_extra_spec_keys_are_case_sensitive(compute):
    _create(compute, 'm1.tiny', '1')
    specs = F + '/1/os-extra_specs'
    compute.post(specs, json={'extra_specs': {'a:B': '1', 'a:b': '2'}})
    assert compute.get(specs).json['extra_specs'] == {'a:B': '1', 'a:b': '2'}


def test_extra_specs_of_unknown_flavor_are_404(compute):
    specs = F + '/nope/os-extra_specs'
    assert compute.get(specs).status_int == 404
    assert compute.get(specs + '/k').status_int == 404
    assert compute.post(specs, json={'extra_specs': {'k': 'v'}}
                        ).status_int == 404
    assert compute.put(specs + '/k', json={'k': 'v'}).status_int == 404
    assert compute.delete(specs + '/k').status_int == 404


@pytest.mark.parametrize('body', [
    {'extra_specs': {'bad/key': 'v'}},
    {'extra_specs': {'k': 'v' * 256}},
    {'extra_specs': {'k': None}},
    {'extra_specs': 'k=v'},
    {'specs': {}},
])
def test_bad_extra_specs_body_is_400(compute, body):
    _create(compute, 'm1.tiny', '1')
    resp = compute.post(F + '/1/os-extra_specs', json=body)
    assert resp.status_int == 400, resp.text


def test_extra_spec_update_must_match_the_url(compute):
    _create(compute, 'm1.tiny', '1')
    spec = F + '/1/os-extra_specs/a'
    resp = compute.put(spec, json={'b': '1'})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == (
        'Request body and URI mismatch')
    assert compute.put(spec, json={'a': '1', 'b': '2'}).status_int == 400
    assert compute.put(spec, json={}).status_int == 400


def test_extra_specs_policy(compute):
    _create(compute, 'm1.tiny', '1')
    specs = F + '/1/os-extra_specs'
    compute.post(specs, json={'extra_specs': {'k': 'v'}})
    # Reading is for everyone who may see the flavor.
    assert compute.get(specs, token='bob').json == {
        'extra_specs': {'k': 'v'}}
    assert compute.get(specs + '/k', token='bob').status_int == 200
    for method, path, body in [('POST', specs, {'extra_specs': {'k': 'w'}}),
                               ('PUT', specs + '/k', {'k': 'w'}),
                               ('DELETE', specs + '/k', None)]:
        resp = compute.request(method, path, json=body, token='bob')
        assert resp.status_int == 403, (method, resp.text)
    assert compute.get(specs + '/k').json == {'k': 'v'}


def _access(compute, flavorid, name, tenant, status=200, **kw):
    resp = compute.post(F + '/%s/action' % flavorid,
                        json={name: {'tenant': tenant}}, **kw)
    assert resp.status_int == status, resp.text
    return resp.json


def test_flavor_access_grants_a_private_flavor(compute):
    _create(compute, 'secret', 'p1', **{'os-flavor-access:is_public': False})
    assert compute.get(F + '/p1', token='alice:proj-a').status_int == 404
    body = _access(compute, 'p1', 'addTenantAccess', 'proj-a')
    assert body == {'flavor_access': [
        {'flavor_id': 'p1', 'tenant_id': 'proj-a'}]}
    _access(compute, 'p1', 'addTenantAccess', 'proj-b')
    listed = compute.get(F + '/p1/os-flavor-access').json['flavor_access']
    assert [a['tenant_id'] for a in listed] == ['proj-a', 'proj-b']
    # The project now sees it, in show and in its list; others do not.
    assert compute.get(F + '/p1', token='alice:proj-a').status_int == 200
    names = [f['name'] for f in compute.get(
        F, token='alice:proj-a').json['flavors']]
    assert 'secret' in names
    assert compute.get(F + '/p1', token='carol:proj-c').status_int == 404
    # Granting twice is 409; removing what is not there is 404.
    body = _access(compute, 'p1', 'addTenantAccess', 'proj-a', 409)
    assert 'already exists' in body['conflictingRequest']['message']
    body = _access(compute, 'p1', 'removeTenantAccess', 'proj-a')
    assert body['flavor_access'] == [
        {'flavor_id': 'p1', 'tenant_id': 'proj-b'}]
    _access(compute, 'p1', 'removeTenantAccess', 'proj-a', 404)
    assert compute.get(F + '/p1', token='alice:proj-a').status_int == 404


def test_flavor_access_errors(compute):
    _create(compute, 'open', 'o1')
    _create(compute, 'secret', 'p1', **{'os-flavor-access:is_public': False})
    resp = compute.get(F + '/o1/os-flavor-access')
    assert resp.status_int == 404
    assert 'public flavors' in resp.json['itemNotFound']['message']
    # 2.7 refuses access to a public flavor; before, it was stored.
    body = _access(compute, 'o1', 'addTenantAccess', 'proj-a', 409,
                   version='2.7')
    assert 'public flavor' in body['conflictingRequest']['message']
    _access(compute, 'o1', 'addTenantAccess', 'proj-a', version='2.6')
    _access(compute, 'nope', 'addTenantAccess', 'proj-a', 404)
    for bad in ({'addTenantAccess': {}}, {'addTenantAccess': {'tenant': ''}},
                {'grant': {'tenant': 'x'}}):
        resp = compute.post(F + '/p1/action', json=bad)
        assert resp.status_int == 400, bad
    body = _access(compute, 'p1', 'addTenantAccess', 'proj-a', 403,
                   token='alice:proj-a')
    assert 'add_tenant_access' in body['forbidden']['message']
