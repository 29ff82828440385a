"""Transactions on SQLite: writers take the write lock up front."""

import pytest
import sqlalchemy as sa

from placement import context
from placement import database

pytestmark = pytest.mark.all_databases


def test_sqlite_writers_begin_immediate(placement, db_backend):
    if db_backend != 'sqlite':
        pytest.skip('BEGIN IMMEDIATE is how SQLite writers queue')
    statements = []
    engine = database.get_engine()
    listener = lambda conn, cur, stmt, *a: statements.append(stmt)  # noqa
    sa.event.listen(engine, 'before_cursor_execute', listener)
    try:
        ctx = context.admin_context()
        with database.writer(ctx) as conn:
            conn.execute(sa.text('SELECT 1'))
        with database.reader(ctx) as conn:
            conn.execute(sa.text('SELECT 1'))
    finally:
        sa.event.remove(engine, 'before_cursor_execute', listener)
    assert [s for s in statements if s.startswith('BEGIN')] == [
        'BEGIN IMMEDIATE', 'BEGIN']
