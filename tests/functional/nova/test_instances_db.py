"""Instances in a real cell database: create/get with children, the
compare-and-swap update, destroy, faults, metadata, tags and server
lists (filters, sorting, marker paging)."""

import datetime
import threading
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova.compute import states
from nova.db.main import instances
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

pytestmark = pytest.mark.all_databases

SMALL = Flavor(flavorid='1', name='small', vcpus=1, memory_mb=512,
               root_gb=1, id=11)
BIG = Flavor(flavorid='2', name='big', vcpus=4, memory_mb=4096,
             root_gb=40, ephemeral_gb=5, id=12, extra_specs={'a': 'b'})


def _new(**kwargs):
    values = dict(uuid=str(uuidlib.uuid4()), project_id='p1',
                  user_id='u1', flavor=SMALL, vm_state=states.BUILDING,
                  display_name='vm')
    values.update(kwargs)
    return Instance(**values)


@pytest.fixture
def cell(nova_engines, nova_cell_url):
    """writer() / reader(): connections on the cell database."""
    class Cell:
        url = nova_cell_url

        def writer(self):
            return nova_engines.cell_writer(nova_cell_url)

        def reader(self):
            return nova_engines.cell_reader(nova_cell_url)

        def create(self, **kwargs):
            with self.writer() as conn:
                return instances.create(conn, _new(**kwargs))
    return Cell()


def test_create_and_get_with_children(cell):
    made = cell.create(flavor=BIG, metadata={'k': 'v'},
                       system_metadata={'image_os': 'cirros'},
                       tags=['b', 'a'], access_ip_v4='10.0.0.1')
    assert made.id and made.created_at and not made.deleted
    assert (made.flavor, made.old_flavor, made.new_flavor) == (
        BIG, None, None)
    assert (made.metadata, made.system_metadata, made.tags) == (
        {'k': 'v'}, {'image_os': 'cirros'}, ['a', 'b'])
    assert made.access_ip_v4 == '10.0.0.1' and made.fault is None
    with cell.reader() as conn:
        assert instances.get(conn, made.uuid) == made
        assert instances.count_usage(conn, 'p1') == {
            'instances': 1, 'cores': 4, 'ram': 4096}
    with pytest.raises(exception.InstanceNotFound):
        with cell.reader() as conn:
            instances.get(conn, str(uuidlib.uuid4()))


def test_trusted_certs_are_kept_and_changed(cell):
    made = cell.create(trusted_certs=['cert-a', 'cert-b'])
    plain = cell.create()
    with cell.writer() as conn:
        assert instances.get(conn, made.uuid).trusted_certs == [
            'cert-a', 'cert-b']
        assert instances.get(conn, plain.uuid).trusted_certs is None
        assert instances.update(conn, plain.uuid, trusted_certs=['c'],
                                display_name='x').trusted_certs == ['c']
        assert instances.update(conn, made.uuid,
                                trusted_certs=None).trusted_certs is None
        listed = instances.list_instances(conn, {'uuid': [plain.uuid]},
                                          ['id'], ['asc'])
    assert listed[0].trusted_certs == ['c']


def test_changes_before_and_since_bound_updated_at(cell):
    t = datetime.datetime(2020, 5, 1, 12, 0, 0)
    made = [cell.create(display_name='vm%d' % i) for i in range(3)]
    with cell.writer() as conn:
        for i, inst in enumerate(made):
            conn.execute(sa.update(instances._t).where(
                instances._t.c.uuid == inst.uuid).values(
                    updated_at=t + datetime.timedelta(minutes=i)))

    def names(filters):
        with cell.reader() as conn:
            return sorted(i.display_name for i in instances.list_instances(
                conn, filters, ['id'], ['asc']))
    assert names({'changes-before': t}) == ['vm0']
    assert names({'changes-before': t + datetime.timedelta(minutes=1),
                  'changes-since': t + datetime.timedelta(minutes=1)}) == [
        'vm1']
    assert names({'changes-before': t - datetime.timedelta(seconds=1)}) == []


