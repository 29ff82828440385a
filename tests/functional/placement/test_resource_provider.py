"""/resource_providers: creation, trees, deletion rules and list filters."""

import uuid

import pytest

pytestmark = pytest.mark.all_databases

LATEST = '1.39'


def _create(placement, name, parent=None, uuid_=None):
    body = {'name': name}
    if parent:
        body['parent_provider_uuid'] = parent
    if uuid_:
        body['uuid'] = uuid_
    resp = placement.post('/resource_providers', body, version=LATEST)
    assert resp.status_int == 200, resp.text
    return resp.json['uuid']


def _get(placement, rp_uuid, version=LATEST):
    return placement.get('/resource_providers/%s' % rp_uuid, version=version)


def _list(placement, query, version=LATEST):
    resp = placement.get('/resource_providers?' + query, version=version)
    assert resp.status_int == 200, resp.text
    return {rp['name'] for rp in resp.json['resource_providers']}


def _inventory(placement, rp_uuid, inventories):
    gen = _get(placement, rp_uuid).json['generation']
    resp = placement.put('/resource_providers/%s/inventories' % rp_uuid,
                         {'resource_provider_generation': gen,
                          'inventories': inventories}, version=LATEST)
    assert resp.status_int == 200, resp.text


def test_create_answer_depends_on_microversion(placement):
    old = placement.post('/resource_providers', {'name': 'old'},
                         version='1.19')
    assert old.status_int == 201
    assert old.body == b''
    assert old.location.endswith(
        '/resource_providers/%s' % old.location.rsplit('/', 1)[1])
    new = placement.post('/resource_providers', {'name': 'new'},
                         version='1.20')
    assert new.status_int == 200
    assert new.location.endswith('/resource_providers/' + new.json['uuid'])
    assert new.json['root_provider_uuid'] == new.json['uuid']
    assert new.json['generation'] == 0


def test_fields_and_links_by_microversion(placement):
    rp = _create(placement, 'links')
    body = _get(placement, rp, '1.0').json
    assert set(body) == {'uuid', 'name', 'generation', 'links'}
    assert [link['rel'] for link in body['links']] == [
        'self', 'inventories', 'usages']
    body = _get(placement, rp).json
    assert {link['rel'] for link in body['links']} == {
        'self', 'inventories', 'usages', 'aggregates', 'traits',
        'allocations'}
    assert body['parent_provider_uuid'] is None


def test_uuid_without_dashes_is_the_same_uuid(placement):
    rp = str(uuid.uuid4())
    _create(placement, 'dashed', uuid_=rp)
    resp = placement.post('/resource_providers',
                          {'name': 'other', 'uuid': rp.replace('-', '')},
                          version=LATEST)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.duplicate_name'
    assert 'uuid: %s' % rp in resp.json['errors'][0]['detail']


def test_duplicate_name_on_create_and_rename(placement):
    _create(placement, 'taken')
    other = _create(placement, 'free')
    resp = placement.post('/resource_providers', {'name': 'taken'},
                          version=LATEST)
    assert resp.status_int == 409
    assert 'name: taken' in resp.json['errors'][0]['detail']
    resp = placement.put('/resource_providers/' + other, {'name': 'taken'},
                         version=LATEST)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.duplicate_name'
    assert _get(placement, other).json['name'] == 'free'


def test_moving_a_subtree_moves_every_root(placement):
    top = _create(placement, 'top')
    mid = _create(placement, 'mid', parent=top)
    leaf = _create(placement, 'leaf', parent=mid)
    assert _get(placement, leaf).json['root_provider_uuid'] == top

    # Before 1.37 an existing parent cannot change.
    resp = placement.put('/resource_providers/' + mid,
                         {'name': 'mid', 'parent_provider_uuid': None},
                         version='1.36')
    assert resp.status_int == 400
    assert 'un-parenting a provider is not currently allowed' in resp.text

    resp = placement.put('/resource_providers/' + mid,
                         {'name': 'mid', 'parent_provider_uuid': None},
                         version='1.37')
    assert resp.status_int == 200, resp.text
    assert _get(placement, leaf).json['root_provider_uuid'] == mid
    assert _list(placement, 'in_tree=' + top) == {'top'}
    assert _list(placement, 'in_tree=' + leaf) == {'mid', 'leaf'}

    # A root may be given a parent at any version from 1.14.
    resp = placement.put('/resource_providers/' + mid,
                         {'name': 'mid', 'parent_provider_uuid': top},
                         version='1.14')
    assert resp.status_int == 200, resp.text
    assert _get(placement, leaf).json['root_provider_uuid'] == top


def test_no_loops_in_trees(placement):
    top = _create(placement, 'top')
    leaf = _create(placement, 'leaf', parent=top)
    resp = placement.put('/resource_providers/' + top,
                         {'name': 'top', 'parent_provider_uuid': leaf},
                         version=LATEST)
    assert resp.status_int == 400
    assert 'creating loop in the provider tree is not allowed' in resp.text
    assert _get(placement, top).json['parent_provider_uuid'] is None


