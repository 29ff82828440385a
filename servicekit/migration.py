"""Running an alembic environment programmatically (no alembic.ini)."""

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa


def config(script_location: str, url: str) -> alembic_config.Config:
    """An alembic Config for the environment at `script_location` run
    against the database at `url`."""
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', script_location)
    # ConfigParser interpolation: a literal % in a password must be doubled.
    cfg.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    return cfg


def upgrade(script_location: str, url: str, revision: str = 'head') -> None:
    """Bring the database at `url` up to `revision`; nothing to do at the
    head already."""
    command.upgrade(config(script_location, url), revision)


def head(script_location: str) -> str:
    """The newest revision the environment's scripts define."""
    revision = alembic_script.ScriptDirectory.from_config(
        config(script_location, 'sqlite://')).get_current_head()
    # Every environment we ship has scripts; None means an empty one.
    assert revision is not None, 'no revisions in %s' % script_location
    return revision


def current(url: str) -> str | None:
    """The revision the database at `url` is at (None: never migrated)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return alembic_migration.MigrationContext.configure(
                conn).get_current_revision()
    finally:
        engine.dispose()
