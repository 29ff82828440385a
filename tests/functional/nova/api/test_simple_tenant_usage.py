"""/os-simple-tenant-usage over servers written straight into two cells
(cell1 on the backend, cell2 on SQLite): hours within the window,
totals, detailed, show, 2.40 paging, bad input and policy."""

import datetime
import uuid as uuidlib

import pytest

from nova.compute import states
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.db.main import tables
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

U = '/v2.1/os-simple-tenant-usage'
SMALL = Flavor(id=2, flavorid='2', name='m1.small', vcpus=2,
               memory_mb=2048, root_gb=20, ephemeral_gb=5)
T0 = datetime.datetime(2017, 6, 1, 0, 0, 0)
WINDOW = '?start=2017-06-01T00:00:00&end=2017-06-02T00:00:00'


@pytest.fixture
def compute(api_conf):
    from nova.api import direct
    return direct.ComputeDirect(api_conf, token='admin', version='2.53')


@pytest.fixture
def cloud(compute, two_cells):
    return two_cells


def _put(cell, project, launched_h, terminated_h=None, name='vm',
         deleted=False):
    """A server launched T0 + launched_h hours (None: never), ended at
    T0 + terminated_h hours."""
    uuid = str(uuidlib.uuid4())
    hour = datetime.timedelta(hours=1)
    inst = Instance(
        uuid=uuid, project_id=project, user_id='u', flavor=SMALL,
        display_name=name, vm_state=states.ACTIVE,
        launched_at=None if launched_h is None else T0 + launched_h * hour,
        terminated_at=(None if terminated_h is None
                       else T0 + terminated_h * hour),
        created_at=T0)
    with engines.cell_writer(cell) as conn:
        instances.create(conn, inst)
        if deleted:
            instances.destroy(conn, uuid)
            # As the compute had terminated it at terminated_h.
            conn.execute(tables.instances.update().where(
                tables.instances.c.uuid == uuid).values(
                terminated_at=inst.terminated_at))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, project, cell_id=cell.id)
    return uuid


def test_index_totals_per_project_across_cells(compute, cloud):
    _put(cloud['cell1'], 'p1', -5)           # whole day: 24h
    _put(cloud['cell2'], 'p1', 6, 12, deleted=True)   # 6h, deleted
    _put(cloud['cell2'], 'p2', 20)           # 4h
    _put(cloud['cell1'], 'p2', -48, -24)     # ended before the window
    _put(cloud['cell1'], 'p2', 30)           # launched after it
    _put(cloud['cell1'], 'p3', None)         # never launched
    resp = compute.get(U + WINDOW)
    assert resp.status_int == 200, resp.text
    usages = {u['tenant_id']: u for u in resp.json['tenant_usages']}
    assert set(usages) == {'p1', 'p2'}
    p1 = usages['p1']
    assert p1['total_hours'] == pytest.approx(30)
    assert p1['total_vcpus_usage'] == pytest.approx(60)
    assert p1['total_memory_mb_usage'] == pytest.approx(30 * 2048)
    assert p1['total_local_gb_usage'] == pytest.approx(30 * 25)
    assert p1['start'] == '2017-06-01T00:00:00.000000'
    assert p1['stop'] == '2017-06-02T00:00:00.000000'
    assert 'server_usages' not in p1
    assert usages['p2']['total_hours'] == pytest.approx(4)


def test_detailed_and_show(compute, cloud):
    running = _put(cloud['cell1'], 'p1', -5, name='web')
    ended = _put(cloud['cell2'], 'p1', 6, 12, deleted=True, name='db')
    resp = compute.get(U + WINDOW + '&detailed=1')
    (usage,) = resp.json['tenant_usages']
    servers = {s['instance_id']: s for s in usage['server_usages']}
    assert set(servers) == {running, ended}
    web, db = servers[running], servers[ended]
    assert set(web) == {'instance_id', 'name', 'hours', 'memory_mb',
                        'local_gb', 'vcpus', 'tenant_id', 'flavor',
                        'started_at', 'ended_at', 'state', 'uptime'}
    assert web['hours'] == pytest.approx(24) and web['state'] == 'active'
    assert web['flavor'] == 'm1.small' and web['local_gb'] == 25
    assert web['ended_at'] is None
    assert web['started_at'] == '2017-05-31T19:00:00.000000'
    assert db['state'] == 'terminated' and db['uptime'] == 6 * 3600
    assert db['ended_at'] == '2017-06-01T12:00:00.000000'
    # Show: one project, always detailed; a user sees their own.
    shown = compute.get(U + '/p1' + WINDOW, token='alice:p1').json
    assert shown['tenant_usage']['total_hours'] == pytest.approx(30)
    assert len(shown['tenant_usage']['server_usages']) == 2
    assert compute.get(U + '/p9' + WINDOW).json == {'tenant_usage': {}}


def test_paging_from_2_40(compute, cloud):
    made = sorted(_put(cloud[c], 'p1', -1)
                  for c in ('cell1', 'cell1', 'cell2', 'cell2', 'cell2'))
    seen, marker = [], None
    for _ in range(5):
        query = WINDOW + '&detailed=1&limit=2' + (
            '&marker=' + marker if marker else '')
        body = compute.get(U + query).json
        page = [s['instance_id'] for u in body['tenant_usages']
                for s in u['server_usages']]
        seen.extend(page)
        if 'tenant_usages_links' not in body:
            break
        link = body['tenant_usages_links'][0]
        assert link['rel'] == 'next'
        marker = page[-1]
        assert 'marker=' + marker in link['href']
    assert sorted(seen) == made and len(seen) == len(set(seen))
    # Before 2.40 limit and marker are ignored.
    body = compute.get(U + WINDOW + '&detailed=1&limit=1',
                       version='2.39').json
    assert len(body['tenant_usages'][0]['server_usages']) == 5
    assert 'tenant_usages_links' not in body
    resp = compute.get(U + WINDOW + '&marker=' + str(uuidlib.uuid4()))
    assert resp.status_int == 400
    links = compute.get(U + '/p1' + WINDOW + '&limit=1').json[
        'tenant_usage_links']
    assert '/os-simple-tenant-usage/p1?' in links[0]['href']


@pytest.mark.parametrize('query,message', [
    ('?start=yesterday', 'Invalid datetime string: Datetime is in invalid '
                         'format'),
    ('?start=2017-06-02T00:00:00&end=2017-06-01T00:00:00',
     'Invalid start time. The start time cannot occur after the end '
     'time.'),
    (WINDOW + '&limit=x', 'limit param must be an integer'),
])
def test_bad_query(compute, cloud, query, message):
    resp = compute.get(U + query)
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == message


def test_policy(compute, cloud):
    assert compute.get(U + WINDOW, token='alice:p1').status_int == 403
    assert compute.get(U + '/p2' + WINDOW, token='alice:p1').status_int == (
        403)
    assert compute.get(U + '/p1' + WINDOW, token='alice:p1').status_int == (
        200)


def test_end_defaults_to_now(compute, cloud):
    _put(cloud['cell1'], 'p1', -5)
    body = compute.get(U + '?start=2017-06-01T00:00:00').json
    (usage,) = body['tenant_usages']
    assert usage['total_hours'] > 24 * 300
