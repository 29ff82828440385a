"""Connections and transactions on the API database and the cell databases.

The API database is one per deployment; cell databases are many, and which
one a request needs is only known at run time (from an instance mapping or a
host mapping). So there is one oslo.db transaction facade for the API
database and a cache of facades, one per cell database URL, built on first
use and shared by all threads::

    with engines.api_reader(ctx) as conn:
        cell = conn.execute(...).one()
    with engines.cell_writer(cell, ctx) as conn:
        conn.execute(...)

Each block yields a SQLAlchemy Core connection inside one transaction,
committed when the block ends (rolled back if it raises). Nested blocks on
the same context and the same database join the outer transaction; a block
on another database opens its own, so an API transaction can enclose a cell
one. `ctx` is the request context (any object that accepts attributes);
None gives a block its own transaction.

A function that opens and commits its own transaction, and does nothing
outside the database before the commit, carries @retry_on_deadlock: a
deadlock (on MySQL/MariaDB, Galera) rolls the transaction back, and the
whole function runs again.

On SQLite (the single-host default) every connection runs in WAL mode with
a busy timeout, and writers start with BEGIN IMMEDIATE, so that concurrent
writers queue for the database lock instead of failing when a reader tries
to upgrade its lock mid-transaction.
"""

from collections.abc import Callable, Iterator, Mapping
import contextlib
import dataclasses
import functools
import threading
import types
from typing import Any, ParamSpec, TypeVar

from oslo_db import api as oslo_db_api
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
import sqlalchemy as sa

from nova.db import locks
from servicekit import sqlite
from servicekit import urls

LOG = logging.getLogger(__name__)

P = ParamSpec('P')
R = TypeVar('R')

_retry = oslo_db_api.wrap_db_retry(
    max_retries=5, retry_on_deadlock=True, retry_interval=0.1,
    inc_retry_interval=True, max_retry_interval=2)
# How many reader/writer blocks this thread has open, on any database.
_open = threading.local()


def _depth() -> int:
    return getattr(_open, 'depth', 0)


@contextlib.contextmanager
def _counted() -> Iterator[None]:
    _open.depth = _depth() + 1
    try:
        yield
    finally:
        _open.depth -= 1


def retry_on_deadlock(fn: Callable[P, R]) -> Callable[P, R]:
    """Run `fn` again when it raises DBDeadlock (up to 5 more times,
    0.1 s doubling with jitter between tries), then let it raise.

    Only for a function whose body is its own transaction(s) with no side
    effect outside the database (RPC cast, placement call, log of success)
    before the commit. Called while this thread has a block open, `fn`
    runs once: it joined an outer transaction, which only its owner can
    run again."""
    retrying = _retry(fn)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _depth():
            return fn(*args, **kwargs)
        return retrying(*args, **kwargs)
    return wrapper


@dataclasses.dataclass(frozen=True)
class Settings:
    """Engine options applied to the API database and every cell database.

    Pool sizes are per database: a process that talks to N cells may hold
    up to N * (max_pool_size + max_overflow) connections.
    """
    max_pool_size: int | None = None
    max_overflow: int | None = None
    pool_timeout: int | None = None
    sqlite_busy_timeout_ms: int = 30000

    @classmethod
    def from_group(cls, group: Any) -> 'Settings':
        """The pool options of an oslo.config [database]-like group."""
        return cls(max_pool_size=group.max_pool_size,
                   max_overflow=group.max_overflow,
                   pool_timeout=group.pool_timeout)


