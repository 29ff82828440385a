"""Flavor bodies by microversion: the description (2.55; set on create,
changed with PUT /flavors/{id}) and the extra specs in full bodies
(2.61, for callers whose policy lets them list extra specs)."""

import pytest

from tests.functional.nova.api.conftest import flavor_body

F = '/v2.1/flavors'
ALICE = 'alice:p1'


def _create(compute, name, flavorid, version='2.55', **kw):
    resp = compute.post(F, json=flavor_body(name, flavorid, **kw),
                        version=version)
    assert resp.status_int == 200, resp.text
    return resp.json['flavor']


def test_create_with_a_description_from_2_55(compute):
    flavor = _create(compute, 'm1.a', '1', description='for web  servers ')
    assert flavor['description'] == 'for web  servers '
    assert 'extra_specs' not in flavor
    assert _create(compute, 'm1.b', '2')['description'] is None


def test_description_is_refused_before_2_55(compute):
    resp = compute.post(F, json=flavor_body('m1.a', '1', description='d'),
                        version='2.54')
    assert resp.status_int == 400
    assert 'description' in resp.json['badRequest']['message']


@pytest.mark.parametrize('description', ['x' * 65536, 'line\nbreak', 5])
def test_bad_description_is_400(compute, description):
    resp = compute.post(F, json=flavor_body('m1.a', '1',
                                            description=description),
                        version='2.55')
    assert resp.status_int == 400, resp.text


def test_description_in_every_body_from_2_55(compute):
    _create(compute, 'm1.a', '1', description='d')
    for path in (F, F + '/detail'):
        (listed,) = compute.get(path, version='2.55').json['flavors']
        assert listed['description'] == 'd'
        (listed,) = compute.get(path, version='2.54').json['flavors']
        assert 'description' not in listed
    assert compute.get(F + '/1', version='2.55').json['flavor'][
        'description'] == 'd'
    assert 'description' not in compute.get(
        F + '/1', version='2.54').json['flavor']


def test_update_changes_only_the_description(compute):
    before = _create(compute, 'm1.a', '1', description='old')
    resp = compute.put(F + '/1', version='2.55',
                       json={'flavor': {'description': 'new'}})
    assert resp.status_int == 200, resp.text
    assert resp.json['flavor'] == dict(before, description='new')
    assert compute.get(F + '/1', version='2.55').json['flavor'][
        'description'] == 'new'
    resp = compute.put(F + '/1', version='2.55',
                       json={'flavor': {'description': None}})
    assert resp.status_int == 200, resp.text
    assert resp.json['flavor']['description'] is None


@pytest.mark.parametrize('body', [
    {'flavor': {}},
    {'flavor': {'description': 'd', 'name': 'renamed'}},
    {'flavor': {'ram': 1024}},
    {'description': 'd'},
])
def test_update_bad_body_is_400(compute, body):
    _create(compute, 'm1.a', '1')
    resp = compute.put(F + '/1', version='2.55', json=body)
    assert resp.status_int == 400, resp.text


def test_update_unknown_flavor_is_404(compute):
    resp = compute.put(F + '/nope', version='2.55',
                       json={'flavor': {'description': 'd'}})
    assert resp.status_int == 404
    assert resp.json['itemNotFound']['message'] == (
        'Flavor nope could not be found.')


def test_update_before_2_55_is_404(compute):
    _create(compute, 'm1.a', '1')
    resp = compute.put(F + '/1', version='2.54',
                       json={'flavor': {'description': 'd'}})
    assert resp.status_int == 404


def test_update_is_for_admins(compute):
    _create(compute, 'm1.a', '1')
    resp = compute.put(F + '/1', version='2.55', token=ALICE,
                       json={'flavor': {'description': 'd'}})
    assert resp.status_int == 403
    assert resp.json['forbidden']['message'] == (
        'Policy doesn\'t allow os_compute_api:os-flavor-manage:update to '
        'be performed.')


def _with_specs(compute):
    _create(compute, 'm1.a', '1')
    resp = compute.post(F + '/1/os-extra_specs',
                        json={'extra_specs': {'hw:cpu_policy': 'dedicated'}})
    assert resp.status_int == 200, resp.text


def test_extra_specs_in_full_bodies_from_2_61(compute):
    _with_specs(compute)
    specs = {'hw:cpu_policy': 'dedicated'}
    assert compute.get(F + '/1', version='2.61').json['flavor'][
        'extra_specs'] == specs
    (listed,) = compute.get(F + '/detail', version='2.61').json['flavors']
    assert listed['extra_specs'] == specs
    # Never in the index.
    (listed,) = compute.get(F, version='2.61').json['flavors']
    assert set(listed) == {'id', 'name', 'links', 'description'}
    # Not before 2.61.
    assert 'extra_specs' not in compute.get(
        F + '/1', version='2.60').json['flavor']
    (listed,) = compute.get(F + '/detail', version='2.60').json['flavors']
    assert 'extra_specs' not in listed
    # Create and update answer them too (none yet for a new flavor).
    assert _create(compute, 'm1.b', '2', version='2.61')[
        'extra_specs'] == {}
    resp = compute.put(F + '/1', version='2.61',
                       json={'flavor': {'description': 'd'}})
    assert resp.json['flavor']['extra_specs'] == specs


def test_extra_specs_follow_the_index_policy(compute, api_conf, tmp_path):
    from nova import policy
    _with_specs(compute)
    rules = tmp_path / 'policy.yaml'
    rules.write_text(
        '"os_compute_api:os-flavor-extra-specs:index": "role:admin"\n')
    api_conf.set_override('policy_file', str(rules), group='oslo_policy')
    policy.reset()
    try:
        flavor = compute.get(F + '/1', version='2.61',
                             token=ALICE).json['flavor']
        assert 'extra_specs' not in flavor
        assert 'extra_specs' in compute.get(
            F + '/1', version='2.61').json['flavor']
    finally:
        api_conf.clear_override('policy_file', group='oslo_policy')
        policy.reset()
