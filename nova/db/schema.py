"""Column types and column groups shared by the API and cell schemas.

Both table modules build on these so that a timestamp, a soft-delete flag or
a large text column means the same thing everywhere. The alembic migrations
deliberately do not import this module: a migration is a frozen snapshot,
and must not change when a helper here does.
"""

import sqlalchemy as sa
from oslo_utils import timeutils
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql


def medium_text() -> sa.types.TypeEngine:
    """TEXT, but MEDIUMTEXT (16 MiB) on MySQL, whose TEXT stops at 64 KiB.

    Serialized instances, request specs and network info outgrow 64 KiB.
    """
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


def ip_address() -> sa.types.TypeEngine:
    """An IPv4 or IPv6 address: VARCHAR(39), PostgreSQL's own INET there."""
    return sa.String(39).with_variant(postgresql.INET(), 'postgresql')


def timestamps() -> list[sa.Column]:
    """created_at / updated_at, filled in by Core inserts and updates.

    Naive UTC datetimes, as every OpenStack database stores them.
    """
    return [sa.Column('created_at', sa.DateTime, default=timeutils.utcnow),
            sa.Column('updated_at', sa.DateTime, onupdate=timeutils.utcnow)]


def soft_delete() -> list[sa.Column]:
    """deleted / deleted_at, for rows that are kept after deletion.

    A live row has deleted = 0; deleting it sets deleted to the row's id, so
    unique constraints that include ``deleted`` still admit a new live row
    with the same name next to any number of deleted ones. The server-side
    default keeps rows written by hand (or by other tools) live too.
    """
    return [sa.Column('deleted_at', sa.DateTime),
            sa.Column('deleted', sa.Integer, default=0, server_default='0')]
