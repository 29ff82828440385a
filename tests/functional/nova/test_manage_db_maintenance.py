"""nova-manage db archive_deleted_rows|purge|online_data_migrations:
output and exit codes, on each database backend."""

import datetime
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db.main import archive
from nova.db.main import tables
from nova.objects.cell_mapping import CELL0_UUID
from tests.functional.nova import nova_manage

pytestmark = pytest.mark.all_databases

OLD = datetime.datetime(2020, 1, 1)


@pytest.fixture
def conf(tmp_path, nova_api_url, nova_cell_url):
    return nova_manage.write_conf(tmp_path / 'nova.conf', api=nova_api_url,
                                  cell=nova_cell_url)


@pytest.fixture
def db(conf):
    return lambda *argv: nova_manage.run(conf, 'db', *argv)


def _deleted_instance(cell_db, api=None, deleted_at=OLD) -> str:
    uuid = str(uuidlib.uuid4())
    with cell_db.begin() as conn:
        iid = conn.execute(tables.instances.insert().values(
            uuid=uuid, project_id='p')).inserted_primary_key[0]
        conn.execute(tables.instances.update()
                     .where(tables.instances.c.id == iid)
                     .values(deleted=iid, deleted_at=deleted_at))
        conn.execute(tables.instance_faults.insert().values(
            instance_uuid=uuid, code=500))
    if api is not None:
        with api.begin() as conn:
            conn.execute(api_tables.instance_mappings.insert().values(
                instance_uuid=uuid, project_id='p'))
            conn.execute(api_tables.request_specs.insert().values(
                instance_uuid=uuid, spec='{}'))
    return uuid


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count())
                            .select_from(table)).scalar_one()


