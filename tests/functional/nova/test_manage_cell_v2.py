"""nova-manage cell_v2: output and exit codes, on each database backend.

Commands run in-process through nova.cmd.manage.main with a configuration
file naming the test's API and cell databases; a few run as processes.
"""

import datetime
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db.main import tables as main_tables
from nova.objects.cell_mapping import CELL0_UUID
from tests.functional.nova import nova_manage

MQ = 'rabbit://nova:mqsecret@mq.example.org:5672/'


@pytest.fixture
def conf(tmp_path, nova_api_url, nova_cell_url):
    return nova_manage.write_conf(tmp_path / 'nova.conf', api=nova_api_url,
                                  cell=nova_cell_url, transport_url=MQ)


@pytest.fixture
def other_db(tmp_path):
    """Another cell's database URL (never opened by these tests)."""
    return 'sqlite:///%s' % (tmp_path / 'other.sqlite')


@pytest.fixture
def manage(conf):
    return lambda *argv: nova_manage.run(conf, 'cell_v2', *argv)


def _cells(api):
    with api.connect() as conn:
        return {r.uuid: r for r in conn.execute(
            sa.select(api_tables.cell_mappings))}


def _create_cell(manage, *args):
    result = manage('create_cell', '--verbose', *args)
    assert result.code == 0, result
    return result.out.strip().splitlines()[-1]


def _add_node(cell_db, host, node=None, mapped=0):
    with cell_db.begin() as conn:
        conn.execute(main_tables.compute_nodes.insert().values(
            host=host, hypervisor_hostname=node or host,
            uuid=str(uuidlib.uuid4()), vcpus=1, memory_mb=1, local_gb=1,
            vcpus_used=0, memory_mb_used=0, local_gb_used=0,
            hypervisor_type='fake', hypervisor_version=1, cpu_info='{}',
            mapped=mapped, deleted=0))


def _add_service(cell_db, host, binary='nova-compute'):
    with cell_db.begin() as conn:
        conn.execute(main_tables.services.insert().values(
            host=host, binary=binary, topic=binary.split('-')[-1],
            report_count=0, disabled=False, deleted=0))


def _add_instance(cell_db, host='host1', deleted=False, created_at=None):
    uuid = str(uuidlib.uuid4())
    with cell_db.begin() as conn:
        result = conn.execute(main_tables.instances.insert().values(
            uuid=uuid, project_id='project', user_id='user', host=host,
            created_at=created_at or datetime.datetime(2020, 1, 1),
            deleted=0))
        if deleted:
            conn.execute(main_tables.instances.update()
                         .where(main_tables.instances.c.uuid == uuid)
                         .values(deleted=result.inserted_primary_key[0]))
    return uuid


def _mapped(cell_db):
    with cell_db.connect() as conn:
        return {r.host: r.mapped for r in conn.execute(
            sa.select(main_tables.compute_nodes))}


# -- create_cell, list_cells

def test_create_cell_and_list_cells(manage, api, nova_cell_url):
    result = manage('create_cell', '--name', 'cell1', '--verbose')
    assert result.code == 0, result
    assert '--transport-url not provided' in result.out
    cell_uuid = result.out.strip().splitlines()[-1]
    cell = _cells(api)[cell_uuid]
    assert (cell.name, cell.transport_url, cell.database_connection,
            bool(cell.disabled)) == ('cell1', MQ, nova_cell_url, False)

    disabled = _create_cell(manage, '--name', 'cell2', '--disabled',
                            '--transport-url', 'rabbit://u:pw2@mq2/',
                            '--database_connection',
                            'mysql+pymysql://u:dbpw@db2/nova')
    listed = manage('list_cells')
    assert listed.code == 0
    header = listed.out.splitlines()[1]
    assert [c.strip() for c in header.strip('|').split('|')] == [
        'Name', 'UUID', 'Transport URL', 'Database Connection', 'Disabled']
    assert 'rabbit://nova:****@mq.example.org:5672/' in listed.out
    assert 'mysql+pymysql://u:****@db2/nova' in listed.out
    assert 'mqsecret' not in listed.out and 'dbpw' not in listed.out
    rows = {line.split('|')[2].strip(): line for line in
            listed.out.splitlines() if disabled in line or cell_uuid in line}
    assert 'True' in rows[disabled] and 'False' in rows[cell_uuid]
    verbose = manage('list_cells', '--verbose')
    assert 'mqsecret' in verbose.out and 'dbpw' in verbose.out


