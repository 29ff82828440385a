"""/resource_providers/{uuid}/aggregates: both body formats, generations."""

import uuid

import pytest

pytestmark = pytest.mark.all_databases

LATEST = '1.39'


def _provider(placement):
    resp = placement.post('/resource_providers', {'name': 'rp'},
                          version=LATEST)
    assert resp.status_int == 200, resp.text
    return resp.json['uuid']


def test_list_body_before_1_19_leaves_generation(placement):
    rp = _provider(placement)
    url = '/resource_providers/%s/aggregates' % rp
    aggs = [str(uuid.uuid4()), str(uuid.uuid4())]
    resp = placement.put(url, aggs, version='1.18')
    assert resp.status_int == 200, resp.text
    assert resp.json == {'aggregates': aggs}
    assert sorted(placement.get(url, version='1.18').json['aggregates']) == (
        sorted(aggs))
    assert placement.get('/resource_providers/' + rp,
                         version=LATEST).json['generation'] == 0


def test_generation_from_1_19(placement):
    rp = _provider(placement)
    url = '/resource_providers/%s/aggregates' % rp
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    resp = placement.put(url, {'aggregates': [first],
                               'resource_provider_generation': 0},
                         version=LATEST)
    assert resp.status_int == 200, resp.text
    assert resp.json == {'aggregates': [first],
                         'resource_provider_generation': 1}

    resp = placement.put(url, {'aggregates': [second],
                               'resource_provider_generation': 0},
                         version=LATEST)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.concurrent_update'
    assert placement.get(url, version=LATEST).json == {
        'aggregates': [first], 'resource_provider_generation': 1}

    resp = placement.put(url, {'aggregates': [second],
                               'resource_provider_generation': 1},
                         version=LATEST)
    assert resp.json['aggregates'] == [second]
    # The first aggregate is no longer this provider's.
    resp = placement.get('/resource_providers?member_of=' + first,
                         version=LATEST)
    assert resp.json['resource_providers'] == []


def test_shared_aggregate_and_bad_requests(placement):
    rp1, rp2 = _provider(placement), None
    rp2 = placement.post('/resource_providers', {'name': 'rp2'},
                         version=LATEST).json['uuid']
    agg = str(uuid.uuid4())
    for rp in (rp1, rp2):
        resp = placement.put('/resource_providers/%s/aggregates' % rp,
                             [agg], version='1.1')
        assert resp.status_int == 200, resp.text
    resp = placement.get('/resource_providers?member_of=' + agg,
                         version=LATEST)
    assert {r['uuid'] for r in resp.json['resource_providers']} == {rp1, rp2}

    url = '/resource_providers/%s/aggregates' % rp1
    assert placement.get(url, version='1.0').status_int == 404
    resp = placement.put(url, [agg, agg], version='1.1')
    assert resp.status_int == 400
    assert 'has non-unique elements' in resp.text
    resp = placement.put(url, ['not-a-uuid'], version='1.1')
    assert resp.status_int == 400
    missing = '/resource_providers/%s/aggregates' % uuid.uuid4()
    assert placement.put(missing, [], version=LATEST).status_int == 404
