"""Fixtures for Nova's database tests: a migrated API database and a
migrated cell database on each backend, more SQLite cell databases on
demand, and cells mapped onto them.

Creating and migrating a database takes seconds on MariaDB, so each backend
gets one API and one cell database for the whole session; `nova_engines`
empties them again after every test that writes. Further cells (cell0,
cell2) are SQLite files copied from one database migrated per session.
"""

from collections.abc import Callable
import shutil
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from tests import databases


def _migrated(backend: str, tmp_path, prefix: str, database: str) -> str:
    from nova.db import migration
    url = databases.create(backend, tmp_path, prefix)
    try:
        migration.upgrade(url, database)
    except BaseException:
        databases.drop(url)
        raise
    return url


@pytest.fixture(scope='session')
def nova_backend(request):
    """The backend of the API and cell databases (parametrised by
    tests/conftest.py: SQLite, or all three under all_databases)."""
    return request.param


@pytest.fixture(scope='session')
def nova_api_url(nova_backend, tmp_path_factory):
    """An API database at the head of alembic/api."""
    url = _migrated(nova_backend, tmp_path_factory.mktemp('nova_api'),
                    'nova_api', 'api')
    yield url
    databases.drop(url)


@pytest.fixture(scope='session')
def nova_cell_url(nova_backend, tmp_path_factory):
    """A cell database at the head of alembic/main."""
    url = _migrated(nova_backend, tmp_path_factory.mktemp('nova_cell'),
                    'nova_cell', 'main')
    yield url
    databases.drop(url)


@pytest.fixture
def nova_engines(nova_api_url, nova_cell_url):
    """nova.db.engines pointed at the API database, both databases empty
    afterwards."""
    from nova.db import engines
    from nova.db.api import tables as api_tables
    from nova.db.main import tables as main_tables
    engines.reset_for_tests()
    engines.configure(api_connection=nova_api_url)
    yield engines
    engines.reset_for_tests()
    databases.empty(nova_api_url, api_tables.metadata)
    databases.empty(nova_cell_url, main_tables.metadata)


@pytest.fixture
def api(nova_engines, nova_api_url):
    """An engine on the (emptied after the test) API database, for
    arranging and checking rows directly."""
    engine = sa.create_engine(nova_api_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def cell_db(nova_engines, nova_cell_url):
    """The same on the cell database."""
    engine = sa.create_engine(nova_cell_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope='session')
def sqlite_cell_template(tmp_path_factory):
    """A SQLite cell database at the head of alembic/main, to copy."""
    from nova.db import migration
    path = tmp_path_factory.mktemp('cell_template') / 'cell.db'
    migration.upgrade('sqlite:///%s' % path, 'main')
    return path


@pytest.fixture
def new_cell_db(sqlite_cell_template, tmp_path) -> Callable[[str], str]:
    """new_cell_db('cell2') -> the URL of a new, migrated SQLite cell
    database for this test."""
    def make(name: str) -> str:
        path = tmp_path / ('%s.db' % name)
        index = 1
        while path.exists():
            index += 1
            path = tmp_path / ('%s-%d.db' % (name, index))
        shutil.copyfile(sqlite_cell_template, path)
        return 'sqlite:///%s' % path
    return make


def map_cells(urls: dict[str, str], transport_url: str = 'fake://') -> dict:
    """Map a cell per name -> database URL in the API database; the
    mappings by name."""
    from nova import cells
    from nova.db.api import cell_mappings
    from nova.db import engines
    from nova.objects.cell_mapping import CellMapping
    mapped = {}
    with engines.api_writer() as conn:
        for name, url in urls.items():
            mapped[name] = cell_mappings.create(conn, CellMapping(
                uuid=str(uuidlib.uuid4()), name=name,
                transport_url=transport_url, database_connection=url))
    cells.reset_cache()
    return mapped


@pytest.fixture
def cloud_conf(placement_server):
    """CONF for an in-process cloud: the fake transport, the module's
    placement, noauth2, allocation ratios of 1 and nothing reserved."""
    from nova import policy
    from tests import nova_services
    with nova_services.configured(
            transport_url='fake://', reserved_host_memory_mb=0,
            cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
            disk_allocation_ratio=1.0, api__auth_strategy='noauth2',
            placement__endpoint_override=placement_server.url) as conf:
        policy.reset()
        yield conf
        policy.reset()


@pytest.fixture
def new_cloud(cloud_conf, nova_engines, nova_cell_url, new_cell_db):
    """new_cloud() -> a started tests.nova_cloud.NovaCloud with no
    compute: scheduler, super conductor, cell1 on the backend's cell
    database (on the API's queue) and cell0 on SQLite. Stopped after the
    test."""
    from tests import nova_cloud
    made = []

    def start():
        cloud = nova_cloud.NovaCloud(new_cell_db('cell0'),
                                     {'cell1': (nova_cell_url, None)})
        made.append(cloud)
        cloud.start()
        return cloud
    yield start
    for cloud in made:
        cloud.stop()


@pytest.fixture
def two_cells(nova_engines, nova_cell_url, new_cell_db):
    """{'cell1': mapping on the backend's cell database, 'cell2': mapping
    on a new SQLite one}, no service running (transport fake://)."""
    from nova import availability_zones
    from nova import cells
    yield map_cells({'cell1': nova_cell_url, 'cell2': new_cell_db('cell2')})
    cells.reset_cache()
    availability_zones.reset_cache()


@pytest.fixture(scope='session')
def cinder(tmp_path_factory):
    """A real Cinder for this test process (tests/cinder_service.py)."""
    from tests import cinder_service
    service = cinder_service.started(tmp_path_factory)
    yield service
    service.stop()
