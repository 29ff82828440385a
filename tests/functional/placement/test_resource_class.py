"""Resource classes: /resource_classes."""

import os_resource_classes as orc
import pytest

pytestmark = pytest.mark.all_databases

LATEST = '1.39'


def _detail(resp) -> str:
    return resp.json['errors'][0]['detail']


def _error(resp) -> dict:
    return resp.json['errors'][0]


def test_hidden_before_1_2(placement):
    assert placement.get('/resource_classes', version='1.1').status_int == 404
    # The version check comes before the content type check.
    resp = placement.request('POST', '/resource_classes', version='1.1',
                             headers={'Content-Type': 'text/plain'})
    assert resp.status_int == 404


def test_list_has_standard_classes(placement):
    resp = placement.get('/resource_classes', version='1.2')
    names = [rc['name'] for rc in resp.json['resource_classes']]
    assert names == list(orc.STANDARDS)
    assert resp.json['resource_classes'][0]['links'] == [
        {'rel': 'self', 'href': '/resource_classes/VCPU'}]


def test_post_show_delete(placement):
    resp = placement.post('/resource_classes', version='1.2',
                          json={'name': 'CUSTOM_GOLD'})
    assert resp.status_int == 201
    assert resp.location.endswith('/resource_classes/CUSTOM_GOLD')
    again = placement.post('/resource_classes', version='1.23',
                           json={'name': 'CUSTOM_GOLD'})
    assert again.status_int == 409
    assert _error(again)['code'] == 'placement.duplicate_name'
    shown = placement.get('/resource_classes/CUSTOM_GOLD', version='1.2')
    assert shown.json['name'] == 'CUSTOM_GOLD'
    listed = placement.get('/resource_classes', version='1.2').json
    assert len(listed['resource_classes']) == len(orc.STANDARDS) + 1
    assert placement.delete('/resource_classes/CUSTOM_GOLD',
                            version='1.2').status_int == 204
    assert placement.get('/resource_classes/CUSTOM_GOLD',
                         version='1.2').status_int == 404


def test_custom_ids_start_at_10000(placement):
    """Custom ids leave room below 10000 for future standard classes."""
    from placement import context
    from placement import database
    from placement.objects import resource_class
    for name in ('CUSTOM_A', 'CUSTOM_B'):
        placement.put('/resource_classes/' + name, version='1.7')
    with database.reader(context.admin_context()) as conn:
        ids = resource_class.ids_for(conn, ['CUSTOM_A', 'CUSTOM_B', 'VCPU'])
    assert ids == {'VCPU': 0, 'CUSTOM_A': 10000, 'CUSTOM_B': 10001}


@pytest.mark.parametrize('name', ['IRON_NFV', 'VCPU', 'CUSTOM_bad',
                                  'CUSTOM_' + 'S' * 249])
def test_post_rejects_bad_names(placement, name):
    resp = placement.post('/resource_classes', version='1.2',
                          json={'name': name})
    assert resp.status_int == 400
    assert 'JSON does not validate' in _detail(resp)


def test_put_creates_from_1_7(placement):
    resp = placement.put('/resource_classes/CUSTOM_COW', version='1.7')
    assert resp.status_int == 201
    assert resp.location.endswith('/resource_classes/CUSTOM_COW')
    assert placement.put('/resource_classes/CUSTOM_COW',
                         version='1.7').status_int == 204
    bad = placement.put('/resource_classes/VCPU', version='1.7')
    assert bad.status_int == 400
    assert "Failed validating 'pattern'" in _detail(bad)


def test_put_renames_before_1_7(placement):
    placement.post('/resource_classes', version='1.2',
                   json={'name': 'CUSTOM_OLD'})
    placement.post('/resource_classes', version='1.2',
                   json={'name': 'CUSTOM_TAKEN'})
    resp = placement.put('/resource_classes/CUSTOM_OLD', version='1.6',
                         json={'name': 'CUSTOM_NEW'})
    assert resp.status_int == 200
    assert resp.json['name'] == 'CUSTOM_NEW'
    assert placement.get('/resource_classes/CUSTOM_OLD',
                         version='1.6').status_int == 404
    taken = placement.put('/resource_classes/CUSTOM_NEW', version='1.6',
                          json={'name': 'CUSTOM_TAKEN'})
    assert taken.status_int == 409
    assert 'Resource class already exists: CUSTOM_TAKEN' in _detail(taken)
    missing = placement.put('/resource_classes/CUSTOM_NONE', version='1.6',
                            json={'name': 'CUSTOM_OTHER'})
    assert missing.status_int == 404
    standard = placement.put('/resource_classes/VCPU', version='1.6',
                             json={'name': 'CUSTOM_VCPU'})
    assert standard.status_int == 400
    assert 'Cannot update standard resource class VCPU' in _detail(standard)


def test_standard_class_cannot_be_deleted(placement):
    resp = placement.delete('/resource_classes/VCPU', version='1.2')
    assert resp.status_int == 400
    assert 'Cannot delete standard resource class' in _detail(resp)


def test_class_in_use_by_inventory_cannot_be_deleted(placement):
    placement.put('/resource_classes/CUSTOM_GOLD', version='1.7')
    rp = placement.post('/resource_providers', version='1.20',
                        json={'name': 'rp1'}).json['uuid']
    resp = placement.put('/resource_providers/%s/inventories' % rp,
                         version='1.7', json={
                             'resource_provider_generation': 0,
                             'inventories': {'CUSTOM_GOLD': {'total': 5}}})
    assert resp.status_int == 200, resp.text
    in_use = placement.delete('/resource_classes/CUSTOM_GOLD', version='1.7')
    assert in_use.status_int == 409
    assert 'Class is in use in inventory' in _detail(in_use)


def test_cache_headers(placement):
    created = placement.put('/resource_classes/CUSTOM_MOO', version='1.15')
    assert 'last-modified' not in created.headers
    for path in ('/resource_classes', '/resource_classes/CUSTOM_MOO',
                 '/resource_classes/VCPU'):
        resp = placement.get(path, version='1.15')
        assert resp.headers['cache-control'] == 'no-cache'
        assert resp.headers['last-modified'].endswith(' GMT')
        old = placement.get(path, version='1.14')
        assert 'last-modified' not in old.headers
