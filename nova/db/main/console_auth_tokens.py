"""Remote console tokens in a cell database. Only the token's SHA-256 is
stored; a token is valid until `expires` (a Unix time), after which it is
as good as absent and cleaned up on the next write for its host."""

import dataclasses
import hashlib
import time
from typing import Any

import sqlalchemy as sa

from nova.db.main import tables

_t = tables.console_auth_tokens


@dataclasses.dataclass
class ConsoleAuthToken:
    console_type: str
    host: str
    port: int
    internal_access_path: str | None
    access_url_base: str | None
    instance_uuid: str
    expires: int


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(conn: sa.engine.Connection, token: str,
           record: ConsoleAuthToken) -> None:
    """Store `record` under `token`, and drop the host's expired tokens."""
    conn.execute(_t.delete().where(_t.c.host == record.host,
                                   _t.c.expires <= int(time.time())))
    conn.execute(_t.insert().values(token_hash=token_hash(token),
                                    **dataclasses.asdict(record)))


def validate(conn: sa.engine.Connection,
             token: str) -> ConsoleAuthToken | None:
    """The unexpired record of `token`, or None."""
    row: Any = conn.execute(sa.select(_t).where(
        _t.c.token_hash == token_hash(token),
        _t.c.expires > int(time.time()))).first()
    if row is None:
        return None
    return ConsoleAuthToken(**{f.name: getattr(row, f.name)
                               for f in dataclasses.fields(ConsoleAuthToken)})


def delete_by_instance(conn: sa.engine.Connection, uuid: str) -> None:
    """Revoke every token of the instance (it is being deleted)."""
    conn.execute(_t.delete().where(_t.c.instance_uuid == uuid))
