"""/os-migrations over migrations written straight into two cells (paged
from 2.59, changes-before from 2.66), and (2.23) /servers/{id}/migrations,
which lists live migrations in progress only (tests of live migrations:
test_server_moves_cloud.py)."""

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


def _uuids(resp):
    assert resp.status_int == 200, resp.text
    return [m['uuid'] for m in resp.json['migrations']]


def test_paging_from_2_59(compute, moves):
    newest_first = [moves[k].uuid for k in ('c', 'b', 'a')]
    found = compute.get(M, version='2.59').json
    assert [m['uuid'] for m in found['migrations']] == newest_first
    assert 'migrations_links' not in found
    assert all('uuid' not in m for m in compute.get(
        M, version='2.58').json['migrations'])
    resp = compute.get(M + '?limit=2', version='2.59')
    assert _uuids(resp) == newest_first[:2]
    link = resp.json['migrations_links'][0]
    assert link['rel'] == 'next'
    assert 'marker=%s' % newest_first[1] in link['href']
    assert _uuids(compute.get(M + '?limit=2&marker=' + newest_first[1],
                              version='2.59')) == newest_first[2:]
    assert _uuids(compute.get(M + '?marker=' + newest_first[0] +
                              '&status=error', version='2.59')) == []
    # Before 2.59 paging parameters are ignored.
    assert len(compute.get(M + '?limit=1', version='2.58').json[
        'migrations']) == 3
    resp = compute.get(M + '?marker=%s' % uuidlib.uuid4(), version='2.59')
    assert resp.status_int == 400
    assert 'could not be found' in resp.json['badRequest']['message']
    assert compute.get(M + '?limit=-1', version='2.59').status_int == 400
    assert compute.get(M + '?limit=x', version='2.59').status_int == 400


def test_changes_since_and_before(compute, cloud, moves):
    # As upstream, both compare updated_at: never-updated rows match
    # neither.
    with engines.cell_writer(cloud['cell1']) as conn:
        migrations.update(conn, moves['a'].id, status='confirmed')
    a = compute.get(M, version='2.59').json['migrations'][-1]
    since = a['updated_at']
    assert _uuids(compute.get(M + '?changes-since=' + since,
                              version='2.59')) == [moves['a'].uuid]
    assert _uuids(compute.get(M + '?changes-since=2999-01-01T00:00:00Z',
                              version='2.59')) == []
    resp = compute.get(M + '?changes-since=yesterday', version='2.59')
    assert resp.status_int == 400
    # changes-before from 2.66 only.
    assert len(_uuids(compute.get(
        M + '?changes-before=2000-01-01T00:00:00Z', version='2.65'))) == 3
    assert _uuids(compute.get(M + '?changes-before=2000-01-01T00:00:00Z',
                              version='2.66')) == []
    assert _uuids(compute.get(M + '?changes-before=2999-01-01T00:00:00Z',
                              version='2.66')) == [moves['a'].uuid]
    resp = compute.get(M + '?changes-since=2999-01-01T00:00:00Z'
                       '&changes-before=2000-01-01T00:00:00Z',
                       version='2.66')
    assert resp.status_int == 400
    assert 'less than or equal to changes-before' in resp.text
