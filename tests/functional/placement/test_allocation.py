"""Allocations through the HTTP API: claims, capacity, consumer
generations and types, POST /allocations atomicity, the retry on lost races,
and how few statements a claim takes."""

import uuid

import pytest
import sqlalchemy as sa

from placement import conf
from placement import database
from placement.objects import allocation as alloc_obj

pytestmark = pytest.mark.all_databases

LATEST = '1.39'
PROJECT = 'a2cec092-0f67-42ed-b870-f3925cc5c6d4'
USER = 'd28385b2-7860-4055-b32d-4cd1057cd5f2'


def _provider(placement, inventories: dict) -> str:
    rp_uuid = str(uuid.uuid4())
    resp = placement.post('/resource_providers', version='1.20',
                          json={'name': rp_uuid, 'uuid': rp_uuid})
    assert resp.status_int == 200, resp.text
    resp = placement.put('/resource_providers/%s/inventories' % rp_uuid,
                         version=LATEST,
                         json={'resource_provider_generation': 0,
                               'inventories': inventories})
    assert resp.status_int == 200, resp.text
    return rp_uuid


def _generation(placement, rp_uuid: str) -> int:
    return placement.get('/resource_providers/%s' % rp_uuid,
                         version=LATEST).json['generation']


def _usages(placement, rp_uuid: str) -> dict:
    return placement.get('/resource_providers/%s/usages' % rp_uuid,
                         version=LATEST).json['usages']


def _claim(placement, consumer: str, allocations: dict, generation=None,
           consumer_type='INSTANCE', version=LATEST, project=PROJECT):
    body = {'allocations': {rp: {'resources': res}
                            for rp, res in allocations.items()},
            'project_id': project, 'user_id': USER,
            'consumer_generation': generation,
            'consumer_type': consumer_type}
    return placement.put('/allocations/%s' % consumer, json=body,
                         version=version)


def test_claim_new_consumer(placement):
    rp = _provider(placement, {'VCPU': {'total': 8},
                               'MEMORY_MB': {'total': 4096}})
    before = _generation(placement, rp)
    consumer = str(uuid.uuid4())
    resp = _claim(placement, consumer, {rp: {'VCPU': 2, 'MEMORY_MB': 512}})
    assert resp.status_int == 204, resp.text

    got = placement.get('/allocations/%s' % consumer, version=LATEST).json
    assert got == {
        'allocations': {rp: {'generation': before + 1,
                             'resources': {'VCPU': 2, 'MEMORY_MB': 512}}},
        'consumer_generation': 1, 'consumer_type': 'INSTANCE',
        'project_id': PROJECT, 'user_id': USER}
    by_rp = placement.get('/resource_providers/%s/allocations' % rp,
                          version=LATEST).json
    assert by_rp == {'resource_provider_generation': before + 1,
                     'allocations': {consumer: {'resources': {
                         'VCPU': 2, 'MEMORY_MB': 512}}}}


def test_capacity_uses_reserved_and_ratio(placement):
    # (10 - 2) * 1.5 = 12 allocatable.
    rp = _provider(placement, {'VCPU': {'total': 10, 'reserved': 2,
                                        'allocation_ratio': 1.5}})
    assert _claim(placement, str(uuid.uuid4()), {rp: {'VCPU': 8}}
                  ).status_int == 204
    generation = _generation(placement, rp)
    failed = str(uuid.uuid4())
    resp = _claim(placement, failed, {rp: {'VCPU': 5}})
    assert resp.status_int == 409
    assert 'would exceed the capacity' in resp.text
    # Nothing of the failed claim remains, not even its consumer.
    assert _usages(placement, rp) == {'VCPU': 8}
    assert _generation(placement, rp) == generation
    assert placement.get('/allocations/%s' % failed,
                         version=LATEST).json == {'allocations': {}}
    assert _claim(placement, failed, {rp: {'VCPU': 4}}).status_int == 204


