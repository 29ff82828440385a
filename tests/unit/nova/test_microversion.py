"""Microversions: the Version type and parsing (servicekit), the compute
API's negotiation from request headers (nova.api.microversion) and the
middleware's 400/406 answers."""

import json

import pytest
import webob

from nova.api import microversion as nova_mv
from nova.api import middleware
from servicekit import microversion as mv


# -- Version and parse


def test_version_is_a_comparable_pair():
    v = mv.Version(2, 10)
    assert tuple(v) == (2, 10)
    assert str(v) == '2.10'
    assert mv.Version(2, 9) < v < mv.Version(3, 0)
    assert v == (2, 10)


def test_parse():
    assert mv.parse('2.53') == (2, 53)
    # Numeric, not lexical: 2.10 comes after 2.9.
    assert mv.parse('2.10') > mv.parse('2.9')
    assert isinstance(mv.parse('1.0'), mv.Version)


@pytest.mark.parametrize('text', ['2', '2.x', '2.1.1', '', 'latest'])
def test_parse_rejects_what_is_not_two_integers(text):
    with pytest.raises(ValueError):
        mv.parse(text)


def test_matches_bounds_are_inclusive():
    v = mv.Version(2, 26)
    assert v.matches((2, 26))
    assert v.matches((2, 1), (2, 26))
    assert v.matches(max_version=(2, 26))
    assert not v.matches((2, 27))
    assert not v.matches(max_version=(2, 25))
    assert not v.matches((2, 1), (2, 25))
    assert v.matches()
    assert v.matches([2, 5])  # any sequence will do


def test_bounds():
    assert mv.bounds(['1.0', '1.1', '1.39']) == ((1, 0), (1, 39))


def test_requested_reads_the_service_s_entry():
    environ = {'HTTP_OPENSTACK_API_VERSION': 'placement 1.5, compute 2.30'}
    assert mv.requested(environ, 'compute') == '2.30'
    assert mv.requested(environ, 'placement') == '1.5'
    assert not mv.requested(environ, 'volume')
    assert not mv.requested({}, 'compute')


# -- the compute API's negotiation


def _environ(**headers):
    return webob.Request.blank('/v2.1/flavors', headers=headers).environ


def test_compute_versions():
    assert (nova_mv.MIN_VERSION, nova_mv.MAX_VERSION) == ((2, 1), (2, 69))
    assert len(nova_mv.VERSIONS) == 69
    assert nova_mv.LEGACY_V2 == (2, 0)


def test_no_header_is_the_minimum():
    assert nova_mv.from_environ(_environ()) == (2, 1)


def test_new_header():
    assert nova_mv.from_environ(_environ(
        **{'OpenStack-API-Version': 'compute 2.27'})) == (2, 27)


def test_legacy_header():
    assert nova_mv.from_environ(_environ(
        **{'X-OpenStack-Nova-API-Version': '2.11'})) == (2, 11)


def test_new_header_wins_over_legacy():
    assert nova_mv.from_environ(_environ(**{
        'OpenStack-API-Version': 'compute 2.30',
        'X-OpenStack-Nova-API-Version': '2.11'})) == (2, 30)


def test_another_service_s_version_is_not_ours():
    assert nova_mv.from_environ(_environ(
        **{'OpenStack-API-Version': 'volume 3.10'})) == (2, 1)


@pytest.mark.parametrize('value', ['latest', 'LATEST', 'Latest'])
def test_latest_is_the_maximum(value):
    assert nova_mv.from_environ(_environ(
        **{'OpenStack-API-Version': 'compute %s' % value})) == (2, 69)


@pytest.mark.parametrize('value', ['2', '2.x', 'two.one', '2.01', '02.1',
                                   '2.1.0'])
def test_malformed_version_is_invalid(value):
    with pytest.raises(nova_mv.InvalidVersion) as caught:
        nova_mv.from_environ(_environ(
            **{'X-OpenStack-Nova-API-Version': value}))
    assert str(caught.value) == (
        'API Version String %s is of invalid format. Must be of format '
        'MajorNum.MinorNum.' % value)


@pytest.mark.parametrize('value', ['2.0', '2.70', '3.0', '1.1'])
def test_out_of_range_is_unacceptable(value):
    with pytest.raises(nova_mv.UnacceptableVersion) as caught:
        nova_mv.from_environ(_environ(
            **{'OpenStack-API-Version': 'compute %s' % value}))
    assert str(caught.value) == (
        'Version %s is not supported by the API. Minimum is 2.1 and '
        'maximum is 2.69.' % value)


def test_response_headers():
    assert nova_mv.response_headers(mv.Version(2, 9)) == [
        ('OpenStack-API-Version', 'compute 2.9'),
        ('X-OpenStack-Nova-API-Version', '2.9'),
        ('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version')]


# -- the middleware


def _echo(environ, start_response):
    """An app answering the version the middleware chose."""
    resp = webob.Response(text=str(environ[middleware.VERSION_KEY]))
    return resp(environ, start_response)


def _call(app, **headers):
    return webob.Request.blank('/v2.1/', headers=headers).get_response(app)


def test_middleware_sets_the_version_and_stamps_the_response():
    resp = _call(middleware.Microversion(_echo),
                 **{'OpenStack-API-Version': 'compute 2.40'})
    assert resp.status_int == 200
    assert resp.text == '2.40'
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.40'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.40'


def test_middleware_400_on_a_malformed_version():
    resp = _call(middleware.Microversion(_echo),
                 **{'X-OpenStack-Nova-API-Version': 'abc'})
    assert resp.status_int == 400
    assert json.loads(resp.body) == {'badRequest': {
        'code': 400, 'message': 'API Version String abc is of invalid '
        'format. Must be of format MajorNum.MinorNum.'}}


def test_middleware_406_out_of_range():
    resp = _call(middleware.Microversion(_echo),
                 **{'X-OpenStack-Nova-API-Version': '2.99'})
    assert resp.status_int == 406
    body = json.loads(resp.body)
    assert body == {'computeFault': {
        'code': 406, 'message': 'Version 2.99 is not supported by the '
        'API. Minimum is 2.1 and maximum is 2.69.'}}


def test_legacy_v2_ignores_version_headers():
    app = middleware.LegacyV2(middleware.Microversion(_echo))
    resp = _call(app, **{'X-OpenStack-Nova-API-Version': '2.99'})
    assert resp.status_int == 200
    assert resp.text == '2.0'
    assert 'OpenStack-API-Version' not in resp.headers
