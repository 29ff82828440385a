"""POST /reshaper: moving inventory and allocations to a child provider in
one transaction, and leaving everything as it was when any part fails."""

import uuid

import pytest

from tests.functional.placement.test_allocation import (
    LATEST, PROJECT, USER, _claim, _generation, _provider, _usages)

pytestmark = pytest.mark.all_databases


def _child(placement, parent: str) -> str:
    child = str(uuid.uuid4())
    resp = placement.post('/resource_providers', version='1.20', json={
        'name': child, 'uuid': child, 'parent_provider_uuid': parent})
    assert resp.status_int == 200, resp.text
    return child


def _inventories(placement, rp: str) -> dict:
    return placement.get('/resource_providers/%s/inventories' % rp,
                         version=LATEST).json['inventories']


def _post(placement, body: dict):
    # Reshaping is for services (nova-compute); admin alone may not.
    return placement.post('/reshaper', version=LATEST, json=body,
                          headers={'X-Roles': 'service'})


def _reshape(placement, root, child, vcpu_total, consumer, generation):
    return _post(placement, {
        'inventories': {
            root: {'resource_provider_generation': _generation(
                placement, root),
                'inventories': {'DISK_GB': {'total': 100}}},
            child: {'resource_provider_generation': _generation(
                placement, child),
                'inventories': {'VCPU': {'total': vcpu_total}}},
        },
        'allocations': {consumer: {
            'allocations': {root: {'resources': {'DISK_GB': 10}},
                            child: {'resources': {'VCPU': 4}}},
            'project_id': PROJECT, 'user_id': USER,
            'consumer_generation': generation,
            'consumer_type': 'INSTANCE'}},
    })


def test_move_vcpu_to_child(placement):
    root = _provider(placement, {'VCPU': {'total': 8},
                                 'DISK_GB': {'total': 100}})
    consumer = str(uuid.uuid4())
    assert _claim(placement, consumer, {root: {'VCPU': 4, 'DISK_GB': 10}}
                  ).status_int == 204
    child = _child(placement, root)
    root_gen, child_gen = _generation(placement, root), 0

    resp = _reshape(placement, root, child, 8, consumer, 1)
    assert resp.status_int == 204, resp.text
    assert _usages(placement, root) == {'DISK_GB': 10}
    assert _usages(placement, child) == {'VCPU': 4}
    assert set(_inventories(placement, root)) == {'DISK_GB'}
    # Interim inventory, allocations and final inventory: three bumps each.
    assert _generation(placement, root) == root_gen + 3
    assert _generation(placement, child) == child_gen + 3
    got = placement.get('/allocations/%s' % consumer, version=LATEST).json
    assert got['consumer_generation'] == 2


def test_failure_changes_nothing(placement):
    root = _provider(placement, {'VCPU': {'total': 8},
                                 'DISK_GB': {'total': 100}})
    consumer = str(uuid.uuid4())
    assert _claim(placement, consumer, {root: {'VCPU': 4, 'DISK_GB': 10}}
                  ).status_int == 204
    child = _child(placement, root)
    root_gen = _generation(placement, root)

    # The child's new inventory cannot hold the moved allocation.
    resp = _reshape(placement, root, child, 2, consumer, 1)
    assert resp.status_int == 409
    assert 'Unable to allocate inventory' in resp.text
    assert set(_inventories(placement, root)) == {'VCPU', 'DISK_GB'}
    assert _inventories(placement, child) == {}
    assert _usages(placement, root) == {'VCPU': 4, 'DISK_GB': 10}
    assert _generation(placement, root) == root_gen
    assert _generation(placement, child) == 0

    # A stale consumer generation is a concurrent_update conflict.
    resp = _reshape(placement, root, child, 8, consumer, None)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.concurrent_update'
    assert _generation(placement, root) == root_gen


def test_inventory_removed_while_allocated(placement):
    root = _provider(placement, {'VCPU': {'total': 8}})
    assert _claim(placement, str(uuid.uuid4()), {root: {'VCPU': 1}}
                  ).status_int == 204
    resp = _post(placement, {
        'inventories': {root: {
            'resource_provider_generation': _generation(placement, root),
            'inventories': {}}},
        'allocations': {}})
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.inventory.inuse'
    assert _usages(placement, root) == {'VCPU': 1}
