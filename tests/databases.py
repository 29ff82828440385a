"""Fresh, empty databases for tests on SQLite, MariaDB and PostgreSQL.

MariaDB and PostgreSQL tests skip when the server is unreachable, except
under CI (CI=true), where they fail: CI must exercise every backend.
"""

from collections.abc import Callable
import os
import socket
from typing import Any
import uuid

import pytest
import sqlalchemy as sa

ALL_BACKENDS = ('sqlite', 'mysql', 'postgresql')
# TEST_DATABASES=sqlite (tools/run-tests.sh --quick) narrows the matrix.
BACKENDS = tuple(
    name for name in os.environ.get('TEST_DATABASES', ','.join(ALL_BACKENDS))
    .split(',') if name in ALL_BACKENDS) or ALL_BACKENDS
PLACEMENT_CUSTOM_RC_START = 10000
PLACEMENT_CUSTOM_PREFIX = 'CUSTOM_'
_PORTS = {'mysql': 3306, 'postgresql': 5432, 'rabbitmq': 5672}


def service_up(name: str) -> bool:
    try:
        socket.create_connection(('127.0.0.1', _PORTS[name]), 1).close()
        return True
    except OSError:
        return False


def require_service(name: str) -> None:
    if service_up(name):
        return
    if os.environ.get('CI'):
        pytest.fail('%s is not reachable on 127.0.0.1:%d and CI requires it'
                    % (name, _PORTS[name]))
    pytest.skip('%s is not running on 127.0.0.1:%d' % (name, _PORTS[name]))


def create(backend: str, tmp_path, prefix: str = 'test') -> str:
    """Create an empty database and return its URL."""
    name = '%s_%s' % (prefix, uuid.uuid4().hex[:12])
    if backend == 'sqlite':
        return 'sqlite:///%s' % (tmp_path / (name + '.sqlite'))
    require_service(backend)
    if backend == 'mysql':
        admin = 'mysql+pymysql://root@127.0.0.1:3306/'
        url = admin + name + '?charset=utf8mb4'
        ddl = 'CREATE DATABASE `%s` CHARACTER SET utf8mb4' % name
    else:
        admin = 'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres'
        url = 'postgresql+psycopg2://postgres@127.0.0.1:5432/' + name
        ddl = 'CREATE DATABASE "%s"' % name
    engine = sa.create_engine(admin, isolation_level='AUTOCOMMIT')
    with engine.connect() as conn:
        conn.execute(sa.text(ddl))
    engine.dispose()
    return url


def deletes(metadata: sa.MetaData,
            keep: dict[str, Callable[[sa.Table], Any]] | None = None
            ) -> list[sa.Delete]:
    """The DELETEs that empty `metadata`'s tables, children before
    parents, except the rows `keep` names (table name -> condition)."""
    out = []
    for table in reversed(metadata.sorted_tables):
        delete = table.delete()
        if keep and table.name in keep:
            delete = delete.where(sa.not_(keep[table.name](table)))
        out.append(delete)
    return out


def empty(url: str, metadata: sa.MetaData,
          keep: dict[str, Callable[[sa.Table], Any]] | None = None) -> None:
    """Run those DELETEs on the database at `url`."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == 'mysql':
                # Self-referencing rows (a provider's root) are checked row
                # by row there; the whole table goes, so skip the checks.
                conn.execute(sa.text('SET FOREIGN_KEY_CHECKS=0'))
            for delete in deletes(metadata, keep):
                conn.execute(delete)
    finally:
        engine.dispose()


def placement_standard_rows() -> dict[str, Callable[[sa.Table], Any]]:
    """The rows placement writes for itself once per process (standard
    resource classes and traits): emptying keeps them, so that a running
    placement's "already synced" memory stays true."""
    # Literal values: importing placement.objects would cost the server
    # script a second per reset. tests/unit/placement checks them.
    return {
        'resource_classes': lambda t: t.c.id < PLACEMENT_CUSTOM_RC_START,
        'traits': lambda t: sa.not_(t.c.name.startswith(
            PLACEMENT_CUSTOM_PREFIX)),
    }


def drop(url: str) -> None:
    u = sa.engine.make_url(url)
    if u.get_backend_name() == 'sqlite':
        return
    if u.get_backend_name() == 'mysql':
        admin = u.set(database=None)
        ddl = 'DROP DATABASE IF EXISTS `%s`' % u.database
    else:
        admin = u.set(database='postgres')
        ddl = 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % u.database
    engine = sa.create_engine(admin, isolation_level='AUTOCOMMIT')
    with engine.connect() as conn:
        conn.execute(sa.text(ddl))
    engine.dispose()
