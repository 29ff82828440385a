"""nova-manage api_db and db: schema sync and version, on each backend."""

import pytest

from nova.db import engines
from nova.db import migration
from tests import databases
from tests.functional.nova import nova_manage

pytestmark = pytest.mark.all_databases


@pytest.fixture
def fresh(nova_backend, tmp_path):
    """Empty API, cell and cell0 databases and a configuration naming
    the first two."""
    urls = [databases.create(nova_backend, tmp_path, prefix)
            for prefix in ('mapi', 'mcell', 'mcell0')]
    engines.reset_for_tests()
    conf = nova_manage.write_conf(tmp_path / 'nova.conf', api=urls[0],
                                  cell=urls[1])
    yield conf, *urls
    engines.reset_for_tests()
    for url in urls:
        databases.drop(url)


def test_api_db_sync_and_version(fresh):
    conf, api, _, _ = fresh
    assert nova_manage.run(conf, 'api_db', 'version').out.strip() == 'None'
    synced = nova_manage.run(conf, 'api_db', 'sync')
    assert synced.code == 0, synced.err
    version = nova_manage.run(conf, 'api_db', 'version')
    assert (version.code, version.out.strip()) == (0, migration.head('api'))
    assert nova_manage.run(conf, 'api_db', 'sync').code == 0


def test_db_sync_syncs_the_cell_and_cell0(fresh):
    conf, api, cell, cell0 = fresh
    head = migration.head('main')
    # Without the API database, cell0 cannot be found.
    failed = nova_manage.run(conf, 'db', 'sync')
    assert failed.code == 1
    assert 'ERROR: Could not access cell0.' in failed.err
    assert migration.current(cell, 'main') is None
    # Without a cell0 mapping, only the local cell.
    nova_manage.run(conf, 'api_db', 'sync')
    unmapped = nova_manage.run(conf, 'db', 'sync')
    assert unmapped.code == 0, unmapped.err
    assert 'WARNING: cell0 mapping not found - not syncing cell0.' in (
        unmapped.out)
    assert migration.current(cell, 'main') == head
    # --local_cell never looks for cell0.
    assert nova_manage.run(conf, 'cell_v2', 'map_cell0',
                           '--database_connection', cell0).code == 0
    assert nova_manage.run(conf, 'db', 'sync', '--local_cell').code == 0
    assert migration.current(cell0, 'main') is None
    synced = nova_manage.run(conf, 'db', 'sync')
    assert synced.code == 0, synced.err
    assert migration.current(cell0, 'main') == head
    version = nova_manage.run(conf, 'db', 'version')
    assert (version.code, version.out.strip()) == (0, head)


def test_sync_to_a_given_version(fresh):
    conf, api, cell, _ = fresh
    target = _revisions('main')[0]
    result = nova_manage.run(conf, 'db', 'sync', '--local_cell', target)
    assert result.code == 0, result.err
    assert migration.current(cell, 'main') == target
    bogus = nova_manage.run(conf, 'db', 'sync', '--local_cell', 'nope')
    assert bogus.code == 1
    assert 'Cannot sync to version nope' in bogus.err
    assert 'Traceback' not in bogus.err


def _revisions(database):
    from alembic import script as alembic_script
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option('script_location', migration.script_location(database))
    scripts = alembic_script.ScriptDirectory.from_config(cfg)
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def test_missing_connections_are_reported(tmp_path):
    conf = nova_manage.write_conf(tmp_path / 'empty.conf')
    for argv, option in ((('api_db', 'sync'), '[api_database]'),
                         (('db', 'version'), '[database]')):
        result = nova_manage.run(conf, *argv)
        assert result.code == 1
        assert option in result.err and 'Traceback' not in result.err


def test_as_a_process(fresh):
    conf, api, cell, _ = fresh
    synced = nova_manage.run_process(conf, 'api_db', 'sync')
    assert synced.code == 0, synced.err
    version = nova_manage.run_process(conf, 'api_db', 'version')
    assert version.out.strip() == migration.head('api')
    bad = nova_manage.run_process(conf, 'db', 'frob')
    assert bad.code == 2 and 'invalid choice' in bad.err
