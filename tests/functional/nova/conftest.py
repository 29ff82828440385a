"""Fixtures for Nova's database tests: a migrated API database and a
migrated cell database on each backend.

Creating and migrating a database takes seconds on MariaDB, so each backend
gets one API and one cell database for the whole session; `nova_engines`
empties them again after every test that writes.
"""

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


def _empty(url: str, metadata: sa.MetaData) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())
    finally:
        engine.dispose()


@pytest.fixture(scope='session', params=databases.BACKENDS)
def nova_backend(request):
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
    _empty(nova_api_url, api_tables.metadata)
    _empty(nova_cell_url, main_tables.metadata)


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
