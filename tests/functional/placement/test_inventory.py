"""/resource_providers/{uuid}/inventories: defaults, capacity rules,
generations and inventory in use."""

import uuid

import pytest

pytestmark = pytest.mark.all_databases

LATEST = '1.39'


def _provider(placement, name='rp'):
    resp = placement.post('/resource_providers', {'name': name},
                          version=LATEST)
    assert resp.status_int == 200, resp.text
    return '/resource_providers/%s/inventories' % resp.json['uuid']


def _generation(placement, url):
    return placement.get(url, version=LATEST).json[
        'resource_provider_generation']


def _put_all(placement, url, inventories, version=LATEST, generation=None):
    if generation is None:
        generation = _generation(placement, url)
    return placement.put(url, {'resource_provider_generation': generation,
                               'inventories': inventories}, version=version)


def _allocate(placement, url, resources):
    rp = url.split('/')[2]
    consumer = str(uuid.uuid4())
    resp = placement.put('/allocations/' + consumer, {
        'allocations': {rp: {'resources': resources}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'}, version=LATEST)
    assert resp.status_int == 204, resp.text
    return consumer


def test_defaults_and_replacement(placement):
    url = _provider(placement)
    resp = _put_all(placement, url, {'VCPU': {'total': 8},
                                     'DISK_GB': {'total': 100}})
    assert resp.status_int == 200, resp.text
    assert resp.json['resource_provider_generation'] == 1
    assert resp.json['inventories']['VCPU'] == {
        'total': 8, 'reserved': 0, 'min_unit': 1, 'max_unit': 2147483647,
        'step_size': 1, 'allocation_ratio': 1.0}

    resp = _put_all(placement, url, {'VCPU': {'total': 16, 'reserved': 1},
                                     'MEMORY_MB': {'total': 1024}})
    assert resp.status_int == 200, resp.text
    got = placement.get(url, version=LATEST).json
    assert got['resource_provider_generation'] == 2
    assert set(got['inventories']) == {'VCPU', 'MEMORY_MB'}
    assert got['inventories']['VCPU']['total'] == 16
    assert got['inventories']['VCPU']['reserved'] == 1


def test_stale_generation_changes_nothing(placement):
    url = _provider(placement)
    assert _put_all(placement, url, {'VCPU': {'total': 8}}).status_int == 200
    resp = _put_all(placement, url, {'VCPU': {'total': 1}}, generation=0)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.concurrent_update'
    resp = placement.put(url + '/VCPU', {'resource_provider_generation': 0,
                                         'total': 1}, version=LATEST)
    assert resp.status_int == 409
    got = placement.get(url + '/VCPU', version=LATEST).json
    assert (got['total'], got['resource_provider_generation']) == (8, 1)


def test_reserved_may_equal_total_from_1_26(placement):
    url = _provider(placement)
    full = {'VCPU': {'total': 4, 'reserved': 4}}
    resp = _put_all(placement, url, full, version='1.25')
    assert resp.status_int == 400
    assert 'greater than or equal to total' in resp.text
    assert _put_all(placement, url, full, version='1.26').status_int == 200
    resp = _put_all(placement, url, {'VCPU': {'total': 4, 'reserved': 5}},
                    version='1.26')
    assert resp.status_int == 400
    assert 'greater than total' in resp.text


def test_create_one_then_conflict(placement):
    url = _provider(placement)
    body = {'resource_class': 'DISK_GB', 'total': 10}
    resp = placement.post(url, body, version=LATEST)
    assert resp.status_int == 201
    assert resp.location.endswith(url + '/DISK_GB')
    assert resp.json['resource_provider_generation'] == 1
    assert placement.post(url, body, version=LATEST).status_int == 409
    resp = placement.post(url, {'resource_class': 'CUSTOM_NOPE',
                                'total': 1}, version=LATEST)
    assert resp.status_int == 400
    assert 'No such resource class CUSTOM_NOPE' in resp.text


def test_update_one_needs_an_existing_inventory(placement):
    url = _provider(placement)
    resp = placement.put(url + '/VCPU', {'resource_provider_generation': 0,
                                         'total': 4}, version=LATEST)
    assert resp.status_int == 400
    assert 'No inventory record with resource class VCPU' in resp.text
    assert _generation(placement, url) == 0


def test_in_use_inventory_cannot_go_but_can_shrink(placement):
    url = _provider(placement)
    _put_all(placement, url, {'VCPU': {'total': 8}, 'DISK_GB': {'total': 9}})
    _allocate(placement, url, {'VCPU': 6})

    for resp in (_put_all(placement, url, {'DISK_GB': {'total': 9}}),
                 placement.delete(url + '/VCPU', version=LATEST),
                 placement.delete(url, version=LATEST)):
        assert resp.status_int == 409
        assert resp.json['errors'][0]['code'] == 'placement.inventory.inuse'
        assert "Inventory for 'VCPU' on resource provider" in resp.text

    # Capacity below what is allocated is allowed; the allocation stays.
    resp = _put_all(placement, url, {'VCPU': {'total': 2}})
    assert resp.status_int == 200, resp.text
    usages = placement.get(url.replace('inventories', 'usages'),
                           version=LATEST).json['usages']
    assert usages == {'VCPU': 6}


def test_delete_all_bumps_generation_and_needs_1_5(placement):
    url = _provider(placement)
    assert placement.delete(url, version='1.4').status_int == 405
    assert placement.delete(url, version='1.5').status_int == 204
    assert placement.delete(url, version='1.5').status_int == 204
    assert _generation(placement, url) == 2
    missing = '/resource_providers/%s/inventories' % uuid.uuid4()
    assert placement.delete(missing, version='1.5').status_int == 404


def test_delete_one(placement):
    url = _provider(placement)
    _put_all(placement, url, {'VCPU': {'total': 8}})
    assert placement.delete(url + '/VCPU').status_int == 204
    resp = placement.delete(url + '/VCPU')
    assert resp.status_int == 404
    assert 'No inventory of class VCPU found for delete' in resp.text
    assert placement.get(url + '/VCPU').status_int == 404
    assert _generation(placement, url) == 2
