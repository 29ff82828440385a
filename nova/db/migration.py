"""Schema migrations of Nova's databases.

Two alembic environments: ``alembic/api`` for the API database and
``alembic/main`` for every cell database (cell0 included). ``nova-manage
api_db sync`` and ``db sync`` call `upgrade` with the right one; upgrading a
database that is already at the head does nothing.
"""

import os
from typing import Literal

from servicekit import migration

Database = Literal['api', 'main']
DATABASES: tuple[Database, ...] = ('api', 'main')

_ALEMBIC_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'alembic')


def script_location(database: Database) -> str:
    if database not in DATABASES:
        raise ValueError('database must be one of %s, not %r'
                         % (', '.join(DATABASES), database))
    return os.path.join(_ALEMBIC_DIR, database)


def upgrade(url: str, database: Database = 'api',
            revision: str = 'head') -> None:
    """Bring the database at `url` up to `revision` of its schema."""
    migration.upgrade(script_location(database), url, revision)


def head(database: Database = 'api') -> str:
    """The newest revision the database's migration scripts define."""
    return migration.head(script_location(database))


def current(url: str, database: Database = 'api') -> str | None:
    """The revision the database at `url` is at (None: never migrated).

    `database` only validates the caller's intent: both environments keep
    their revision in the same alembic_version table, as upstream's do.
    """
    script_location(database)
    return migration.current(url)
