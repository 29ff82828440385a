"""SQLite as a multi-threaded, multi-process service database.

Every connection runs in WAL mode with a busy timeout, and a transaction a
thread opens for writing starts with BEGIN IMMEDIATE, so that concurrent
writers queue for the database lock instead of failing when a reader tries
to upgrade its lock mid-transaction::

    intent = sqlite.WriteIntent()
    facade.append_on_engine_create(
        lambda engine: sqlite.set_up_engine(engine, 30000, intent))
    with intent.writing(), facade.writer.connection.using(ctx) as conn:
        ...
"""

from collections.abc import Iterator
import contextlib
import os
import threading

import sqlalchemy as sa


def is_sqlite(url: str) -> bool:
    """Whether `url` names an SQLite database."""
    return sa.engine.make_url(url).get_backend_name() == 'sqlite'


def ensure_dir(url: str) -> None:
    """Create the directory of an SQLite file: SQLite creates the file,
    not its directory. Other URLs and :memory: are left alone."""
    path = sa.engine.make_url(url).database
    if path and path != ':memory:':
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)


class WriteIntent:
    """Per thread: is this thread opening a writer transaction?"""

    def __init__(self) -> None:
        self._local = threading.local()

    def __bool__(self) -> bool:
        return getattr(self._local, 'writing', False)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Mark transactions begun inside the block as writers."""
        outer = bool(self)
        self._local.writing = True
        try:
            yield
        finally:
            self._local.writing = outer


def set_up_engine(engine: sa.engine.Engine, busy_timeout_ms: int,
                  intent: WriteIntent) -> None:
    """WAL, synchronous=NORMAL and a busy timeout on each connection of an
    oslo.db SQLite engine; BEGIN IMMEDIATE while `intent` says writing."""

    @sa.event.listens_for(engine, 'connect')
    def _connect(dbapi_conn, record):
        cur = dbapi_conn.cursor()
        cur.execute('PRAGMA journal_mode=WAL')
        cur.execute('PRAGMA synchronous=NORMAL')
        cur.execute('PRAGMA busy_timeout=%d' % busy_timeout_ms)
        cur.close()

    # This takes over from oslo.db's own BEGIN listener (which always says
    # plain BEGIN); oslo.db's commit/rollback listener still clears the
    # marker. Removing beats ordering: SQLAlchemy 2.1 ignores insert=True
    # for engine events.
    for fn in list(engine.dispatch.begin):
        if getattr(fn, '__name__', None) == '_sqlite_emit_begin':
            sa.event.remove(engine, 'begin', fn)

    @sa.event.listens_for(engine, 'begin')
    def _begin(conn):
        if 'in_transaction' not in conn.info:
            conn.exec_driver_sql('BEGIN IMMEDIATE' if intent else 'BEGIN')
            conn.info['in_transaction'] = True
