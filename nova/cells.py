"""Doing one thing in many cells at once.

`scatter_gather` runs a function against every given cell, each call in
its own native thread with a context targeted at that cell, and returns
what each cell answered within the timeout::

    results = cells.scatter_gather(ctx, cells.load_cells(ctx), fn, arg)
    for cell_uuid, result in results.items():
        if result is cells.DID_NOT_RESPOND or cells.failed(result): ...

A cell that is down or slow costs the caller the timeout ([DEFAULT]
cell_timeout), never more: the stuck thread is left behind (it ends when
its database call does) and its cell is reported as DID_NOT_RESPOND.
`call` does the same for one cell and raises CellDown instead.
"""

from collections.abc import Callable, Iterable
import threading
import time
from typing import Any

from oslo_db import exception as db_exc
from oslo_log import log as logging

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


class CellDown(Exception):
    """The cell's database did not answer in time, or not at all."""

    def __init__(self, cell: CellMapping, why: Any) -> None:
        super().__init__('cell %s: %s' % (cell.name or cell.uuid, why))
        self.cell = cell


def failed(result: Any) -> bool:
    """Whether a scatter_gather result is not an answer."""
    return result is DID_NOT_RESPOND or isinstance(result, BaseException)


def call(ctx: nova_context.RequestContext, cell: CellMapping,
         fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(cell-targeted ctx, *args, **kwargs) within [DEFAULT]
    cell_timeout: its result, or what it raised; CellDown if the cell
    did not answer in time or its database failed."""
    result = scatter_gather(ctx, [cell], fn, *args, **kwargs)[cell.uuid]
    if result is DID_NOT_RESPOND or isinstance(result, db_exc.DBError):
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
    results: dict[str, Any] = {c.uuid: DID_NOT_RESPOND for c in cells}
    answered = threading.Condition()
    pending = len(cells)

    def call(cell: CellMapping) -> None:
        nonlocal pending
        try:
            with nova_context.target_cell(ctx, cell) as cctx:
                result = fn(cctx, *args, **kwargs)
        except Exception as exc:
            # A database failure is the operator's business; anything
            # else (InstanceNotFound ...) is the caller's answer.
            log = LOG.warning if isinstance(exc, db_exc.DBError) else LOG.debug
            log('Error from cell %s: %s', cell.name or cell.uuid, exc)
            result = exc
        with answered:
            results[cell.uuid] = result
            pending -= 1
            answered.notify()

    # Daemon threads rather than a ThreadPoolExecutor, whose workers the
    # interpreter joins at exit: a cell stuck for good must not keep a
    # command or a service from ending.
    for cell in cells:
        threading.Thread(target=call, args=(cell,), daemon=True,
                         name='scatter-gather-%s' % cell.uuid).start()
    deadline = time.monotonic() + timeout
    with answered:
        while pending and answered.wait(max(0, deadline - time.monotonic())):
            pass
        gathered = dict(results)
    for cell in cells:
        if gathered[cell.uuid] is DID_NOT_RESPOND:
            LOG.warning('Cell %s did not respond within %ss',
                        cell.name or cell.uuid, timeout)
    return gathered


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
