"""Create, migrate and empty a placement database (used by the server
script and the test fixtures).

    python tools/placement_db.py reset URL
"""

import sys

import sqlalchemy as sa

from placement import migration
from placement import tables


def ensure_database(url: str) -> None:
    """Create the database named in `url` if the server lacks it."""
    u = sa.engine.make_url(url)
    if u.get_backend_name() == 'sqlite':
        return
    # URL.set() ignores None, so MySQL needs a real database to start in.
    admin_db = 'postgres' if u.get_backend_name() == 'postgresql' else 'mysql'
    engine = sa.create_engine(u.set(database=admin_db),
                              isolation_level='AUTOCOMMIT')
    with engine.connect() as conn:
        if u.get_backend_name() == 'postgresql':
            exists = conn.execute(sa.text(
                'SELECT 1 FROM pg_database WHERE datname = :n'),
                {'n': u.database}).scalar()
            if not exists:
                conn.execute(sa.text('CREATE DATABASE "%s"' % u.database))
        else:
            conn.execute(sa.text(
                'CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4'
                % u.database))
    engine.dispose()


def empty(url: str) -> None:
    """Delete every row, children before parents."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == 'mysql':
            conn.execute(sa.text('SET FOREIGN_KEY_CHECKS=0'))
        for table in reversed(tables.metadata.sorted_tables):
            if table.name == 'resource_providers':
                conn.execute(table.update().values(root_provider_id=None,
                                                   parent_provider_id=None))
            conn.execute(table.delete())
        if engine.dialect.name == 'mysql':
            conn.execute(sa.text('SET FOREIGN_KEY_CHECKS=1'))
    engine.dispose()


def reset(url: str) -> None:
    ensure_database(url)
    migration.upgrade(url)
    empty(url)


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] != 'reset':
        sys.exit(__doc__)
    reset(sys.argv[2])
