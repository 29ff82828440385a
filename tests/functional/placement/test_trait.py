"""Traits: /traits and /resource_providers/{uuid}/traits."""

import uuid

import pytest

pytestmark = pytest.mark.all_databases

V = '1.6'


def _detail(resp) -> str:
    return resp.json['errors'][0]['detail']


def _provider(placement) -> str:
    rp_uuid = str(uuid.uuid4())
    resp = placement.post('/resource_providers', version='1.20',
                          json={'name': 'rp-' + rp_uuid, 'uuid': rp_uuid})
    assert resp.status_int == 200, resp.text
    return rp_uuid


def test_traits_need_1_6(placement):
    assert placement.get('/traits', version='1.5').status_int == 404
    assert placement.put('/traits/CUSTOM_A', version='1.5').status_int == 404


def test_create_show_delete_custom_trait(placement):
    resp = placement.put('/traits/CUSTOM_GOLD', version=V)
    assert resp.status_int == 201
    assert resp.location.endswith('/traits/CUSTOM_GOLD')
    assert 'content-type' not in resp.headers
    assert placement.put('/traits/CUSTOM_GOLD', version=V).status_int == 204
    assert placement.get('/traits/CUSTOM_GOLD', version=V).status_int == 204
    assert placement.delete('/traits/CUSTOM_GOLD', version=V).status_int == 204
    assert placement.get('/traits/CUSTOM_GOLD', version=V).status_int == 404
    assert placement.delete('/traits/CUSTOM_GOLD',
                            version=V).status_int == 404


@pytest.mark.parametrize('name', ['TRAIT_X', 'CUSTOM_abc', 'CUSTOM_A:1',
                                  'CUSTOM_' + 'X' * 249])
def test_invalid_trait_names(placement, name):
    resp = placement.put('/traits/' + name, version=V)
    assert resp.status_int == 400
    assert 'The trait is invalid' in _detail(resp)


def test_standard_trait_cannot_be_deleted(placement):
    resp = placement.delete('/traits/HW_CPU_X86_SSE', version=V)
    assert resp.status_int == 400
    assert 'Cannot delete standard trait' in _detail(resp)


def test_list_filters(placement):
    for name in ('CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2', 'CUSTOM_OTHER'):
        placement.put('/traits/' + name, version=V)
    listed = placement.get('/traits', version=V).json['traits']
    assert {'CUSTOM_TRAIT_1', 'MISC_SHARES_VIA_AGGREGATE'} <= set(listed)
    assert listed == sorted(listed)
    got = placement.get('/traits?name=startswith:CUSTOM_TRAIT',
                        version=V).json['traits']
    assert got == ['CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2']
    got = placement.get('/traits?name=in:CUSTOM_OTHER,HW_CPU_X86_SSE,NOPE',
                        version=V).json['traits']
    assert got == ['CUSTOM_OTHER', 'HW_CPU_X86_SSE']


def test_prefix_is_not_a_pattern(placement):
    placement.put('/traits/CUSTOM_AXB', version=V)
    got = placement.get('/traits?name=startswith:CUSTOM_A_',
                        version=V).json['traits']
    assert got == []


@pytest.mark.parametrize('query,message', [
    ('name=in_abc', 'Badly formatted name parameter'),
    ('associated=xyz', 'only accepts "true" or "false"'),
    ('invalid=abc', 'Invalid query string parameters: Additional '
                    'properties are not allowed'),
])
def test_list_bad_query(placement, query, message):
    resp = placement.get('/traits?' + query, version=V)
    assert resp.status_int == 400
    assert message in _detail(resp)