@pytest.mark.parametrize('amount', [1, 9, 6])
def test_min_max_step(placement, amount):
    rp = _provider(placement, {'DISK_GB': {'total': 100, 'min_unit': 2,
                                           'max_unit': 8, 'step_size': 4}})
    resp = _claim(placement, str(uuid.uuid4()), {rp: {'DISK_GB': amount}})
    assert resp.status_int == 409
    assert 'violate inventory constraints' in resp.text


def test_unknown_class_provider_and_inventory(placement):
    rp = _provider(placement, {'VCPU': {'total': 8}})
    resp = _claim(placement, str(uuid.uuid4()), {rp: {'CUSTOM_NOPE': 1}})
    assert resp.status_int == 400
    assert 'No such resource class CUSTOM_NOPE' in resp.text
    missing = str(uuid.uuid4())
    resp = _claim(placement, str(uuid.uuid4()), {missing: {'VCPU': 1}})
    assert resp.status_int == 400
    assert "resource provider '%s' that does not exist" % missing in resp.text
    resp = _claim(placement, str(uuid.uuid4()), {rp: {'DISK_GB': 1}})
    assert resp.status_int == 409
    assert "Inventory for 'DISK_GB'" in resp.text


def test_consumer_generations_and_emptying(placement):
    rp = _provider(placement, {'VCPU': {'total': 8}})
    consumer = str(uuid.uuid4())
    assert _claim(placement, consumer, {rp: {'VCPU': 1}}).status_int == 204
    resp = _claim(placement, consumer, {rp: {'VCPU': 2}}, generation=None)
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.concurrent_update'
    assert _claim(placement, consumer, {rp: {'VCPU': 2}}, generation=1,
                  project='other').status_int == 204
    got = placement.get('/allocations/%s' % consumer, version=LATEST).json
    assert (got['consumer_generation'], got['project_id']) == (2, 'other')
    assert _usages(placement, rp) == {'VCPU': 2}

    # Giving everything back deletes the consumer: it is new again.
    assert _claim(placement, consumer, {}, generation=2).status_int == 204
    assert placement.get('/allocations/%s' % consumer,
                         version=LATEST).json == {'allocations': {}}
    assert _claim(placement, consumer, {rp: {'VCPU': 1}}).status_int == 204


def test_consumer_type_kept_before_1_38(placement):
    rp = _provider(placement, {'VCPU': {'total': 8}})
    consumer = str(uuid.uuid4())
    assert _claim(placement, consumer, {rp: {'VCPU': 1}},
                  consumer_type='MIGRATION').status_int == 204
    body = {'allocations': {rp: {'resources': {'VCPU': 2}}},
            'project_id': PROJECT, 'user_id': USER,
            'consumer_generation': 1}
    assert placement.put('/allocations/%s' % consumer, json=body,
                         version='1.37').status_int == 204
    got = placement.get('/allocations/%s' % consumer, version=LATEST).json
    assert got['consumer_type'] == 'MIGRATION'


def test_list_format_and_incomplete_consumer(placement):
    rp = _provider(placement, {'VCPU': {'total': 8}})
    consumer = str(uuid.uuid4())
    body = {'allocations': [{'resource_provider': {'uuid': rp},
                             'resources': {'VCPU': 3}}]}
    resp = placement.put('/allocations/%s' % consumer, json=body,
                         version='1.7')
    assert resp.status_int == 204, resp.text
    got = placement.get('/allocations/%s' % consumer, version='1.38').json
    incomplete = conf.CONF.placement.incomplete_consumer_project_id
    assert (got['project_id'], got['consumer_type']) == (incomplete,
                                                        'unknown')
    assert set(placement.get('/allocations/%s' % consumer,
                             version='1.11').json) == {'allocations'}


