"""Trailing slashes: GET /v2/ described v2.1, and a collection with a
trailing slash was read as a project id.

Symptom: GET /v2/ answered the v2.1 version document, where upstream
answers the v2.0 one (self link .../v2/) as GET /v2 does; GET
/v2.1/os-simple-tenant-usage/ (and /v2.1/servers/, ...) answered 400
"Malformed request URL: URL's project_id 'os-simple-tenant-usage'
doesn't match Context's project_id", where upstream answers 404.

Cause: the route table's root always showed v2.1; and a project id in a
path matched any segment, so '/servers/' matched the root below
project "servers".

Fix: 4daac6e ("API differences from upstream: ..."): the root shows the
version the request is served as (v2.0 on the legacy path); a project id
in a path must match [osapi_v21] project_id_regex (upstream's option; by
default keystone's hex ids, upstream's default).
"""

import pytest


def test_v2_root_with_a_slash_describes_v2(compute):
    for path in ('/v2', '/v2/'):
        doc = compute.get(path).json['version']
        assert doc['id'] == 'v2.0', path
        assert doc['links'][0] == {'rel': 'self',
                                   'href': 'http://localhost/v2/'}
    for path in ('/v2.1', '/v2.1/'):
        doc = compute.get(path).json['version']
        assert doc['id'] == 'v2.1', path
        assert doc['links'][0] == {'rel': 'self',
                                   'href': 'http://localhost/v2.1/'}


@pytest.mark.parametrize('path', [
    '/v2.1/os-simple-tenant-usage/', '/v2.1/servers/', '/v2.1/flavors/',
    '/v2/servers/', '/v2.1/os-hypervisors/', '/v2.1/flavors/detail/'])
def test_collection_with_a_trailing_slash_is_404(compute, path):
    resp = compute.get(path)
    assert resp.status_int == 404, resp.text
    assert resp.json == {'itemNotFound': {
        'code': 404, 'message': 'The resource could not be found.'}}
