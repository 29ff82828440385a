"""Alembic environment for the placement database."""

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