def test_bad_parent_on_create(placement):
    missing = str(uuid.uuid4())
    resp = placement.post('/resource_providers',
                          {'name': 'orphan', 'parent_provider_uuid': missing},
                          version=LATEST)
    assert resp.status_int == 400
    assert 'parent provider UUID does not exist' in resp.text
    assert _list(placement, 'name=orphan') == set()


def test_delete_refuses_parents_and_providers_in_use(placement):
    top = _create(placement, 'top')
    leaf = _create(placement, 'leaf', parent=top)
    resp = placement.delete('/resource_providers/' + top, version=LATEST)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == (
        'placement.resource_provider.cannot_delete_parent')

    _inventory(placement, leaf, {'VCPU': {'total': 4}})
    consumer = str(uuid.uuid4())
    resp = placement.put('/allocations/' + consumer, {
        'allocations': {leaf: {'resources': {'VCPU': 1}}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'}, version=LATEST)
    assert resp.status_int == 204, resp.text
    resp = placement.delete('/resource_providers/' + leaf, version=LATEST)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == (
        'placement.resource_provider.inuse')

    assert placement.delete('/allocations/' + consumer).status_int == 204
    assert placement.delete('/resource_providers/' + leaf).status_int == 204
    assert placement.delete('/resource_providers/' + top).status_int == 204
    assert _get(placement, top).status_int == 404


def test_resources_filter_counts_capacity(placement):
    big = _create(placement, 'big')
    _inventory(placement, big, {
        'VCPU': {'total': 8, 'reserved': 2, 'allocation_ratio': 2.0},
        'DISK_GB': {'total': 100, 'step_size': 10, 'max_unit': 50}})
    small = _create(placement, 'small')
    _inventory(placement, small, {'VCPU': {'total': 4}})

    # (8 - 2) * 2.0 = 12 VCPU on big, 4 on small.
    assert _list(placement, 'resources=VCPU:4') == {'big', 'small'}
    assert _list(placement, 'resources=VCPU:12') == {'big'}
    assert _list(placement, 'resources=VCPU:13') == set()
    assert _list(placement, 'resources=VCPU:1,DISK_GB:20') == {'big'}
    assert _list(placement, 'resources=DISK_GB:25') == set()  # step
    assert _list(placement, 'resources=DISK_GB:60') == set()  # max_unit

    consumer = str(uuid.uuid4())
    resp = placement.put('/allocations/' + consumer, {
        'allocations': {big: {'resources': {'VCPU': 10}}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None,
        'consumer_type': 'INSTANCE'}, version=LATEST)
    assert resp.status_int == 204, resp.text
    assert _list(placement, 'resources=VCPU:3') == {'small'}
    assert _list(placement, 'resources=VCPU:2') == {'big', 'small'}


def test_trait_and_aggregate_filters(placement):
    names = ['a', 'b', 'c']
    rps = {n: _create(placement, n) for n in names}
    for name, traits in (('a', ['HW_CPU_X86_AVX']),
                         ('b', ['HW_CPU_X86_AVX', 'STORAGE_DISK_SSD'])):
        resp = placement.put('/resource_providers/%s/traits' % rps[name], {
            'resource_provider_generation': 0, 'traits': traits},
            version=LATEST)
        assert resp.status_int == 200, resp.text
    agg1, agg2 = str(uuid.uuid4()), str(uuid.uuid4())
    for name, aggs in (('a', [agg1]), ('c', [agg1, agg2])):
        resp = placement.put('/resource_providers/%s/aggregates' % rps[name],
                             aggs, version='1.1')
        assert resp.status_int == 200, resp.text

    assert _list(placement, 'required=HW_CPU_X86_AVX') == {'a', 'b'}
    assert _list(placement,
                 'required=HW_CPU_X86_AVX,!STORAGE_DISK_SSD') == {'a'}
    assert _list(placement, 'required=in:STORAGE_DISK_SSD,HW_CPU_X86_AVX'
                 '&required=!HW_CPU_X86_AVX') == set()
    assert _list(placement, 'member_of=' + agg1) == {'a', 'c'}
    assert _list(placement, 'member_of=%s&member_of=%s'
                 % (agg1, agg2)) == {'c'}
    assert _list(placement, 'member_of=!' + agg2) == {'a', 'b'}
    assert _list(placement, 'member_of=' + str(uuid.uuid4())) == set()
    assert _list(placement, 'member_of=%s&required=HW_CPU_X86_AVX'
                 % agg1) == {'a'}


def test_list_rejects_parameters_the_version_lacks(placement):
    for query, version in (('resources=VCPU:1', '1.3'),
                           ('in_tree=%s' % uuid.uuid4(), '1.13'),
                           ('required=HW_CPU_X86_AVX', '1.17'),
                           ('color=blue', LATEST)):
        resp = placement.get('/resource_providers?' + query, version=version)
        assert resp.status_int == 400, query
        assert 'Invalid query string parameters' in resp.text
    resp = placement.get('/resource_providers?required=CUSTOM_NOPE',
                         version=LATEST)
    assert resp.status_int == 400
    assert 'No such trait(s): CUSTOM_NOPE' in resp.text
    resp = placement.get('/resource_providers?resources=CUSTOM_NOPE:1',
                         version=LATEST)
    assert resp.status_int == 400
    assert 'No such resource class CUSTOM_NOPE' in resp.text
