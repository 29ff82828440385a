"""/os-migrations over migrations written straight into two cells, and
(2.23) /servers/{id}/migrations, which is always empty here: this cloud
does not live-migrate."""

import re
import uuid as uuidlib

import pytest

from nova.compute import states
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.db.main import migrations
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration

M = '/v2.1/os-migrations'
TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)


@pytest.fixture
def compute(api_conf):
    from nova.api import direct
    return direct.ComputeDirect(api_conf, token='admin')


@pytest.fixture
def cloud(compute, two_cells):
    return two_cells


def _server(cell):
    uuid = str(uuidlib.uuid4())
    with engines.cell_writer(cell) as conn:
        instances.create(conn, Instance(
            uuid=uuid, project_id='p1', user_id='alice', flavor=TINY,
            vm_state=states.ACTIVE, host='h1'))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, 'p1', cell_id=cell.id)
    return uuid


def _migrate(cell, uuid, source, dest, status='finished',
             migration_type='resize'):
    with engines.cell_writer(cell) as conn:
        return migrations.create(conn, Migration(
            instance_uuid=uuid, migration_type=migration_type,
            status=status, source_compute=source, dest_compute=dest,
            source_node=source + '-n', dest_node=dest + '-n',
            dest_host=dest, old_instance_type_id=1,
            new_instance_type_id=2))


@pytest.fixture
def moves(cloud):
    one, two = _server(cloud['cell1']), _server(cloud['cell2'])
    return {
        'a': _migrate(cloud['cell1'], one, 'h1', 'h2'),
        'b': _migrate(cloud['cell2'], two, 'h3', 'h1', status='confirmed',
                      migration_type='migration'),
        'c': _migrate(cloud['cell2'], two, 'h1', 'h4', status='error'),
        'one': one, 'two': two}


def _ids(resp):
    assert resp.status_int == 200, resp.text
    return sorted(m['id'] for m in resp.json['migrations'])


def test_list_every_cell_with_fields(compute, moves):
    found = compute.get(M).json['migrations']
    assert len(found) == 3
    a = next(m for m in found if m['instance_uuid'] == moves['one'])
    assert set(a) == {'id', 'instance_uuid', 'source_compute',
                      'dest_compute', 'source_node', 'dest_node',
                      'dest_host', 'status', 'old_instance_type_id',
                      'new_instance_type_id', 'created_at', 'updated_at'}
    assert (a['source_compute'], a['dest_compute'], a['status']) == (
        'h1', 'h2', 'finished')
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$',
                    a['created_at'])
    new = compute.get(M, version='2.23').json['migrations']
    types = sorted(m['migration_type'] for m in new)
    assert types == ['migration', 'resize', 'resize']
    assert all('links' not in m for m in new)


def test_filters(compute, moves):
    a, b, c = moves['a'].id, moves['b'].id, moves['c'].id
    assert _ids(compute.get(M + '?host=h1')) == sorted([a, b, c])
    assert _ids(compute.get(M + '?host=h4')) == [c]
    assert _ids(compute.get(M + '?source_compute=h3')) == [b]
    assert _ids(compute.get(M + '?status=error')) == [c]
    assert _ids(compute.get(M + '?instance_uuid=' + moves['two'])) == (
        sorted([b, c]))
    assert _ids(compute.get(M + '?migration_type=migration')) == [b]
    assert _ids(compute.get(M + '?migration_type=live-migration')) == []
    assert _ids(compute.get(M + '?migration_type=bogus')) == []
    assert _ids(compute.get(M + '?cell_name=x&status=finished')) == [a]


def test_admin_only(compute, moves):
    resp = compute.get(M, token='alice:p1')
    assert resp.status_int == 403
    assert 'os_compute_api:os-migrations:index' in resp.text


def test_server_migrations_from_2_23(compute, moves):
    path = '/v2.1/servers/%s/migrations' % moves['one']
    assert compute.get(path, version='2.22').status_int == 404
    resp = compute.get(path, version='2.23')
    assert resp.status_int == 200 and resp.json == {'migrations': []}
    resp = compute.get(path + '/%d' % moves['a'].id, version='2.23')
    assert resp.status_int == 404
    assert 'In-progress live migration' in resp.json['itemNotFound'][
        'message']
    assert compute.get(path, version='2.23',
                       token='alice:p1').status_int == 403
    missing = '/v2.1/servers/%s/migrations' % uuidlib.uuid4()
    assert compute.get(missing, version='2.23').status_int == 404
