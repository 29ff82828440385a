"""The version documents and microversion negotiation."""

import pytest

VERSION_HEADERS = ('OpenStack-API-Version', 'X-OpenStack-Nova-API-Version')


def test_root_lists_versions_without_auth(compute):
    resp = compute.get('/', token='')
    assert resp.status_int == 200
    assert resp.content_type == 'application/json'
    v20, v21 = resp.json['versions']
    assert v20 == {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '',
                   'min_version': '', 'updated': '2011-01-21T11:33:21Z',
                   'links': [{'rel': 'self',
                              'href': 'http://localhost/v2/'}]}
    assert v21 == {'id': 'v2.1', 'status': 'CURRENT', 'version': '2.69',
                   'min_version': '2.1', 'updated': '2013-07-23T11:33:21Z',
                   'links': [{'rel': 'self',
                              'href': 'http://localhost/v2.1/'}]}
    assert resp.headers['x-openstack-request-id'].startswith('req-')
    assert (resp.headers['x-compute-request-id'] ==
            resp.headers['x-openstack-request-id'])


@pytest.mark.parametrize('path', ['/v2.1', '/v2.1/'])
def test_v21_document(compute, path):
    resp = compute.get(path)
    assert resp.status_int == 200
    doc = resp.json['version']
    assert doc['id'] == 'v2.1'
    assert (doc['min_version'], doc['version']) == ('2.1', '2.69')
    assert doc['links'][0] == {'rel': 'self',
                               'href': 'http://localhost/v2.1/'}
    assert doc['links'][1]['rel'] == 'describedby'
    assert doc['media-types'] == [{
        'base': 'application/json',
        'type': 'application/vnd.openstack.compute+json;version=2.1'}]


def test_v21_document_needs_no_token(compute):
    assert compute.get('/v2.1', token='').status_int == 200


def test_v2_document(compute):
    doc = compute.get('/v2').json['version']
    assert doc['id'] == 'v2.0'
    assert doc['status'] == 'SUPPORTED'
    assert doc['links'][0]['href'] == 'http://localhost/v2/'


def test_default_version_is_minimum(compute):
    resp = compute.get('/v2.1/flavors')
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.1'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    assert resp.headers['Vary'] == ('OpenStack-API-Version, '
                                    'X-OpenStack-Nova-API-Version')


def test_latest_is_maximum(compute):
    resp = compute.get('/v2.1/flavors', version='latest')
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.69'


def test_legacy_header(compute):
    resp = compute.get('/v2.1/flavors',
                       headers={'X-OpenStack-Nova-API-Version': '2.10'})
    assert resp.status_int == 200
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.10'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.10'


def test_new_header_wins_over_legacy(compute):
    resp = compute.get('/v2.1/flavors', version='2.30',
                       headers={'X-OpenStack-Nova-API-Version': '2.10'})
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.30'


def test_other_service_in_header_is_ignored(compute):
    resp = compute.get('/v2.1/flavors',
                       headers={'OpenStack-API-Version': 'placement 1.5'})
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'


@pytest.mark.parametrize('version', ['2.0', '2.70', '3.0', '1.1'])
def test_version_outside_range_is_406(compute, version):
    resp = compute.get('/v2.1/flavors', version=version)
    assert resp.status_int == 406
    assert resp.json == {'computeFault': {
        'code': 406,
        'message': 'Version %s is not supported by the API. Minimum is 2.1 '
                   'and maximum is 2.69.' % version}}


@pytest.mark.parametrize('version', ['2', 'two.one', '2.1.1', '2.01', ''])
def test_malformed_version_is_400(compute, version):
    resp = compute.get('/v2.1/flavors',
                       headers={'X-OpenStack-Nova-API-Version': version
                                or ' '})
    if not version:
        # A blank header asks for nothing: the minimum.
        assert resp.status_int == 200
        return
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == (
        'API Version String %s is of invalid format. Must be of format '
        'MajorNum.MinorNum.' % version)


def test_error_responses_carry_the_version(compute):
    resp = compute.get('/v2.1/flavors/nope', version='2.40')
    assert resp.status_int == 404
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.40'


def test_legacy_v2_has_no_microversions(compute):
    resp = compute.get('/v2/flavors', version='2.40')
    assert resp.status_int == 200
    for name in VERSION_HEADERS:
        assert name not in resp.headers