def test_create_cell_refuses_a_second_cell_on_the_same_urls(manage, api,
                                                            other_db):
    _create_cell(manage, '--name', 'one')
    result = manage('create_cell', '--name', 'two')
    assert result.code == 2
    assert 'already exists for another cell' in result.err
    # The same name on other URLs is allowed, as upstream allows it.
    _create_cell(manage, '--name', 'one', '--transport-url', 'rabbit://x/',
                 '--database_connection', other_db)
    assert sorted(c.name for c in _cells(api).values()) == ['one', 'one']


@pytest.mark.parametrize('args, message', [
    (('--transport-url', 'nonsense'), 'Invalid transport URL'),
    (('--database_connection', 'not a url'), 'Invalid database connection'),
])
def test_create_cell_rejects_bad_urls(manage, api, args, message):
    result = manage('create_cell', *args)
    assert result.code == 1
    assert message in result.err and 'Traceback' not in result.err
    assert _cells(api) == {}


def test_create_cell_needs_a_transport_url_and_a_database(
        tmp_path, nova_engines, nova_api_url):
    conf = nova_manage.write_conf(tmp_path / 'bare.conf', api=nova_api_url)
    result = nova_manage.run(conf, 'cell_v2', 'create_cell')
    assert result.code == 1
    assert ('Must specify --transport-url if [DEFAULT]/transport_url is not '
            'set in the configuration file.') in result.err
    result = nova_manage.run(conf, 'cell_v2', 'create_cell',
                             '--transport-url', MQ)
    assert result.code == 1
    assert ('Must specify --database_connection if [database]/connection '
            'is not set') in result.err


def test_templated_urls_are_kept_and_expanded_on_use(manage, api):
    cell_uuid = _create_cell(
        manage, '--transport-url',
        'rabbit://{username}:{password}@{hostname}:{port}/cell1',
        '--database_connection',
        'mysql+pymysql://{username}:{password}@{hostname}/cell1')
    assert _cells(api)[cell_uuid].transport_url == (
        'rabbit://{username}:{password}@{hostname}:{port}/cell1')
    listed = manage('list_cells', '--verbose').out
    assert 'rabbit://nova:mqsecret@mq.example.org:5672/cell1' in listed


def test_commands_without_an_api_database_fail_cleanly(tmp_path):
    conf = nova_manage.write_conf(tmp_path / 'cell.conf',
                                  cell='sqlite:///x.sqlite')
    result = nova_manage.run(conf, 'cell_v2', 'list_cells')
    assert result.code == 1
    assert '[api_database]' in result.err and 'Traceback' not in result.err


# -- map_cell0, simple_cell_setup

def test_map_cell0_derives_the_database_and_is_idempotent(
        manage, api, nova_cell_url):
    assert manage('map_cell0').code == 0
    cell0 = _cells(api)[CELL0_UUID]
    expected = sa.engine.make_url(nova_cell_url)
    expected = expected.set(database=expected.database + '_cell0')
    assert sa.engine.make_url(cell0.database_connection) == expected
    assert (cell0.name, cell0.transport_url) == ('cell0', 'none:///')
    again = manage('map_cell0', '--database_connection', 'sqlite:///y')
    assert (again.code, again.out.strip()) == (0, 'Cell0 is already setup')