def test_delete(placement):
    rp = _provider(placement, {'VCPU': {'total': 8}})
    consumer = str(uuid.uuid4())
    assert _claim(placement, consumer, {rp: {'VCPU': 1}}).status_int == 204
    generation = _generation(placement, rp)
    assert placement.delete('/allocations/%s' % consumer).status_int == 204
    assert _usages(placement, rp) == {'VCPU': 0}
    # Freeing capacity does not move the provider generation.
    assert _generation(placement, rp) == generation
    assert placement.delete('/allocations/%s' % consumer).status_int == 404


def test_post_is_all_or_nothing(placement):
    rp = _provider(placement, {'VCPU': {'total': 4}})
    keep, other = str(uuid.uuid4()), str(uuid.uuid4())
    assert _claim(placement, keep, {rp: {'VCPU': 1}}).status_int == 204

    def entry(amount, generation):
        return {'allocations': {rp: {'resources': {'VCPU': amount}}},
                'project_id': PROJECT, 'user_id': USER,
                'consumer_generation': generation,
                'consumer_type': 'INSTANCE'}

    # Each fits alone; together they exceed 4.
    resp = placement.post('/allocations', version=LATEST, json={
        keep: entry(2, 1), other: entry(3, None)})
    assert resp.status_int == 409
    assert _usages(placement, rp) == {'VCPU': 1}
    resp = placement.post('/allocations', version=LATEST, json={
        keep: {**entry(1, 1), 'allocations': {}}, other: entry(3, None)})
    assert resp.status_int == 204, resp.text
    assert placement.get('/allocations/%s' % keep,
                         version=LATEST).json == {'allocations': {}}
    assert _usages(placement, rp) == {'VCPU': 3}


def test_lost_race_is_retried(placement, monkeypatch):
    rp = _provider(placement, {'VCPU': {'total': 8}})
    real = alloc_obj._check_capacity
    calls = []

    def stale(conn, wanted):
        # The first attempt sees the generation another writer replaced.
        providers = real(conn, wanted)
        calls.append(1)
        if len(calls) == 1:
            providers = {k: (id_, gen - 1)
                         for k, (id_, gen) in providers.items()}
        return providers

    monkeypatch.setattr(alloc_obj, '_check_capacity', stale)
    generation = _generation(placement, rp)
    assert _claim(placement, str(uuid.uuid4()), {rp: {'VCPU': 1}}
                  ).status_int == 204
    assert len(calls) == 2
    assert _generation(placement, rp) == generation + 1

    calls.clear()
    conf.CONF.set_override('allocation_conflict_retry_count', 0,
                           group='placement')
    try:
        resp = _claim(placement, str(uuid.uuid4()), {rp: {'VCPU': 1}})
    finally:
        conf.CONF.clear_override('allocation_conflict_retry_count',
                                 group='placement')
    assert resp.status_int == 409
    assert resp.json['errors'][0]['code'] == 'placement.concurrent_update'
    assert _usages(placement, rp) == {'VCPU': 1}


def test_claim_statement_count(placement):
    """A claim is a fixed handful of statements, whatever the number of
    classes: the write path must not grow per-row queries."""
    rp = _provider(placement, {'VCPU': {'total': 64},
                               'MEMORY_MB': {'total': 65536},
                               'DISK_GB': {'total': 1000}})
    # The first claim also creates the project, user and type rows.
    assert _claim(placement, str(uuid.uuid4()), {rp: {'VCPU': 1}}
                  ).status_int == 204
    statements = []
    engine = database.get_engine()

    def count(conn, cursor, statement, *args):
        statements.append(statement.split()[0].upper())

    sa.event.listen(engine, 'before_cursor_execute', count)
    try:
        resp = _claim(placement, str(uuid.uuid4()),
                      {rp: {'VCPU': 1, 'MEMORY_MB': 256, 'DISK_GB': 10}})
    finally:
        sa.event.remove(engine, 'before_cursor_execute', count)
    assert resp.status_int == 204
    work = [s for s in statements if s not in ('BEGIN', 'COMMIT')]
    assert sorted(work) == ['INSERT', 'INSERT', 'SELECT', 'SELECT',
                            'UPDATE'], statements
