"""HTTP behaviour shared by every route: authentication, content
negotiation, microversion headers on errors, and CORS."""

import pytest
import webob

from placement import direct
from placement.conf import CONF


def test_root_needs_no_token_but_the_rest_does(placement):
    placement.token = None
    assert placement.get('/').status_int == 200
    resp = placement.get('/resource_classes', version='1.2')
    assert resp.status_int == 401
    assert resp.json['errors'][0]['title'] == 'Unauthorized'


def test_unacceptable_accept_header(placement):
    resp = placement.get('/resource_classes', version='1.2',
                         headers={'Accept': 'text/plain'})
    assert resp.status_int == 406
    browser = placement.get('/resource_classes', version='1.2', headers={
        'Accept': 'text/html,application/xml;q=0.9,*/*;q=0.8'})
    assert browser.status_int == 200


def test_html_errors_for_html_clients(placement):
    resp = placement.get('/', version='0.5', headers={'Accept': 'text/html'})
    assert resp.status_int == 406
    assert resp.content_type == 'text/html'
    assert 'Unacceptable version header: 0.5' in resp.text


def test_body_content_type_rules(placement):
    wrong = placement.request('POST', '/resource_classes', version='1.2',
                              headers={'Content-Type': 'text/plain'})
    assert wrong.status_int == 415
    resp = placement.request('POST', '/resource_classes', version='1.2')
    assert resp.status_int == 415
    assert 'The media type None is not supported' in resp.text
    malformed = placement.request(
        'POST', '/resource_classes', version='1.2',
        headers={'Content-Type': 'application/json'})
    malformed_body = malformed.json['errors'][0]['detail']
    assert malformed.status_int == 400
    assert 'Malformed JSON' in malformed_body


def test_content_length_must_be_an_integer(placement):
    # A real HTTP client will not send this, so build the request by hand.
    req = webob.Request.blank('/resource_classes', method='POST', headers={
        'X-Auth-Token': 'admin', 'Content-Type': 'application/json',
        'OpenStack-API-Version': 'placement 1.2'}, body=b'{"name": "x"}')
    req.environ['CONTENT_LENGTH'] = 'hi mom'
    resp = req.get_response(placement.app)
    assert resp.status_int == 400
    assert 'content-length header must be an integer' in resp.text


def test_errors_carry_the_microversion(placement):
    resp = placement.request('POST', '/', version='1.7')
    assert resp.status_int == 405
    assert resp.headers['allow'] == 'GET'
    assert resp.headers['openstack-api-version'] == 'placement 1.7'
    assert 'openstack-api-version' in resp.headers['vary']
    latest = placement.get('/', version='latest')
    assert latest.headers['openstack-api-version'] == 'placement 1.39'


def test_error_codes_only_from_1_23(placement):
    old = placement.get('/resource_classes/CUSTOM_NONE', version='1.22')
    assert 'code' not in old.json['errors'][0]
    new = placement.get('/resource_classes/CUSTOM_NONE', version='1.23')
    assert new.json['errors'][0]['code'] == 'placement.undefined_code'


def test_root_cache_headers_from_1_15(placement):
    assert 'last-modified' not in placement.get('/', version='1.14').headers
    assert 'last-modified' in placement.get('/', version='1.15').headers


@pytest.fixture
def cors_placement(placement):
    CONF.set_override('allowed_origin', ['http://valid.example.com'],
                      group='cors')
    CONF.set_override('allow_headers', ['openstack-api-version'],
                      group='cors')
    yield direct.PlacementDirect(CONF)
    CONF.clear_override('allowed_origin', group='cors')
    CONF.clear_override('allow_headers', group='cors')


def test_cors_preflight(cors_placement):
    resp = cors_placement.request('OPTIONS', '/', headers={
        'Origin': 'http://valid.example.com',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'openstack-api-version'})
    assert resp.status_int == 200
    assert resp.headers['access-control-allow-origin'] == (
        'http://valid.example.com')
    other = cors_placement.get('/', headers={
        'Origin': 'http://invalid.example.com'})
    assert 'access-control-allow-origin' not in other.headers


def test_no_cors_unless_configured(placement):
    resp = placement.request('OPTIONS', '/', headers={
        'Origin': 'http://valid.example.com',
        'Access-Control-Request-Method': 'GET'})
    assert resp.status_int == 405
