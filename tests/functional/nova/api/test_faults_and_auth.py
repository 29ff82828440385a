"""Fault bodies, request ids, noauth2 and the keystone pipeline."""

import webob

from nova.api import fault


def test_unknown_route_is_item_not_found(compute):
    resp = compute.get('/v2.1/pony')
    assert resp.status_int == 404
    assert resp.json == {'itemNotFound': {
        'code': 404, 'message': 'The resource could not be found.'}}
    assert resp.headers['x-compute-request-id'].startswith('req-')


def test_unknown_top_level_path_is_item_not_found(compute):
    resp = compute.get('/v3')
    assert resp.status_int == 404
    assert 'itemNotFound' in resp.json


def test_wrong_method_is_bad_method(compute):
    resp = compute.put('/v2.1/flavors', json={})
    assert resp.status_int == 405
    assert resp.json['badMethod']['code'] == 405
    assert resp.headers['Allow'] == 'GET, POST'


def test_unsupported_content_type_is_bad_media_type(compute):
    resp = compute.post('/v2.1/flavors', headers={
        'Content-Type': 'text/plain'})
    assert resp.status_int == 415
    assert resp.json == {'badMediaType': {
        'code': 415, 'message': 'Unsupported Content-Type'}}


def test_malformed_body_is_bad_request(compute):
    req_headers = {'Content-Type': 'application/json'}
    resp = compute.request('POST', '/v2.1/flavors', headers=req_headers,
                           json=None)
    assert resp.status_int == 400  # an empty body lacks "flavor"
    assert "'flavor' is a required property" in (
        resp.json['badRequest']['message'])
    req = webob.Request.blank('/v2.1/flavors', method='POST',
                              headers={'X-Auth-Token': 'admin',
                                       'Content-Type': 'application/json'})
    req.body = b'{"flavor": '
    resp = req.get_response(compute.app)
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == 'Malformed request body'


def test_unexpected_error_is_compute_fault_without_details():
    def broken(environ, start_response):
        raise RuntimeError('secret database password in here')

    resp = webob.Request.blank('/').get_response(fault.FaultWrapper(broken))
    assert resp.status_int == 500
    assert resp.json == {'computeFault': {
        'code': 500, 'message': fault.INTERNAL_ERROR}}


def test_noauth2_without_token_hands_one_out(compute):
    resp = compute.get('/v2.1/flavors', token='',
                       headers={'X-Auth-User': 'alice',
                                'X-Auth-Project-Id': 'p1'})
    assert resp.status_int == 204
    assert resp.headers['X-Auth-Token'] == 'alice:p1'
    assert resp.headers['X-Server-Management-Url'] == (
        'http://localhost/v2.1/flavors/p1')


def test_noauth2_non_admin_cannot_manage_flavors(compute):
    body = {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 1, 'disk': 0}}
    for token in ('alice', 'alice:p1', 'administrator'):
        resp = compute.post('/v2.1/flavors', json=body, token=token)
        assert resp.status_int == 403, token
        assert resp.json == {'forbidden': {
            'code': 403, 'message': "Policy doesn't allow "
            "os_compute_api:os-flavor-manage:create to be performed."}}
    assert compute.post('/v2.1/flavors', json=body,
                        token='admin:p1').status_int == 200


def test_project_id_in_url(compute):
    # Keystone's project ids (hex) by default, as upstream.
    bob = 'bob:0abc-12'
    assert compute.get('/v2.1/0abc-12/flavors', token=bob).status_int == 200
    assert compute.get('/v2.1/0abc-12/', token=bob).json['version'][
        'id'] == 'v2.1'
    resp = compute.get('/v2.1/0def/flavors', token=bob)
    assert resp.status_int == 400
    assert "doesn't match Context's project_id" in (
        resp.json['badRequest']['message'])
    assert compute.get('/v2.1/p1/flavors', token='bob:p1').status_int == 404


def test_project_id_regex(api_conf):
    from nova.api import direct
    api_conf.set_override('project_id_regex', 'p[0-9]+', group='osapi_v21')
    try:
        compute = direct.ComputeDirect(api_conf)
        assert compute.get('/v2.1/p1/flavors',
                           token='bob:p1').status_int == 200
        assert compute.get('/v2.1/0abc/flavors',
                           token='bob:0abc').status_int == 404
    finally:
        api_conf.clear_override('project_id_regex', group='osapi_v21')


def test_keystone_pipeline_rejects_requests_without_token(api_conf):
    from keystonemiddleware import auth_token  # noqa: F401 its options
    from nova.api import direct
    api_conf.set_override('auth_strategy', 'keystone', group='api')
    api_conf.set_override('www_authenticate_uri', 'http://keystone.test/v3',
                          group='keystone_authtoken')
    try:
        client = direct.ComputeDirect(api_conf, token=None)
        assert client.get('/').status_int == 200
        resp = client.get('/v2.1/flavors')
        assert resp.status_int == 401
        assert resp.headers['WWW-Authenticate'] == (
            'Keystone uri="http://keystone.test/v3"')
    finally:
        api_conf.clear_override('www_authenticate_uri',
                                group='keystone_authtoken')