def test_provider_traits_lifecycle(placement):
    rp = _provider(placement)
    path = '/resource_providers/%s/traits' % rp
    placement.put('/traits/CUSTOM_FAST', version=V)
    resp = placement.get(path, version=V)
    assert resp.json == {'traits': [], 'resource_provider_generation': 0}

    resp = placement.put(path, version=V, json={
        'traits': ['CUSTOM_FAST', 'HW_CPU_X86_SSE'],
        'resource_provider_generation': 0})
    assert resp.status_int == 200
    assert resp.json == {'traits': ['CUSTOM_FAST', 'HW_CPU_X86_SSE'],
                         'resource_provider_generation': 1}
    associated = placement.get('/traits?associated=true',
                               version=V).json['traits']
    assert associated == ['CUSTOM_FAST', 'HW_CPU_X86_SSE']
    unassociated = placement.get('/traits?associated=false',
                                 version=V).json['traits']
    assert 'CUSTOM_FAST' not in unassociated
    assert 'HW_CPU_X86_SSE2' in unassociated

    in_use = placement.delete('/traits/CUSTOM_FAST', version=V)
    assert in_use.status_int == 409
    assert 'is in use by a resource provider' in _detail(in_use)

    # Replacing keeps one trait, drops one, and bumps the generation.
    resp = placement.put(path, version=V, json={
        'traits': ['HW_CPU_X86_SSE'], 'resource_provider_generation': 1})
    assert resp.json['resource_provider_generation'] == 2
    assert placement.get(path, version=V).json['traits'] == [
        'HW_CPU_X86_SSE']

    assert placement.delete(path, version=V).status_int == 204
    assert placement.get(path, version=V).json == {
        'traits': [], 'resource_provider_generation': 3}


def test_provider_traits_stale_generation(placement):
    rp = _provider(placement)
    resp = placement.put('/resource_providers/%s/traits' % rp,
                         version='1.23', json={
                             'traits': ['HW_CPU_X86_SSE'],
                             'resource_provider_generation': 5})
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.concurrent_update'
    got = placement.get('/resource_providers/%s/traits' % rp, version=V)
    assert got.json['traits'] == []


def test_provider_traits_unknown_trait_writes_nothing(placement):
    rp = _provider(placement)
    resp = placement.put('/resource_providers/%s/traits' % rp, version=V,
                         json={'traits': ['HW_CPU_X86_SSE', 'NOT_A_TRAIT'],
                               'resource_provider_generation': 0})
    assert resp.status_int == 400
    assert 'No such trait(s): NOT_A_TRAIT' in _detail(resp)
    got = placement.get('/resource_providers/%s/traits' % rp, version=V)
    assert got.json == {'traits': [], 'resource_provider_generation': 0}


@pytest.mark.parametrize('body,message', [
    ({'traits': ['HW_CPU_X86_SSE']},
     "'resource_provider_generation' is a required property"),
    ({'traits': 'x', 'resource_provider_generation': 0},
     "'x' is not of type 'array'"),
    ({'traits': [], 'resource_provider_generation': 'x'},
     "'x' is not of type 'integer'"),
    ({'traits': [], 'resource_provider_generation': 0, 'more': 1},
     'Additional properties are not allowed'),
])
def test_provider_traits_bad_body(placement, body, message):
    rp = _provider(placement)
    resp = placement.put('/resource_providers/%s/traits' % rp, version=V,
                         json=body)
    assert resp.status_int == 400
    assert message in _detail(resp)


def test_unknown_provider(placement):
    missing = str(uuid.uuid4())
    path = '/resource_providers/%s/traits' % missing
    for resp in (placement.get(path, version=V),
                 placement.delete(path, version=V),
                 placement.put(path, version=V, json={
                     'traits': [], 'resource_provider_generation': 0})):
        assert resp.status_int == 404
        assert 'No resource provider with uuid %s found' % missing in (
            _detail(resp))


def test_cache_headers_from_1_15(placement):
    placement.put('/traits/CUSTOM_C', version=V)
    old = placement.get('/traits/CUSTOM_C', version='1.14')
    assert 'last-modified' not in old.headers
    new = placement.get('/traits/CUSTOM_C', version='1.15')
    assert new.headers['cache-control'] == 'no-cache'
    assert new.headers['last-modified'].endswith(' GMT')
    deleted = placement.delete('/traits/CUSTOM_C', version='1.15')
    assert 'last-modified' not in deleted.headers
