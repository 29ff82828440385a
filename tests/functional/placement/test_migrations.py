"""The alembic migrations build exactly the schema placement/tables.py
describes, on every database backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest
import sqlalchemy as sa

from placement import migration
from placement import tables

pytestmark = pytest.mark.all_databases


def test_migrated_schema_matches_tables(placement_url):
    engine = sa.create_engine(placement_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn),
                                    tables.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_upgrade_is_idempotent(placement_url):
    before = migration.current(placement_url)
    migration.upgrade(placement_url)
    assert migration.current(placement_url) == before == migration.head()
