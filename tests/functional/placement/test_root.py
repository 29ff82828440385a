"""The version document, microversion negotiation and error bodies."""


def test_version_document(placement):
    resp = placement.get('/', version='1.15')
    assert resp.status_int == 200
    version = resp.json['versions'][0]
    assert (version['min_version'], version['max_version']) == ('1.0', '1.39')
    assert resp.headers['openstack-api-version'] == 'placement 1.15'
    assert resp.headers['cache-control'] == 'no-cache'


def test_bad_microversions(placement):
    assert placement.get('/', version='0.5').status_int == 406
    resp = placement.get('/', version='pony.horse')
    assert resp.status_int == 400
    assert 'invalid version string: pony.horse' in resp.text


def test_unknown_path_has_error_code(placement):
    resp = placement.get('/barnabas', version='1.23')
    assert resp.status_int == 404
    error = resp.json['errors'][0]
    assert error['code'] == 'placement.undefined_code'
    assert error['request_id'].startswith('req-')


def test_method_not_allowed_lists_methods(placement):
    resp = placement.delete('/resource_providers')
    assert resp.status_int == 405
    assert resp.headers['allow'] == 'GET, POST'