def test_update_compare_and_swap(cell):
    inst = cell.create()
    with cell.writer() as conn:
        got = instances.update(conn, inst.uuid, expected_task_state=None,
                               expected_vm_state=[states.BUILDING],
                               task_state=states.SPAWNING, host='h1',
                               metadata={'x': '1'}, tags=['t'])
    assert (got.task_state, got.host, got.metadata, got.tags) == (
        states.SPAWNING, 'h1', {'x': '1'}, ['t'])
    assert got.updated_at is not None
    with pytest.raises(exception.UnexpectedTaskStateError) as err:
        with cell.writer() as conn:
            instances.update(conn, inst.uuid, expected_task_state=None,
                             task_state=states.REBOOTING)
    assert (err.value.expected, err.value.actual) == (None,
                                                      states.SPAWNING)
    with pytest.raises(exception.UnexpectedVMStateError):
        with cell.writer() as conn:
            instances.update(conn, inst.uuid,
                             expected_task_state=[states.SPAWNING, None],
                             expected_vm_state=states.ACTIVE,
                             task_state=None)
    with pytest.raises(exception.InstanceNotFound):
        with cell.writer() as conn:
            instances.update(conn, str(uuidlib.uuid4()), task_state=None)
    with pytest.raises(ValueError):
        with cell.writer() as conn:
            instances.update(conn, inst.uuid, uuid='other')
    with cell.writer() as conn:
        resized = instances.update(conn, inst.uuid, flavor=BIG,
                                   old_flavor=SMALL, new_flavor=BIG)
    assert (resized.flavor, resized.old_flavor, resized.new_flavor) == (
        BIG, SMALL, BIG)
    with cell.reader() as conn:
        assert instances.get(conn, inst.uuid).task_state == states.SPAWNING
        assert instances.count_usage(conn, 'p1')['cores'] == 4