class Database:
    """One database: its transaction facade, and SQLite's lock discipline."""

    def __init__(self, url: str, settings: Settings,
                 wait_at_first_connect: bool = True) -> None:
        self.url = url
        self._settings = settings
        self._intent = sqlite.WriteIntent()
        self._facade = enginefacade.transaction_context()
        kwargs: dict[str, Any] = {'connection': url}
        if not wait_at_first_connect:
            # oslo.db otherwise retries a first connection for minutes.
            kwargs['max_retries'] = 0
        if sqlite.is_sqlite(url):
            sqlite.ensure_dir(url)
            # Enforce foreign keys as MariaDB and PostgreSQL do.
            kwargs['sqlite_fk'] = True
        else:
            kwargs.update({k: v for k, v in (
                ('max_pool_size', settings.max_pool_size),
                ('max_overflow', settings.max_overflow),
                ('pool_timeout', settings.pool_timeout)) if v is not None})
        self._facade.configure(**kwargs)
        self._facade.append_on_engine_create(self._on_engine)

    def _on_engine(self, engine: sa.engine.Engine) -> None:
        locks.release_at_checkin(engine)
        if engine.dialect.name == 'sqlite':
            sqlite.set_up_engine(engine,
                                 self._settings.sqlite_busy_timeout_ms,
                                 self._intent)

    def engine(self) -> sa.engine.Engine:
        return self._facade.writer.get_engine()

    @contextlib.contextmanager
    def reader(self, ctx: Any = None) -> Iterator[sa.engine.Connection]:
        with _counted(), \
                self._facade.reader.connection.using(_context(ctx)) as conn:
            yield conn

    @contextlib.contextmanager
    def writer(self, ctx: Any = None) -> Iterator[sa.engine.Connection]:
        with _counted(), self._intent.writing(), \
                self._facade.writer.connection.using(_context(ctx)) as conn:
            yield conn

    def dispose(self) -> None:
        self._facade.dispose_pool()


_lock = threading.Lock()
_settings = Settings()
_api_url: str | None = None
_api: Database | None = None
_cells: dict[str, Database] = {}


def configure(api_connection: str | None = None,
              settings: Settings | None = None) -> None:
    """Say where the API database is and how to pool connections.

    Called once at service start (a cell service passes no API connection:
    computes and cell conductors never touch the API database). Databases
    already opened keep the settings they were opened with.
    """
    global _api_url, _settings
    with _lock:
        if api_connection is not None:
            _api_url = api_connection
        if settings is not None:
            _settings = settings


def api() -> Database:
    """The API database (configure() must have named it)."""
    global _api
    with _lock:
        if _api is None:
            if _api_url is None:
                raise RuntimeError(
                    'The API database is not configured: set '
                    '[api_database] connection (cell services have none).')
            _api = Database(_api_url, _settings)
            LOG.info('API database: %s', urls.mask_password(_api_url))
        return _api


def cell(target: Any) -> Database:
    """The database of `target`: a cell mapping (anything with a
    database_connection attribute or key) or a database URL."""
    url = cell_url(target)
    with _lock:
        db = _cells.get(url)
        if db is None:
            # A cell that is down must fail the request that needs it
            # at once (a 503, or left out of a list), not hold it.
            db = _cells[url] = Database(url, _settings,
                                        wait_at_first_connect=False)
            LOG.info('Cell database: %s', urls.mask_password(url))
        return db


def cell_url(target: Any) -> str:
    url: str | None
    if isinstance(target, str):
        url = target
    elif isinstance(target, Mapping):
        url = target.get('database_connection')
    else:
        url = getattr(target, 'database_connection', None)
    if not url:
        raise ValueError('No database connection for cell %r' % (target,))
    return url


def api_reader(ctx: Any = None) -> contextlib.AbstractContextManager:
    return api().reader(ctx)


def api_writer(ctx: Any = None) -> contextlib.AbstractContextManager:
    return api().writer(ctx)


def cell_reader(target: Any,
                ctx: Any = None) -> contextlib.AbstractContextManager:
    return cell(target).reader(ctx)


def cell_writer(target: Any,
                ctx: Any = None) -> contextlib.AbstractContextManager:
    return cell(target).writer(ctx)


def dispose_all() -> None:
    """Close every pooled connection (after fork, or at shutdown)."""
    with _lock:
        for db in ([_api] if _api else []) + list(_cells.values()):
            db.dispose()


def reset_for_tests() -> None:
    """Forget every database and setting (tests switch databases)."""
    global _api, _api_url, _settings
    dispose_all()
    with _lock:
        _api = _api_url = None
        _cells.clear()
        _settings = Settings()


def _context(ctx: Any) -> Any:
    """The object oslo.db keeps this thread's transaction on: `ctx`, or a
    fresh one for None.

    oslo.db attaches its per-thread transaction holder to the context on
    first use, unlocked; that is safe because a context is never shared by
    threads before its first use: scatter-gather threads each work on
    their own copy (nova.context.target_cell).
    """
    return types.SimpleNamespace() if ctx is None else ctx
