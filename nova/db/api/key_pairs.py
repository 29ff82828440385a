"""Queries on key_pairs: a user's key pairs, unique by name per user,
listed (and paged) in the order they were created."""

from typing import Any

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova.db.api import tables
from nova import exception
from nova.objects.keypair import KeyPair

_kp = tables.key_pairs


def _from_row(row: Any) -> KeyPair:
    m = row._mapping
    return KeyPair(id=m['id'], name=m['name'], user_id=m['user_id'],
                   fingerprint=m['fingerprint'], public_key=m['public_key'],
                   type=m['type'], created_at=m['created_at'],
                   updated_at=m['updated_at'])


def get(conn: sa.engine.Connection, user_id: str, name: str) -> KeyPair:
    row = conn.execute(sa.select(_kp).where(
        _kp.c.user_id == user_id, _kp.c.name == name)).first()
    if row is None:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
    return _from_row(row)


def list_by_user(conn: sa.engine.Connection, user_id: str,
                 limit: int | None = None,
                 marker: str | None = None) -> list[KeyPair]:
    """The user's key pairs by id; after the one named `marker`
    (MarkerNotFound if the user has none of that name)."""
    query = sa.select(_kp).where(_kp.c.user_id == user_id)
    if marker is not None:
        after = conn.execute(sa.select(_kp.c.id).where(
            _kp.c.user_id == user_id, _kp.c.name == marker)).scalar()
        if after is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(_kp.c.id > after)
    query = query.order_by(_kp.c.id)
    if limit is not None:
        query = query.limit(limit)
    return [_from_row(row) for row in conn.execute(query)]


def count_by_user(conn: sa.engine.Connection, user_id: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(_kp).where(
        _kp.c.user_id == user_id)).scalar_one()


def create(conn: sa.engine.Connection, keypair: KeyPair) -> KeyPair:
    """Insert `keypair`; KeyPairExists if the user has one of that name."""
    try:
        conn.execute(_kp.insert().values(
            name=keypair.name, user_id=keypair.user_id,
            fingerprint=keypair.fingerprint, public_key=keypair.public_key,
            type=keypair.type))
    except db_exc.DBDuplicateEntry:
        raise exception.KeyPairExists(key_name=keypair.name)
    return get(conn, keypair.user_id, keypair.name)


def delete(conn: sa.engine.Connection, user_id: str, name: str) -> None:
    """KeypairNotFound if the user has no key pair of that name."""
    deleted = conn.execute(_kp.delete().where(
        _kp.c.user_id == user_id, _kp.c.name == name))
    if not deleted.rowcount:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
