"""Provider usages and project usages, with consumer types from 1.38."""

import uuid

import pytest

pytestmark = pytest.mark.all_databases

LATEST = '1.39'


def _provider(placement, inventories):
    resp = placement.post('/resource_providers', {'name': 'rp'},
                          version=LATEST)
    assert resp.status_int == 200, resp.text
    rp = resp.json['uuid']
    resp = placement.put('/resource_providers/%s/inventories' % rp, {
        'resource_provider_generation': 0, 'inventories': inventories},
        version=LATEST)
    assert resp.status_int == 200, resp.text
    return rp


def _allocate(placement, rp, resources, project, user, consumer_type=None):
    body = {'allocations': {rp: {'resources': resources}},
            'project_id': project, 'user_id': user,
            'consumer_generation': None}
    version = '1.36'
    if consumer_type:
        body['consumer_type'] = consumer_type
        version = LATEST
    resp = placement.put('/allocations/%s' % uuid.uuid4(), body,
                         version=version)
    assert resp.status_int == 204, resp.text


def test_provider_usages_cover_every_inventory(placement):
    rp = _provider(placement, {'VCPU': {'total': 8},
                               'DISK_GB': {'total': 100}})
    url = '/resource_providers/%s/usages' % rp
    assert placement.get(url).json['usages'] == {'VCPU': 0, 'DISK_GB': 0}
    _allocate(placement, rp, {'VCPU': 2}, 'p', 'u')
    _allocate(placement, rp, {'VCPU': 1, 'DISK_GB': 10}, 'p', 'u')
    got = placement.get(url).json
    assert got['usages'] == {'VCPU': 3, 'DISK_GB': 10}
    assert got['resource_provider_generation'] == 3
    missing = '/resource_providers/%s/usages' % uuid.uuid4()
    assert placement.get(missing).status_int == 404


def test_project_and_user_usages(placement):
    rp = _provider(placement, {'VCPU': {'total': 8},
                               'DISK_GB': {'total': 100}})
    _allocate(placement, rp, {'VCPU': 2}, 'proj', 'alice')
    _allocate(placement, rp, {'VCPU': 1, 'DISK_GB': 5}, 'proj', 'bob')
    _allocate(placement, rp, {'VCPU': 4}, 'other', 'bob')

    def usages(query, version='1.9'):
        resp = placement.get('/usages?' + query, version=version)
        assert resp.status_int == 200, resp.text
        return resp.json['usages']

    assert usages('project_id=proj') == {'VCPU': 3, 'DISK_GB': 5}
    assert usages('project_id=proj&user_id=bob') == {'VCPU': 1, 'DISK_GB': 5}
    assert usages('project_id=nobody') == {}
    assert placement.get('/usages?project_id=proj',
                         version='1.8').status_int == 404
    assert placement.get('/usages?user_id=bob',
                         version='1.9').status_int == 400


def test_usages_by_consumer_type(placement):
    rp = _provider(placement, {'VCPU': {'total': 16}})
    _allocate(placement, rp, {'VCPU': 1}, 'proj', 'u')
    _allocate(placement, rp, {'VCPU': 2}, 'proj', 'u', 'INSTANCE')
    _allocate(placement, rp, {'VCPU': 3}, 'proj', 'u', 'INSTANCE')
    _allocate(placement, rp, {'VCPU': 4}, 'proj', 'u', 'MIGRATION')

    def usages(query=''):
        resp = placement.get('/usages?project_id=proj' + query,
                             version=LATEST)
        assert resp.status_int == 200, resp.text
        return resp.json['usages']

    assert usages() == {
        'unknown': {'consumer_count': 1, 'VCPU': 1},
        'INSTANCE': {'consumer_count': 2, 'VCPU': 5},
        'MIGRATION': {'consumer_count': 1, 'VCPU': 4}}
    assert usages('&consumer_type=all') == {
        'all': {'consumer_count': 4, 'VCPU': 10}}
    assert usages('&consumer_type=unknown') == {
        'unknown': {'consumer_count': 1, 'VCPU': 1}}
    assert usages('&consumer_type=INSTANCE') == {
        'INSTANCE': {'consumer_count': 2, 'VCPU': 5}}
    assert usages('&consumer_type=NONE_SUCH') == {}
    resp = placement.get('/usages?project_id=proj&consumer_type=INSTANCE',
                         version='1.37')
    assert resp.status_int == 400
