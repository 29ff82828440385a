"""Connections and transactions on the placement database.

Handlers and objects use `reader(ctx)` / `writer(ctx)`:

    with database.writer(ctx) as conn:
        conn.execute(...)

On SQLite a writer begins with BEGIN IMMEDIATE so that writers from several
uWSGI processes queue on the database lock instead of failing when a reader
tries to upgrade its lock.
"""

import contextlib
import threading

from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
import sqlalchemy as sa

from placement.conf import CONF
from servicekit import sqlite
from servicekit import urls

LOG = logging.getLogger(__name__)

_facade = enginefacade.transaction_context()
_configured = False
_configure_lock = threading.Lock()
_intent = sqlite.WriteIntent()


def configure(conf=CONF) -> None:
    """Point the engine at conf's database, once per process."""
    global _configured
    with _configure_lock:
        if _configured:
            return
        url = conf.placement_database.connection
        # thread_checkin would sleep(0) at every connection checkin, a
        # yield meant for eventlet, which placement does not use.
        kwargs = {'connection': url, 'sqlite_fk': False,
                  'thread_checkin': False}
        if url.startswith('sqlite'):
            sqlite.ensure_dir(url)
        else:
            kwargs.update(
                max_pool_size=conf.placement_database.max_pool_size,
                max_overflow=conf.placement_database.max_overflow,
                pool_timeout=conf.placement_database.pool_timeout)
        _facade.configure(**kwargs)
        _facade.append_on_engine_create(_on_engine)
        _configured = True
        LOG.info('Placement database: %s', urls.mask_password(url))


def _keep_sqlite_connections(engine: sa.engine.Engine) -> None:
    """oslo.db gives file-based SQLite a NullPool: every transaction would
    open the file afresh, and closing the last connection checkpoints and
    removes the WAL, an fsync each time (~10ms a request). Keep connections
    in a QueuePool instead, carrying over the old pool's event listeners."""
    old = engine.pool
    opts = CONF.placement_database
    engine.pool = sa.pool.QueuePool(
        old._creator, pool_size=opts.max_pool_size,
        max_overflow=opts.max_overflow, timeout=opts.pool_timeout,
        reset_on_return=old._reset_on_return, dialect=old._dialect,
        _dispatch=old.dispatch)


def _on_engine(engine: sa.engine.Engine) -> None:
    if engine.dialect.name != 'sqlite':
        return
    if isinstance(engine.pool, sa.pool.NullPool):
        _keep_sqlite_connections(engine)
    sqlite.set_up_engine(engine, CONF.placement_database.sqlite_busy_timeout,
                         _intent)


def get_engine() -> sa.engine.Engine:
    configure()
    return _facade.writer.get_engine()


@contextlib.contextmanager
def reader(ctx):
    configure()
    with _facade.reader.connection.using(ctx) as conn:
        yield conn


@contextlib.contextmanager
def writer(ctx):
    configure()
    with _intent.writing(), _facade.writer.connection.using(ctx) as conn:
        yield conn


def close_connections() -> None:
    """Close pooled connections; uWSGI forks workers after loading the app
    and a socket must not be shared between processes."""
    if _configured:
        _facade.dispose_pool()


def reset_for_tests() -> None:
    """Forget the configured engine (tests switch databases)."""
    global _facade, _configured
    with _configure_lock:
        if _configured:
            _facade.dispose_pool()
        _facade = enginefacade.transaction_context()
        _configured = False
