"""GET /servers?changes-before= (2.66): servers last changed at or before
a time, deleted ones included as with changes-since, across cells; a
400 for a bad time or one earlier than changes-since; ignored before
2.66."""

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
from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
ALICE = 'alice:p1'
TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)
T0 = datetime.datetime(2018, 6, 1, 12, 0, 0)


@pytest.fixture
def compute(api_conf):
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    client = direct.ComputeDirect(api_conf, token=ALICE, version='2.66')
    resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    yield client
    rpc.cleanup()


def _put(cell, name, minutes, deleted=False):
    """A server in `cell` last changed T0 + minutes (deleted then, if
    `deleted`)."""
    uuid = str(uuidlib.uuid4())
    when = T0 + datetime.timedelta(minutes=minutes)
    with engines.cell_writer(cell) as conn:
        instances.create(conn, Instance(
            uuid=uuid, project_id='p1', user_id='alice', flavor=TINY,
            display_name=name, vm_state=states.ACTIVE, created_at=T0))
        values = {'updated_at': when}
        if deleted:
            values.update(deleted=tables.instances.c.id, deleted_at=when,
                          vm_state=states.DELETED)
        conn.execute(tables.instances.update().where(
            tables.instances.c.uuid == uuid).values(**values))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, 'p1', cell_id=cell.id,
                                 user_id='alice')


@pytest.fixture
def servers(compute, two_cells):
    cell1, cell2 = two_cells['cell1'], two_cells['cell2']
    _put(cell1, 'early', 0)
    _put(cell2, 'middle', 10)
    _put(cell1, 'gone', 15, deleted=True)
    _put(cell2, 'late', 20)


def _names(compute, query, version='2.66', path=S):
    resp = compute.get(path + query, version=version)
    assert resp.status_int == 200, resp.text
    return sorted(s['name'] for s in resp.json['servers'])


def test_changes_before_includes_the_deleted(compute, servers):
    assert _names(compute, '?changes-before=2018-06-01T12:15:00Z') == [
        'early', 'gone', 'middle']
    assert _names(compute, '?changes-before=2018-06-01T12:10:00Z',
                  path=S + '/detail') == ['early', 'middle']


def test_changes_before_with_changes_since_is_a_window(compute, servers):
    assert _names(compute, '?changes-since=2018-06-01T12:05:00Z'
                  '&changes-before=2018-06-01T12:15:00Z') == [
        'gone', 'middle']
    # Equal bounds are allowed.
    assert _names(compute, '?changes-since=2018-06-01T12:10:00Z'
                  '&changes-before=2018-06-01T12:10:00Z') == ['middle']


def test_deleted_false_leaves_the_deleted_out(compute, servers):
    resp = compute.get(S + '?changes-before=2018-06-01T12:15:00Z'
                       '&deleted=false', token='admin', version='2.66')
    assert resp.status_int == 200, resp.text
    assert resp.json['servers'] == []  # admin's own project has none
    resp = compute.get(S + '?changes-before=2018-06-01T12:15:00Z'
                       '&deleted=false&all_tenants=1', token='admin',
                       version='2.66')
    assert sorted(s['name'] for s in resp.json['servers']) == [
        'early', 'middle']


def test_ignored_before_2_66(compute, servers):
    everything_live = ['early', 'late', 'middle']
    assert _names(compute, '?changes-before=2018-06-01T12:05:00Z',
                  version='2.65') == everything_live
    assert _names(compute, '?changes-before=yesterday',
                  version='2.65') == everything_live


@pytest.mark.parametrize('query, message', [
    ('?changes-before=yesterday', 'Invalid filter field: changes-before.'),
    ('?changes-since=2018-06-01T12:10:01Z'
     '&changes-before=2018-06-01T12:10:00Z',
     'The value of changes-since must be less than or equal to '
     'changes-before.'),
])
def test_bad_changes_before_is_400(compute, query, message):
    resp = compute.get(S + query, version='2.66')
    assert resp.status_int == 400
    assert resp.json == {'badRequest': {'code': 400, 'message': message}}
