"""The alembic migrations build exactly the schemas the tables modules
describe, on every backend, and re-running them changes nothing."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest
import sqlalchemy as sa

from nova.db import migration
from nova.db.api import tables as api_tables
from nova.db.main import tables as main_tables

pytestmark = pytest.mark.all_databases

SCHEMAS = {'api': api_tables.metadata, 'main': main_tables.metadata}


def _diff(url: str, metadata: sa.MetaData) -> list:
    """Differences in tables, columns, types, nullability, server defaults,
    indexes, unique constraints and foreign keys."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={
                'compare_type': True, 'compare_server_default': True})
            return compare_metadata(ctx, metadata)
    finally:
        engine.dispose()


def test_api_schema_matches_tables(nova_api_url):
    assert _diff(nova_api_url, api_tables.metadata) == []


def test_cell_schema_matches_tables(nova_cell_url):
    assert _diff(nova_cell_url, main_tables.metadata) == []


def _upgrade_again_changes_nothing(url: str, database: str) -> None:
    engine = sa.create_engine(url)
    try:
        before = sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert migration.current(url, database) == migration.head(database)

    migration.upgrade(url, database)

    assert migration.current(url, database) == migration.head(database)
    engine = sa.create_engine(url)
    try:
        assert sorted(sa.inspect(engine).get_table_names()) == before
    finally:
        engine.dispose()
    assert _diff(url, SCHEMAS[database]) == []


def test_api_upgrade_again_is_a_no_op(nova_api_url):
    _upgrade_again_changes_nothing(nova_api_url, 'api')


def test_cell_upgrade_again_is_a_no_op(nova_cell_url):
    _upgrade_again_changes_nothing(nova_cell_url, 'main')


def test_unknown_database_is_refused():
    with pytest.raises(ValueError):
        migration.head('placement')


def test_cell_tables_soft_delete_like_upstream(nova_cell_url):
    engine = sa.create_engine(nova_cell_url)
    try:
        inspector = sa.inspect(engine)
        for table in main_tables.metadata.sorted_tables:
            columns = {c['name']: c for c in inspector.get_columns(table.name)}
            if table.name == 'tags':
                assert 'deleted' not in columns
                assert 'created_at' not in columns
                continue
            if table.name == 'console_auth_tokens':
                # Deleted outright once expired, as upstream.
                assert 'deleted' not in columns
                continue
            assert isinstance(columns['deleted']['type'], sa.Integer), table
            assert isinstance(columns['deleted_at']['type'],
                              sa.DateTime), table
            assert columns['deleted']['default'] is not None, table
    finally:
        engine.dispose()
    assert set(main_tables.SOFT_DELETED) == (
        set(main_tables.metadata.tables) - {'tags', 'console_auth_tokens'}
        - {t.name for t in main_tables.SHADOWS.values()})


def test_api_tables_do_not_soft_delete(nova_api_url):
    engine = sa.create_engine(nova_api_url)
    try:
        inspector = sa.inspect(engine)
        for name in api_tables.metadata.tables:
            columns = {c['name'] for c in inspector.get_columns(name)}
            assert {'created_at', 'updated_at'} <= columns, name
            assert not columns & {'deleted', 'deleted_at'}, name
    finally:
        engine.dispose()


def test_server_list_indexes_end_in_uuid_tiebreak():
    indexes = {i.name: [c.name for c in i.columns]
               for i in main_tables.instances.indexes}
    assert indexes['instances_project_id_deleted_created_at_uuid_idx'] == [
        'project_id', 'deleted', 'created_at', 'uuid']
    assert indexes['instances_deleted_created_at_uuid_idx'] == [
        'deleted', 'created_at', 'uuid']
