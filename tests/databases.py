"""Fresh, empty databases for tests on SQLite, MariaDB and PostgreSQL.

MariaDB and PostgreSQL tests skip when the server is unreachable, except
under CI (CI=true), where they fail: CI must exercise every backend.
"""

import os
import socket
import uuid

import pytest
import sqlalchemy as sa

BACKENDS = ('sqlite', 'mysql', 'postgresql')
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
