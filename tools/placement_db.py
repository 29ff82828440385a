"""Create, migrate and empty a placement database (used by the server
script; the test fixtures use the same emptying).

    python tools/placement_db.py reset URL      create if missing, migrate,
                                                empty
    python tools/placement_db.py empty URL      delete every row placement
                                                did not write for itself
    python tools/placement_db.py empty-sql URL  print that as a script for
                                                the database's own client
"""

from pathlib import Path
import sys

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placement import tables  # noqa: E402
from tests import databases  # noqa: E402


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
    """Every row goes but the standard resource classes and traits, which
    a running placement wrote once and will not write again."""
    databases.empty(url, tables.metadata,
                    keep=databases.placement_standard_rows())


def empty_sql(url: str) -> None:
    """Print the emptying as SQL for sqlite3, mysql or psql: a reset
    between two conformance files then costs no Python start-up."""
    # Named parameters: no %-doubling in the literal SQL.
    dialect = sa.engine.make_url(url).get_dialect()(paramstyle='named')
    begin = {'sqlite': '.timeout 30000\nBEGIN IMMEDIATE;',
             'mysql': 'SET FOREIGN_KEY_CHECKS=0;\nBEGIN;'}
    print(begin.get(dialect.name, 'BEGIN;'))
    for delete in databases.deletes(tables.metadata,
                                    databases.placement_standard_rows()):
        print('%s;' % delete.compile(
            dialect=dialect, compile_kwargs={'literal_binds': True}))
    print('COMMIT;')


def reset(url: str) -> None:
    from placement import migration
    ensure_database(url)
    migration.upgrade(url)
    empty(url)


if __name__ == '__main__':
    actions = {'reset': reset, 'empty': empty, 'empty-sql': empty_sql}
    if len(sys.argv) != 3 or sys.argv[1] not in actions:
        sys.exit(__doc__)
    actions[sys.argv[1]](sys.argv[2])
