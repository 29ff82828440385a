"""Schema migrations of the placement database (alembic/placement)."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

from placement import database

SCRIPT_LOCATION = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'alembic', 'placement')


def _config(url: str) -> alembic_config.Config:
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', SCRIPT_LOCATION)
    cfg.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    return cfg


def upgrade(url: str, revision: str = 'head') -> None:
    database.ensure_sqlite_dir(url)
    command.upgrade(_config(url), revision)


def head() -> str:
    """The newest revision the migration scripts define."""
    return alembic_script.ScriptDirectory.from_config(
        _config('sqlite://')).get_current_head()


def current(url: str) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return alembic_migration.MigrationContext.configure(
                conn).get_current_revision()
    finally:
        engine.dispose()
