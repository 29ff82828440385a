"""Writes the API and cell query modules share: inserting a record with
a fresh uuid, refusing updates of columns a caller may not set, and
updating the one row a key picks.

Functions take a Core connection from nova.db.engines and a table of
nova.db.api.tables or nova.db.main.tables.
"""

from typing import Any, Callable, Iterable

from oslo_utils import uuidutils
import sqlalchemy as sa

# Columns the database fills in on insert.
_FILLED_IN = ('id', 'created_at', 'updated_at')


def insert(conn: sa.engine.Connection, table: sa.Table, record: Any,
           fields: Iterable[str]) -> int:
    """Insert the `fields` of `record` but for those the database fills
    in (id, timestamps), with a generated uuid if the record has none;
    returns the new row's id. Raises oslo.db's DBDuplicateEntry if a
    unique constraint refuses the row."""
    values = {name: getattr(record, name) for name in fields
              if name not in _FILLED_IN}
    values['uuid'] = values['uuid'] or uuidutils.generate_uuid()
    key = conn.execute(table.insert().values(**values)).inserted_primary_key
    assert key is not None  # set by every single-row insert
    return key[0]


def check_columns(values: dict[str, Any], allowed: Iterable[str],
                  message: str) -> None:
    """ValueError(`message` % the names, sorted and comma separated) if
    `values` names a column outside `allowed`: a caller's bug, never a
    user's input."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(message % ', '.join(sorted(unknown)))


def update_one(conn: sa.engine.Connection, table: sa.Table,
               where: Any, values: dict[str, Any],
               not_found: Callable[[], Exception]) -> None:
    """Set `values` (none: nothing to do) on the row `where` picks;
    raises `not_found()` if there is no such row."""
    if values and not conn.execute(
            table.update().where(where).values(**values)).rowcount:
        raise not_found()