def _rows(out: str) -> dict:
    """{first column: second column} of a printed table's body."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip('|').split('|')]
        if line.startswith('|') and len(cells) >= 2:
            rows[cells[0]] = cells[1]
    return rows


# -- archive_deleted_rows

def test_archive_exit_codes_and_verbose_table(db, api, cell_db):
    assert db('archive_deleted_rows').code == 0
    nothing = db('archive_deleted_rows', '--verbose')
    assert (nothing.code, nothing.out.strip()) == (0, 'Nothing was archived.')
    _deleted_instance(cell_db, api)

    result = db('archive_deleted_rows', '--verbose')

    assert result.code == 1, result
    assert _rows(result.out) == {
        'Table': 'Number of Rows Archived',
        'API_DB.instance_group_member': '0',
        'API_DB.instance_mappings': '1', 'API_DB.request_specs': '1',
        'instance_faults': '1', 'instances': '1'}
    assert _count(api, api_tables.instance_mappings) == 0
    assert _count(api, api_tables.request_specs) == 0
    assert _count(cell_db, tables.SHADOWS['instances']) == 1
    assert db('archive_deleted_rows').code == 0


def test_archive_max_rows_and_until_complete(db, api, cell_db):
    for _ in range(3):
        _deleted_instance(cell_db)

    first = db('archive_deleted_rows', '--max_rows', '2')
    assert first.code == 1
    assert _count(cell_db, tables.SHADOWS['instance_faults']) == 2
    assert _count(cell_db, tables.instances) == 3

    rest = db('archive_deleted_rows', '--max_rows', '1', '--until-complete',
              '--verbose')
    assert rest.code == 1, rest
    assert rest.out.startswith('Archiving.')
    assert '.complete' in rest.out
    assert _rows(rest.out)['instances'] == '3'
    assert _count(cell_db, tables.instances) == 0
    assert _count(cell_db, tables.instance_faults) == 0


@pytest.mark.parametrize('args, code, message', [
    (('--max_rows', '-1'), 2, 'Must supply a positive value for max_rows'),
    (('--max_rows', str(archive.MAX_ROWS + 1)), 2, 'max rows must be <='),
    (('--before', 'not a date at all'), 4, 'Invalid value for --before'),
])
def test_archive_rejects_bad_input(db, cell_db, args, code, message):
    _deleted_instance(cell_db)
    result = db('archive_deleted_rows', *args)
    assert result.code == code, result
    assert message in result.out + result.err
    assert 'Traceback' not in result.out + result.err
    assert _count(cell_db, tables.instances) == 1


def test_archive_needs_the_api_database(tmp_path, cell_db, nova_cell_url):
    conf = nova_manage.write_conf(tmp_path / 'cell.conf', cell=nova_cell_url)
    _deleted_instance(cell_db)
    result = nova_manage.run(conf, 'db', 'archive_deleted_rows')
    assert result.code == 3, result
    assert '[api_database]/connection' in result.err
    assert _count(cell_db, tables.instances) == 1


def test_archive_before_and_purge(db, api, cell_db):
    _deleted_instance(cell_db, deleted_at=OLD)
    _deleted_instance(cell_db, deleted_at=datetime.datetime(2024, 1, 1))

    result = db('archive_deleted_rows', '--before', '2022-01-01', '--purge',
                '--verbose')

    assert result.code == 1, result
    assert _rows(result.out)['instances'] == '1'
    assert 'Rows were archived, running purge...' in result.out
    assert 'DB: Deleted 1 rows from shadow_instances' in result.out
    assert _count(cell_db, tables.instances) == 1
    assert _count(cell_db, tables.SHADOWS['instances']) == 0


def test_archive_all_cells(db, api, cell_db, nova_cell_url):
    with api.begin() as conn:
        conn.execute(api_tables.cell_mappings.insert().values(
            uuid=str(uuidlib.uuid4()), name='cell1',
            database_connection=nova_cell_url))
    uuid = _deleted_instance(cell_db, api)

    result = db('archive_deleted_rows', '--all-cells', '--verbose')

    assert result.code == 1, result
    rows = _rows(result.out)
    assert rows['cell1.instances'] == '1'
    assert rows['cell1.instance_faults'] == '1'
    assert rows['API_DB.instance_mappings'] == '1'
    # Sorted by cell, then table.
    names = [n for n in rows if n != 'Table']
    assert names == sorted(names, key=lambda n: tuple(n.split('.', 1)))
    with cell_db.connect() as conn:
        assert conn.execute(sa.select(
            tables.SHADOWS['instances'].c.uuid)).scalar_one() == uuid


def test_archive_as_a_process(conf, api, cell_db):
    _deleted_instance(cell_db)
    result = nova_manage.run_process(conf, 'db', 'archive_deleted_rows')
    assert result.code == 1, result
    assert nova_manage.run_process(
        conf, 'db', 'archive_deleted_rows').code == 0


# -- purge

def test_purge_exit_codes(db, api, cell_db):
    nothing = db('purge')
    assert nothing.code == 1
    assert 'Either --before or --all is required' in nothing.err
    bad = db('purge', '--before', 'the day after never')
    assert bad.code == 2 and 'Invalid value for --before' in bad.err
    assert db('purge', '--all').code == 3

    _deleted_instance(cell_db)
    assert db('archive_deleted_rows').code == 1
    assert db('purge', '--before', '2019-12-31').code == 3
    result = db('purge', '--before', 'Thu Jan  2 00:00:00 UTC 2020',
                '--verbose')
    assert result.code == 0, result
    assert ('DB: Deleted 1 rows from shadow_instances based on timestamp '
            'column deleted_at') in result.out
    # The fault was never marked deleted: only --all takes it.
    assert _count(cell_db, tables.SHADOWS['instance_faults']) == 1
    assert db('purge', '--all').code == 0
    assert _count(cell_db, tables.SHADOWS['instance_faults']) == 0


def test_purge_all_cells(db, api, cell_db, nova_cell_url, tmp_path):
    cell_uuid = str(uuidlib.uuid4())
    with api.begin() as conn:
        conn.execute(api_tables.cell_mappings.insert().values(
            uuid=cell_uuid, name='cell1', database_connection=nova_cell_url))
    _deleted_instance(cell_db)
    assert db('archive_deleted_rows').code == 1

    result = db('purge', '--all', '--all-cells', '--verbose')

    assert result.code == 0, result
    assert 'Cell %s(cell1): Deleted 1 rows from shadow_instances' % (
        cell_uuid) in result.out

    no_api = nova_manage.write_conf(tmp_path / 'cell.conf', cell=nova_cell_url)
    result = nova_manage.run(no_api, 'db', 'purge', '--all', '--all-cells')
    assert result.code == 4, result
    assert 'Unable to get cell list from API DB' in result.err


# -- online_data_migrations

def _services_without_uuid(cell_db, count):
    with cell_db.begin() as conn:
        for n in range(count):
            conn.execute(tables.services.insert().values(
                host='host%d' % n, binary='nova-compute',
                report_count=0))


def test_online_data_migrations_with_nothing_to_do(db, cell_db):
    result = db('online_data_migrations')
    assert result.code == 0, result
    assert 'Running batches of 50 until complete' in result.out
    rows = _rows(result.out)
    assert rows.pop('Migration') == 'Total Needed'
    assert rows == {'fill_block_device_mapping_uuids': '0',
                    'fill_compute_node_uuids': '0',
                    'fill_migration_uuids': '0',
                    'fill_service_uuids': '0'}


def test_online_data_migrations_max_count(db, cell_db):
    _services_without_uuid(cell_db, 3)

    first = db('online_data_migrations', '--max-count', '2')
    assert first.code == 1, first
    assert '2 rows matched query fill_service_uuids, 2 migrated' in first.out
    second = db('online_data_migrations', '--max-count', '2')
    assert second.code == 1
    assert db('online_data_migrations', '--max-count', '2').code == 0

    with cell_db.connect() as conn:
        uuids = list(conn.execute(sa.select(tables.services.c.uuid))
                     .scalars())
    assert len(set(uuids)) == 3 and None not in uuids


def test_online_data_migrations_until_complete(db, cell_db):
    _services_without_uuid(cell_db, 120)
    result = db('online_data_migrations')
    assert result.code == 0, result
    line = [ln for ln in result.out.splitlines() if 'fill_service_uuids' in ln
            and ln.startswith('|')][0]
    assert [c.strip() for c in line.strip('|').split('|')] == [
        'fill_service_uuids', '120', '120']


@pytest.mark.parametrize('value', ['0', '-3', 'many'])
def test_online_data_migrations_rejects_bad_max_count(db, cell_db, value):
    result = db('online_data_migrations', '--max-count', value)
    assert result.code == 127, result
    assert 'Must supply a positive value' in result.err


def test_commands_without_a_cell_database(tmp_path, nova_api_url,
                                          nova_engines):
    conf = nova_manage.write_conf(tmp_path / 'api.conf', api=nova_api_url)
    for argv in (('online_data_migrations',), ('archive_deleted_rows',),
                 ('purge', '--all')):
        result = nova_manage.run(conf, 'db', *argv)
        assert result.code == 255, (argv, result)
        assert '[database] connection' in result.err
        assert 'Traceback' not in result.err


def test_cell0_mapping_is_archived_with_all_cells(db, api, cell_db,
                                                  nova_cell_url):
    with api.begin() as conn:
        conn.execute(api_tables.cell_mappings.insert().values(
            uuid=CELL0_UUID, name='cell0', database_connection=nova_cell_url))
    _deleted_instance(cell_db)
    result = db('archive_deleted_rows', '--all-cells', '--verbose')
    assert result.code == 1
    assert _rows(result.out)['cell0.instances'] == '1'