def test_simple_cell_setup(manage, api, cell_db, nova_backend):
    assert manage('simple_cell_setup').code == 1   # no compute hosts yet
    _add_node(cell_db, 'host1')
    instance = _add_instance(cell_db)
    result = manage('simple_cell_setup', '--transport-url', MQ)
    assert result.code == 0, result
    cells = _cells(api)
    assert len(cells) == 2 and CELL0_UUID in cells
    assert manage('verify_instance', '--uuid', instance).code == 0
    hosts = manage('list_hosts').out
    assert 'host1' in hosts
    if nova_backend == 'sqlite':   # cell0 database created and migrated
        assert 'Unable to sync cell0' not in result.out
    again = manage('simple_cell_setup')
    assert again.code == 0
    assert 'All hosts are already mapped' in again.out


def test_map_cell_and_hosts(manage, api, cell_db):
    _add_node(cell_db, 'host1')
    result = manage('map_cell_and_hosts', '--name', 'legacy', '--verbose')
    assert result.code == 0
    (cell,) = _cells(api).values()
    assert cell.name == 'legacy' and cell.uuid in result.out


# -- update_cell

def test_update_cell(manage, api):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    assert manage('update_cell', '--cell_uuid', cell_uuid, '--name', 'new',
                  '--transport-url', 'rabbit://other/').code == 0
    cell = _cells(api)[cell_uuid]
    assert (cell.name, cell.transport_url) == ('new', 'rabbit://other/')
    assert manage('update_cell', '--cell_uuid', cell_uuid,
                  '--disable').code == 0
    assert _cells(api)[cell_uuid].disabled
    again = manage('update_cell', '--cell_uuid', cell_uuid, '--disable')
    assert again.code == 0 and 'is already disabled' in again.out
    assert manage('update_cell', '--cell_uuid', cell_uuid,
                  '--enable').code == 0
    assert not _cells(api)[cell_uuid].disabled


def test_update_cell_failures(manage, api, other_db):
    one = _create_cell(manage, '--name', 'one')
    two = _create_cell(manage, '--name', 'two', '--transport-url',
                       'rabbit://two/', '--database_connection',
                       other_db)
    manage('map_cell0')
    cases = [
        (('--cell_uuid', str(uuidlib.uuid4())), 1, 'was not found'),
        (('--cell_uuid', two, '--transport-url', 'nonsense'), 2,
         'Invalid transport URL'),
        (('--cell_uuid', two, '--transport-url', MQ), 3, one),
        (('--cell_uuid', two, '--disable', '--enable'), 4,
         'cannot be disabled and enabled at the same time'),
        (('--cell_uuid', CELL0_UUID, '--disable'), 5,
         'Cell0 cannot be disabled'),
    ]
    for args, code, message in cases:
        result = manage('update_cell', *args)
        assert result.code == code, (args, result)
        assert message in result.err
    assert _cells(api)[two].transport_url == 'rabbit://two/'


# -- discover_hosts, list_hosts, delete_host

