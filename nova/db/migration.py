"""Schema migrations of Nova's databases.

Two alembic environments: ``alembic/api`` for the API database and
``alembic/main`` for every cell database (cell0 included). ``nova-manage
api_db sync`` and ``db sync`` call `upgrade` with the right one; upgrading a
database that is already at the head does nothing.
"""

import os
from typing import Literal

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

Database = Literal['api', 'main']
DATABASES: tuple[Database, ...] = ('api', 'main')

_ALEMBIC_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'alembic')


def script_location(database: Database) -> str:
    if database not in DATABASES:
        raise ValueError('database must be one of %s, not %r'
                         % (', '.join(DATABASES), database))
    return os.path.join(_ALEMBIC_DIR, database)


def _config(url: str, database: Database) -> alembic_config.Config:
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', script_location(database))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    cfg.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    return cfg


def upgrade(url: str, database: Database = 'api',
            revision: str = 'head') -> None:
    """Bring the database at `url` up to `revision` of its schema."""
    command.upgrade(_config(url, database), revision)


def head(database: Database = 'api') -> str:
    """The newest revision the database's migration scripts define."""
    return alembic_script.ScriptDirectory.from_config(
        _config('sqlite://', database)).get_current_head()


def current(url: str, database: Database = 'api') -> str | None:
    """The revision the database at `url` is at (None: never migrated).

    `database` only validates the caller's intent: both environments keep
    their revision in the same alembic_version table, as upstream's do.
    """
    script_location(database)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return alembic_migration.MigrationContext.configure(
                conn).get_current_revision()
    finally:
        engine.dispose()
