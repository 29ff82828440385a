"""Alembic environment for Nova's API database.

nova.db.migration builds the configuration in code (script location and
URL), so there is no alembic.ini; this only runs the scripts online.
"""

from alembic import context
import sqlalchemy as sa

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option('sqlalchemy.url')
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