def test_discover_hosts_by_compute_node(manage, api, cell_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    manage('map_cell0')
    _add_node(cell_db, 'host1')
    _add_node(cell_db, 'host2', 'node-a')
    _add_node(cell_db, 'host2', 'node-b')
    result = manage('discover_hosts', '--verbose', '--strict')
    assert result.code == 0, result
    assert 'Skipping cell0 since it does not contain hosts.' in result.out
    assert ("Creating host mapping for compute host 'host1'" in result.out)
    assert ('Found 2 unmapped computes in cell: %s' % cell_uuid
            in result.out)
    assert set(_mapped(cell_db).values()) == {1}
    listed = manage('list_hosts', '--cell_uuid', cell_uuid)
    assert listed.code == 0
    assert [line.split('|')[3].strip() for line in listed.out.splitlines()
            if cell_uuid in line] == ['host1', 'host2']
    quiet = manage('discover_hosts')
    assert (quiet.code, quiet.out) == (0, '')
    assert manage('discover_hosts', '--strict').code == 1


def test_discover_hosts_by_service(manage, api, cell_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    _add_service(cell_db, 'host1')
    _add_service(cell_db, 'conductor-host', binary='nova-conductor')
    result = manage('discover_hosts', '--by-service', '--verbose',
                    '--cell_uuid', cell_uuid)
    assert result.code == 0
    assert 'Creating host mapping for service host1' in result.out
    listed = manage('list_hosts').out
    assert 'host1' in listed and 'conductor-host' not in listed


def test_discover_hosts_unknown_cell(manage, api):
    result = manage('discover_hosts', '--cell_uuid', str(uuidlib.uuid4()))
    assert result.code == 1 and 'was not found' in result.err


def test_delete_host(manage, api, cell_db, other_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    other = _create_cell(manage, '--name', 'cell2', '--transport-url',
                         'rabbit://two/', '--database_connection',
                         other_db)
    _add_node(cell_db, 'host1')
    _add_node(cell_db, 'busy')
    _add_instance(cell_db, host='busy')
    _add_instance(cell_db, host='host1', deleted=True)
    assert manage('discover_hosts', '--cell_uuid', cell_uuid).code == 0
    cases = [
        ((str(uuidlib.uuid4()), 'host1'), 1, 'was not found'),
        ((cell_uuid, 'nohost'), 2, 'The host nohost was not found.'),
        ((other, 'host1'), 3, 'was not found in the cell %s' % other),
        ((cell_uuid, 'busy'), 4, 'There are instances on the host busy.'),
    ]
    for (cell, host), code, message in cases:
        result = manage('delete_host', '--cell_uuid', cell, '--host', host)
        assert result.code == code, result
        assert message in result.err
    assert manage('delete_host', '--cell_uuid', cell_uuid,
                  '--host', 'host1').code == 0
    assert _mapped(cell_db) == {'host1': 0, 'busy': 1}
    assert 'host1' not in manage('list_hosts').out


def test_list_hosts_unknown_cell(manage, api):
    result = manage('list_hosts', '--cell_uuid', str(uuidlib.uuid4()))
    assert result.code == 1


# -- delete_cell

def test_delete_cell(manage, api, cell_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    result = manage('delete_cell', '--cell_uuid', str(uuidlib.uuid4()))
    assert result.code == 1 and 'was not found' in result.err
    _add_node(cell_db, 'host1')
    manage('discover_hosts')
    result = manage('delete_cell', '--cell_uuid', cell_uuid)
    assert result.code == 2
    assert 'There are existing hosts mapped to cell' in result.err
    live = _add_instance(cell_db)
    assert manage('map_instances', '--cell_uuid', cell_uuid).code == 0
    result = manage('delete_cell', '--cell_uuid', cell_uuid, '--force')
    assert result.code == 3
    assert 'There are existing instances mapped to cell' in result.err
    with cell_db.begin() as conn:
        conn.execute(main_tables.instances.update().values(deleted=1))
    result = manage('delete_cell', '--cell_uuid', cell_uuid)
    assert result.code == 2     # hosts checked first
    manage('delete_host', '--cell_uuid', cell_uuid, '--host', 'host1')
    result = manage('delete_cell', '--cell_uuid', cell_uuid)
    assert result.code == 4
    assert 'archive_deleted_rows' in result.err
    manage('discover_hosts')
    assert manage('delete_cell', '--cell_uuid', cell_uuid,
                  '--force').code == 0
    assert _cells(api) == {}
    assert _mapped(cell_db) == {'host1': 0}
    assert manage('verify_instance', '--uuid', live).code == 1


# -- map_instances, verify_instance

def test_map_instances_in_batches(manage, api, cell_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    uuids = [_add_instance(cell_db,
                           created_at=datetime.datetime(2020, 1, 1, 0, i))
             for i in range(5)]
    uuids.append(_add_instance(cell_db, deleted=True,
                               created_at=datetime.datetime(2021, 1, 1)))
    codes = [manage('map_instances', '--cell_uuid', cell_uuid,
                    '--max-count', '2').code for _ in range(3)]
    assert codes == [1, 1, 0]
    with api.connect() as conn:
        rows = conn.execute(sa.select(api_tables.instance_mappings)).all()
    assert sorted(r.instance_uuid for r in rows) == sorted(uuids)
    assert {r.project_id for r in rows} == {'project'}
    # Finished: no marker left, and a rerun starts over harmlessly.
    assert manage('map_instances', '--cell_uuid', cell_uuid).code == 0


def test_map_instances_marker_and_reset(manage, api, cell_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    first = [_add_instance(cell_db,
                           created_at=datetime.datetime(2020, 1, 1, 0, i))
             for i in range(3)]
    assert manage('map_instances', '--cell_uuid', cell_uuid,
                  '--max-count', '1').code == 1
    with api.connect() as conn:
        marker = conn.execute(sa.select(api_tables.instance_mappings).where(
            api_tables.instance_mappings.c.project_id ==
            'INSTANCE_MIGRATION_MARKER')).one()
    assert marker.instance_uuid == first[0].replace('-', ' ')
    with api.begin() as conn:   # someone unmaps the first one
        conn.execute(api_tables.instance_mappings.delete().where(
            api_tables.instance_mappings.c.instance_uuid == first[0]))
    manage('map_instances', '--cell_uuid', cell_uuid, '--max-count', '1')
    assert manage('verify_instance', '--uuid', first[0]).code == 1
    assert manage('verify_instance', '--uuid', first[1]).code == 0
    assert manage('map_instances', '--cell_uuid', cell_uuid, '--reset',
                  '--max-count', '5').code == 0
    assert manage('verify_instance', '--uuid', first[0]).code == 0


@pytest.mark.parametrize('count', ['0', '-3', 'many'])
def test_map_instances_needs_a_positive_count(manage, api, count):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    result = manage('map_instances', '--cell_uuid', cell_uuid,
                    '--max-count', count)
    assert result.code == 127
    assert 'Must supply a positive value for max-count' in result.err


def test_map_instances_unknown_cell(manage, api):
    result = manage('map_instances', '--cell_uuid', str(uuidlib.uuid4()))
    assert result.code == 1 and 'was not found' in result.err


def test_verify_instance(manage, api, cell_db):
    cell_uuid = _create_cell(manage, '--name', 'cell1')
    live = _add_instance(cell_db)
    deleted = _add_instance(cell_db, deleted=True)
    archived = _add_instance(cell_db)
    manage('map_instances', '--cell_uuid', cell_uuid)
    with cell_db.begin() as conn:
        conn.execute(main_tables.instances.delete().where(
            main_tables.instances.c.uuid == archived))
    unscheduled = str(uuidlib.uuid4())
    with api.begin() as conn:
        conn.execute(api_tables.instance_mappings.insert().values(
            instance_uuid=unscheduled, project_id='p'))
    cases = [(live, 0, 'Instance %s is in cell: cell1 (%s)'
              % (live, cell_uuid)),
             (str(uuidlib.uuid4()), 1, 'is not mapped to a cell (upgrade '
              'is incomplete) or instance does not exist'),
             (unscheduled, 2, 'Instance %s is not mapped to a cell'
              % unscheduled),
             (deleted, 3, 'has been deleted'),
             (archived, 4, 'has been archived')]
    for uuid, code, message in cases:
        result = manage('verify_instance', '--uuid', uuid)
        assert result.code == code, (uuid, result)
        assert message in result.out
        quiet = manage('verify_instance', '--uuid', uuid, '--quiet')
        assert (quiet.code, quiet.out) == (code, '')


# -- the command line itself

def test_bad_arguments_exit_2_without_a_traceback(manage):
    for argv in (('frobnicate',), ('delete_cell',), ('update_cell',)):
        result = manage(*argv)
        assert result.code == 2, (argv, result)
        assert 'Traceback' not in result.err


def test_as_a_process(conf, nova_engines):
    created = nova_manage.run_process(conf, 'cell_v2', 'create_cell',
                                      '--name', 'p1', '--verbose')
    assert created.code == 0, created.err
    listed = nova_manage.run_process(conf, 'cell_v2', 'list_cells')
    assert created.out.strip().splitlines()[-1] in listed.out
    missing = nova_manage.run_process(conf, 'cell_v2', 'delete_cell',
                                      '--cell_uuid', 'nope')
    assert missing.code == 1
    assert missing.err.strip().splitlines()[-1] == (
        'Cell with uuid nope was not found.')
    assert 'Traceback' not in missing.err
