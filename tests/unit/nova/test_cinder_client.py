"""nova.volume.cinder without a Cinder: where it finds Cinder, what it
sends as credentials, and how Cinder's errors become Nova's."""

from cinderclient import exceptions as cinder_exc
from keystoneauth1 import exceptions as ks_exc
import pytest

from nova import context as nova_context
from nova import exception
from nova.volume import cinder
from tests import nova_services

CATALOG = [
    {'type': 'compute', 'name': 'nova', 'endpoints': [
        {'interface': 'public', 'region': 'r1', 'url': 'http://nova'}]},
    {'type': 'volumev3', 'name': 'cinderv3', 'endpoints': [
        {'interface': 'internal', 'region': 'r1', 'url': 'http://int/v3'},
        {'interface': 'public', 'region': 'r1', 'url': 'http://r1/v3'},
        {'interface': 'public', 'region': 'r2', 'url': 'http://r2/v3'}]},
]


def _ctx(**kwargs):
    ctx = nova_context.RequestContext(user_id='u', project_id='p1',
                                      auth_token='u:p1', **kwargs)
    return ctx


def test_endpoint_template_is_filled_from_the_context():
    with nova_services.configured(
            cinder__endpoint_template='http://c:8776/v3/%(project_id)s'):
        assert cinder.endpoint(_ctx()) == 'http://c:8776/v3/p1'


@pytest.mark.parametrize('overrides, url', [
    ({}, 'http://r1/v3'),
    ({'cinder__os_region_name': 'r2'}, 'http://r2/v3'),
    ({'cinder__catalog_info': 'volumev3:cinderv3:internalURL'},
     'http://int/v3'),
])
def test_endpoint_from_the_service_catalog(overrides, url):
    ctx = _ctx()
    ctx.service_catalog = CATALOG
    with nova_services.configured(**overrides):
        assert cinder.endpoint(ctx) == url


def test_no_endpoint_is_a_503():
    with nova_services.configured(cinder__catalog_info='volumev3:other:'
                                                       'publicURL'):
        ctx = _ctx()
        ctx.service_catalog = CATALOG
        with pytest.raises(exception.CinderConnectionFailed) as caught:
            cinder.endpoint(ctx)
    assert caught.value.code == 503


def test_user_token_and_under_noauth2_the_service_role():
    with nova_services.configured(api__auth_strategy='noauth2'):
        assert cinder._auth(_ctx()).get_headers(None) == {
            'X-Auth-Token': 'u:p1', 'X-Service-Roles': 'service'}
    with nova_services.configured(api__auth_strategy='keystone'):
        assert cinder._auth(_ctx()).get_headers(None) == {
            'X-Auth-Token': 'u:p1'}


def _raised(exc):
    with pytest.raises(exception.NovaException) as caught:
        with cinder._translated('vol-1'):
            raise exc
    return caught.value


def test_cinder_errors_become_novas_keeping_the_message():
    gone = _raised(cinder_exc.NotFound(404, 'Volume vol-1 could not be '
                                            'found.'))
    assert isinstance(gone, exception.VolumeNotFound) and gone.code == 404
    bad = _raised(cinder_exc.BadRequest(400, 'Invalid volume: Volume '
                                             'status must be available'))
    assert isinstance(bad, exception.InvalidVolume) and bad.code == 400
    assert 'Volume status must be available' in str(bad)
    conflict = _raised(cinder_exc.ClientException(409, 'in use by nova'))
    assert conflict.code == 400 and 'in use by nova' in str(conflict)
    assert _raised(cinder_exc.Forbidden(403, 'no')).code == 403
    assert _raised(cinder_exc.OverLimit(413, 'quota')).code == 403
    down = _raised(ks_exc.ConnectFailure('refused'))
    assert isinstance(down, exception.CinderConnectionFailed)
    assert down.code == 503
    assert _raised(cinder_exc.ClientException(500, 'boom')).code == 503
