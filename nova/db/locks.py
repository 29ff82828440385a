"""Named locks held for the length of one database transaction.

Counted quotas reserve nothing: a create checks usage, writes its rows,
and checks again. Two creates that recheck at the same time would each
see the other's uncommitted rows missing (or both see both and both
give up). Holding a lock named after the project from before the writes
until the commit makes the rechecks of one project take turns, so each
sees every server accepted before it::

    with engines.api_writer(ctx) as conn:
        locks.hold(conn, 'quota-' + project_id)
        ... write, recheck (raising rolls the writes back) ...

PostgreSQL: a transaction-scoped advisory lock. MariaDB/MySQL: GET_LOCK,
released when the connection goes back to the pool (after the commit;
the lock is the session's, not the transaction's; nova.db.engines sets
that up for every engine it creates). SQLite: writer
transactions are serialized by BEGIN IMMEDIATE already (nova.db.engines).
"""

import hashlib

from oslo_log import log as logging
import sqlalchemy as sa

from nova import exception

LOG = logging.getLogger(__name__)

# Seconds a MariaDB/MySQL caller waits for the lock before giving up.
WAIT_SECONDS = 60

_HELD = 'nova_named_locks'
_RELEASING = '_nova_releases_named_locks'


def _digest(name: str) -> bytes:
    return hashlib.sha1(name.encode('utf-8')).digest()


def hold(conn: sa.engine.Connection, name: str) -> None:
    """Take lock `name` until `conn`'s transaction ends; call it first in
    the transaction, so that what it reads afterwards is newer than the
    previous holder's commit."""
    dialect = conn.dialect.name
    if dialect == 'postgresql':
        key = int.from_bytes(_digest(name)[:8], 'big', signed=True)
        conn.execute(sa.text('SELECT pg_advisory_xact_lock(:key)'),
                     {'key': key})
    elif dialect == 'mysql':
        if not getattr(conn.engine, _RELEASING, False):
            raise RuntimeError('locks.release_at_checkin() was not called '
                               'on this engine when it was created')
        # Lock names are at most 64 characters.
        lock_name = 'nova-' + _digest(name).hex()
        got = conn.execute(sa.text('SELECT GET_LOCK(:name, :wait)'),
                           {'name': lock_name, 'wait': WAIT_SECONDS}
                           ).scalar()
        if got != 1:
            LOG.warning('Waited %ss for lock %s in vain', WAIT_SECONDS, name)
            raise exception.LockTimeout(name=name)
        conn.info.setdefault(_HELD, []).append(lock_name)


def release_at_checkin(engine: sa.engine.Engine) -> None:
    """Make a MariaDB/MySQL engine release the locks hold() took on a
    connection when it goes back to the pool. Call it when the engine is
    created: adding a listener while other threads use the engine races
    with their events."""
    if engine.dialect.name != 'mysql':
        return
    setattr(engine, _RELEASING, True)

    @sa.event.listens_for(engine, 'checkin')
    def _release(dbapi_conn, record):
        held = record.info.pop(_HELD, None) if record is not None else None
        if not held or dbapi_conn is None:
            return
        cursor = dbapi_conn.cursor()
        try:
            for lock_name in held:
                cursor.execute('SELECT RELEASE_LOCK(%s)', (lock_name,))
                cursor.fetchall()
        finally:
            cursor.close()
