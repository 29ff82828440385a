"""Schema migrations of the placement database (alembic/placement)."""

import os

from servicekit import migration
from servicekit import sqlite

SCRIPT_LOCATION = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'alembic', 'placement')


def upgrade(url: str, revision: str = 'head') -> None:
    """Bring the database at `url` up to `revision` of its schema."""
    sqlite.ensure_dir(url)
    migration.upgrade(SCRIPT_LOCATION, url, revision)


def head() -> str:
    """The newest revision the migration scripts define."""
    return migration.head(SCRIPT_LOCATION)


def current(url: str) -> str | None:
    """The revision the database at `url` is at (None: never migrated)."""
    return migration.current(url)
