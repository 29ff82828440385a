"""Doing one thing in many cells at once.

`scatter_gather` runs a function against every given cell, each call on
a thread of a bounded pool (futurist) with a context targeted at that
cell, and returns what each cell answered within the timeout::

    results = cells.scatter_gather(ctx, cells.load_cells(ctx), fn, arg)
    for cell_uuid, result in results.items():
        if result is cells.DID_NOT_RESPOND or cells.failed(result): ...

A cell that is down or slow costs the caller the timeout ([DEFAULT]
cell_timeout), never more: the stuck call keeps its pool thread until its
database call ends, and its cell is reported as DID_NOT_RESPOND.
`call` does the same for one cell and raises CellDown instead.
"""

from collections.abc import Callable, Iterable
import os
import threading
import time
from typing import Any

import futurist
from futurist import waiters
from oslo_db import exception as db_exc
from oslo_log import log as logging
from sqlalchemy import exc as sa_exc

from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import cell_mappings
from nova.db import engines
from nova.objects.cell_mapping import CellMapping

LOG = logging.getLogger(__name__)


class _Sentinel:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


# The result for a cell that did not answer within the timeout.
DID_NOT_RESPOND = _Sentinel('DID_NOT_RESPOND')

CACHE_SECONDS = 10
# Threads shared by every scatter-gather of the process. Enough that
# concurrent requests over a few cells do not queue (time in the queue
# counts against cell_timeout), bounded so that stuck cells cannot make
# the process grow threads without end.
MAX_WORKERS = 64


class CellDown(Exception):
    """The cell's database did not answer in time, or not at all."""

    def __init__(self, cell: CellMapping, why: Any) -> None:
        super().__init__('cell %s: %s' % (cell.name or cell.uuid, why))
        self.cell = cell


# What a cell database that is down raises: oslo.db's errors, and
# SQLAlchemy's own where oslo.db leaves a driver's connection failure
# untranslated (psycopg2's "Connection refused").
DB_FAILURES = (db_exc.DBError, sa_exc.OperationalError,
               sa_exc.InterfaceError)


def failed(result: Any) -> bool:
    """Whether a scatter_gather result is not an answer."""
    return result is DID_NOT_RESPOND or isinstance(result, BaseException)


def call(ctx: nova_context.RequestContext, cell: CellMapping,
         fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(cell-targeted ctx, *args, **kwargs) within [DEFAULT]
    cell_timeout: its result, or what it raised; CellDown if the cell
    did not answer in time or its database failed."""
    result = scatter_gather(ctx, [cell], fn, *args, **kwargs)[cell.uuid]
    if result is DID_NOT_RESPOND or isinstance(result, DB_FAILURES):
        raise CellDown(cell, result)
    if isinstance(result, BaseException):
        raise result
    return result


def scatter_gather(ctx: nova_context.RequestContext,
                   cells: Iterable[CellMapping],
                   fn: Callable[..., Any], *args: Any,
                   timeout: float | None = None,
                   **kwargs: Any) -> dict[str, Any]:
    """{cell uuid: fn(cell-targeted ctx, *args, **kwargs), or the exception
    it raised, or DID_NOT_RESPOND}, back within `timeout` seconds
    ([DEFAULT] cell_timeout if None)."""
    if timeout is None:
        timeout = CONF.cell_timeout
    cells = list(cells)

    def call(cell: CellMapping) -> Any:
        try:
            with nova_context.target_cell(ctx, cell) as cctx:
                return fn(cctx, *args, **kwargs)
        except Exception as exc:
            # A database failure is the operator's business; anything
            # else (InstanceNotFound ...) is the caller's answer.
            log = LOG.warning if isinstance(exc, DB_FAILURES) else LOG.debug
            log('Error from cell %s: %s', cell.name or cell.uuid, exc)
            return exc

    pool = _executor()
    futures = [pool.submit(call, cell) for cell in cells]
    waiters.wait_for_all(futures, timeout)
    gathered: dict[str, Any] = {}
    for cell, future in zip(cells, futures):
        if future.done():
            gathered[cell.uuid] = future.result()
        else:
            future.cancel()  # still queued: no use running it now
            gathered[cell.uuid] = DID_NOT_RESPOND
            LOG.warning('Cell %s did not respond within %ss',
                        cell.name or cell.uuid, timeout)
    return gathered


_pool_lock = threading.Lock()
_pool: futurist.ThreadPoolExecutor | None = None


def _executor() -> futurist.ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = futurist.ThreadPoolExecutor(max_workers=MAX_WORKERS)
        return _pool


def _forget_pool() -> None:
    # A forked child (uWSGI workers) has none of its parent's threads.
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


_cache_lock = threading.Lock()
_cache: tuple[float, list[CellMapping]] | None = None


def load_cells(ctx: Any = None, fresh: bool = False) -> list[CellMapping]:
    """Every cell mapping, re-read from the API database at most every
    CACHE_SECONDS (cells are added rarely; a request must not pay for it)."""
    global _cache
    with _cache_lock:
        if (not fresh and _cache is not None
                and time.monotonic() - _cache[0] < CACHE_SECONDS):
            return list(_cache[1])
    with engines.api_reader(ctx) as conn:
        cells = cell_mappings.list_all(conn)
    with _cache_lock:
        _cache = (time.monotonic(), cells)
    return list(cells)


def reset_cache() -> None:
    global _cache
    with _cache_lock:
        _cache = None