def test_concurrent_updates_only_one_wins(cell):
    inst = cell.create()
    barrier = threading.Barrier(2)
    results = {}

    def act(task_state):
        barrier.wait()
        try:
            with cell.writer() as conn:
                instances.update(conn, inst.uuid, expected_task_state=None,
                                 task_state=task_state)
            results[task_state] = 'ok'
        except exception.UnexpectedTaskStateError as exc:
            results[task_state] = exc

    threads = [threading.Thread(target=act, args=(t,))
               for t in (states.REBOOTING, states.PAUSING)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [k for k, v in results.items() if v == 'ok']
    assert len(results) == 2 and len(winners) == 1, results
    (loser,) = set(results) - set(winners)
    assert results[loser].actual == winners[0]
    with cell.reader() as conn:
        assert instances.get(conn, inst.uuid).task_state == winners[0]


def test_destroy_and_faults(cell):
    inst = cell.create(metadata={'k': 'v'}, tags=['t'], host='h1')
    with cell.writer() as conn:
        instances.add_fault(conn, inst.uuid, 500, 'first', host='h1')
        instances.add_fault(conn, inst.uuid, 404, 'x' * 300, 'trace')
    with cell.reader() as conn:
        fault = instances.get(conn, inst.uuid).fault
    assert (fault['code'], fault['message'], fault['details']) == (
        404, 'x' * 255, 'trace')
    assert isinstance(fault['created'], datetime.datetime)
    with pytest.raises(exception.UnexpectedTaskStateError):
        with cell.writer() as conn:
            instances.destroy(conn, inst.uuid,
                              expected_task_state=states.DELETING)
    with cell.writer() as conn:
        gone = instances.destroy(conn, inst.uuid)
    assert gone.deleted and gone.deleted_at and gone.terminated_at
    assert (gone.vm_state, gone.task_state, gone.tags) == (
        states.DELETED, None, [])
    # A deleted instance keeps its (soft-deleted) children.
    assert gone.metadata == {'k': 'v'} and gone.flavor == SMALL
    assert gone.fault['code'] == 404
    with cell.reader() as conn:
        with pytest.raises(exception.InstanceNotFound):
            instances.get(conn, inst.uuid)
        assert instances.get(conn, inst.uuid, read_deleted=True) == gone
        assert instances.list_by_host(conn, 'h1') == []
        assert instances.count_usage(conn, 'p1')['instances'] == 0
    with pytest.raises(exception.InstanceNotFound):
        with cell.writer() as conn:
            instances.destroy(conn, inst.uuid)


def test_list_by_host(cell):
    a = cell.create(host='h1', node='n1')
    b = cell.create(host='h1', node='n2')
    cell.create(host='h2', node='n1')
    with cell.reader() as conn:
        assert [i.uuid for i in instances.list_by_host(conn, 'h1')] == [
            a.uuid, b.uuid]
        assert instances.list_by_host(conn, 'h1', 'n2') == [b]


def test_metadata_and_tags(cell):
    inst = cell.create(metadata={'a': '1', 'b': '2'})
    with cell.writer() as conn:
        assert instances.set_metadata(conn, inst.uuid, {'b': '3', 'c': '4'},
                                      replace=False) == {
            'a': '1', 'b': '3', 'c': '4'}
        assert instances.set_metadata(conn, inst.uuid, {'c': '5'},
                                      replace=True) == {'c': '5'}
        instances.delete_metadata_key(conn, inst.uuid, 'c')
        with pytest.raises(exception.InstanceMetadataNotFound):
            instances.delete_metadata_key(conn, inst.uuid, 'c')
        assert instances.add_tag(conn, inst.uuid, 'z') == ['z']
        assert instances.add_tag(conn, inst.uuid, 'y') == ['y', 'z']
        assert instances.add_tag(conn, inst.uuid, 'y') == ['y', 'z']
        instances.delete_tag(conn, inst.uuid, 'z')
        with pytest.raises(exception.InstanceTagNotFound):
            instances.delete_tag(conn, inst.uuid, 'z')
        assert instances.set_tags(conn, inst.uuid, ['q', 'p', 'q']) == [
            'p', 'q']
        with pytest.raises(exception.InstanceNotFound):
            instances.add_tag(conn, str(uuidlib.uuid4()), 'x')
    with cell.reader() as conn:
        got = instances.get(conn, inst.uuid)
    assert (got.metadata, got.tags) == ({}, ['p', 'q'])


def _page_all(conn, filters, keys, dirs, limit):
    """Every row, page by page through marker values."""
    seen, marker = [], None
    while True:
        page = instances.list_instances(conn, filters, keys, dirs,
                                        limit=limit, marker_values=marker)
        seen.extend(page)
        if len(page) < limit:
            return seen
        marker = instances.get_marker_values(conn, page[-1].uuid, keys)


def test_list_sorted_by_name_desc_pages_every_row_once(cell):
    names = ['b', 'a', None, 'c', 'b', 'a', None, 'b', 'd', 'b', 'e']
    made = [cell.create(display_name=n) for n in names]
    cell.create(project_id='p2', display_name='b')
    filters = {'project_id': 'p1'}
    with cell.reader() as conn:
        whole = instances.list_instances(conn, filters, ['display_name'],
                                         ['desc'])
        for limit in (1, 2, 3, 5):
            paged = _page_all(conn, filters, ['display_name'], ['desc'],
                              limit)
            assert [i.uuid for i in paged] == [i.uuid for i in whole]
        asc = instances.list_instances(conn, filters,
                                       ['display_name', 'uuid'],
                                       ['asc', 'asc'])
    assert len(whole) == len(made)
    # NULLs last descending, first ascending; uuid breaks ties.
    expected = sorted(made, key=lambda i: (i.display_name is not None,
                                           i.display_name or '', i.uuid),
                      reverse=True)
    assert [i.uuid for i in whole] == [i.uuid for i in expected]
    assert [i.uuid for i in asc] == [i.uuid for i in reversed(expected)]


def test_list_default_order_pages_by_created_at(cell):
    made = [cell.create(created_at=datetime.datetime(2026, 1, 1, 0, m % 3))
            for m in range(7)]
    with cell.reader() as conn:
        paged = _page_all(conn, {}, ['created_at'], ['desc'], 2)
    expected = sorted(made, key=lambda i: (i.created_at, i.uuid),
                      reverse=True)
    assert [i.uuid for i in paged] == [i.uuid for i in expected]


def test_list_filters(cell):
    a = cell.create(display_name='web-1', tags=['x', 'y'], host='h1',
                    metadata={'m': '1'}, image_ref='img1')
    b = cell.create(display_name='web-2', tags=['x'], flavor=BIG,
                    vm_state=states.ACTIVE, locked=True)
    c = cell.create(display_name='db-1', tags=['z'], host='h2',
                    vm_state=states.ERROR, user_id='u2')
    d = cell.create(display_name=None)
    e = cell.create(display_name='web-old')
    with cell.writer() as conn:
        instances.add_fault(conn, c.uuid, 500, 'boom')
        instances.destroy(conn, e.uuid)

    def uuids(filters, **kwargs):
        with cell.reader() as conn:
            found = instances.list_instances(conn, filters, ['id'],
                                             ['asc'], **kwargs)
        return [i.uuid for i in found]

    assert uuids({}) == [a.uuid, b.uuid, c.uuid, d.uuid]
    assert uuids({'deleted': True}) == [e.uuid]
    assert uuids({'deleted': None}) == [a.uuid, b.uuid, c.uuid, d.uuid,
                                        e.uuid]
    assert uuids({'name': '^web-[0-9]'}) == [a.uuid, b.uuid]
    assert uuids({'name': 'web', 'deleted': None}, limit=2) == [a.uuid,
                                                                b.uuid]
    assert uuids({'name': '1$'}) == [a.uuid, c.uuid]
    assert uuids({'tags': ['x', 'y']}) == [a.uuid]
    assert uuids({'tags-any': ['y', 'z']}) == [a.uuid, c.uuid]
    assert uuids({'not-tags': ['x', 'y']}) == [b.uuid, c.uuid, d.uuid]
    assert uuids({'not-tags-any': ['x', 'z']}) == [d.uuid]
    assert uuids({'vm_state': [states.ACTIVE, states.ERROR]}) == [
        b.uuid, c.uuid]
    assert uuids({'vm_state': states.ERROR, 'user_id': 'u2'}) == [c.uuid]
    assert uuids({'host': 'h1', 'ip': '10.'}) == [a.uuid]
    assert uuids({'host': None, 'uuid': [a.uuid, d.uuid]}) == [a.uuid,
                                                               d.uuid]
    assert uuids({'image': 'img1'}) == [a.uuid]
    assert uuids({'flavor': '2'}) == [b.uuid]
    assert uuids({'flavor': ['1'], 'name': 'web'}) == [a.uuid]
    assert uuids({'locked': True}) == [b.uuid]
    assert uuids({'locked': False, 'project_id': 'p1'}) == [
        a.uuid, c.uuid, d.uuid]
    assert uuids({'changes-since': datetime.datetime(2000, 1, 1),
                  'deleted': None}) == [e.uuid]
    with cell.reader() as conn:
        listed = instances.list_instances(conn, {'uuid': [a.uuid, c.uuid]},
                                          ['id'], ['asc'])
        assert listed[0] == instances.get(conn, a.uuid)
        assert listed[1].fault['message'] == 'boom'
        assert listed[0].metadata == {'m': '1'}
        with pytest.raises(ValueError):
            instances.list_instances(conn, {}, ['nonsense'], ['asc'])
        assert instances.get_marker_values(
            conn, str(uuidlib.uuid4()), ['display_name']) is None


def test_list_queries_each_child_table_once_per_page(cell, nova_engines):
    for n in range(6):
        cell.create(metadata={'n': str(n)}, tags=['t%d' % n],
                    system_metadata={'s': 'v'})
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = nova_engines.cell(cell.url).engine()
    sa.event.listen(engine, 'before_cursor_execute', count)
    try:
        with cell.reader() as conn:
            statements.clear()
            found = instances.list_instances(conn, {'project_id': 'p1'},
                                             ['created_at'], ['desc'])
            listed = len(statements)
            statements.clear()
            instances.list_instances(conn, {'name': 'v'}, ['display_name'],
                                     ['asc'], limit=3)
            filtered = len(statements)
    finally:
        sa.event.remove(engine, 'before_cursor_execute', count)
    assert len(found) == 6 and {i.tags[0] for i in found} == {
        't%d' % n for n in range(6)}
    # instances, metadata, system metadata, tags, extra, faults, block
    # device mappings.
    assert (listed, filtered) == (7, 7)
