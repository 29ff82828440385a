"""Scatter-gather across real cell databases: answers, errors, and a cell
that does not answer in time."""

import threading
import time

import sqlalchemy as sa

from nova import cells
from nova import context
from nova.db import engines
from nova.db.api import cell_mappings
from nova.objects.cell_mapping import CellMapping

UUIDS = ['%d' % i * 8 + '-1111-1111-1111-111111111111' for i in range(1, 4)]


def _cells(url):
    return [CellMapping(uuid=u, name='cell%d' % i, database_connection=url)
            for i, u in enumerate(UUIDS, 1)]


def _count_instances(cctx):
    with engines.cell_reader(cctx.cell, cctx) as conn:
        return cctx.cell.name, conn.execute(
            sa.text('SELECT COUNT(*) FROM instances')).scalar_one()


def test_each_cell_answers_with_its_own_context(nova_engines, nova_cell_url):
    ctx = context.get_admin_context()
    results = cells.scatter_gather(ctx, _cells(nova_cell_url),
                                   _count_instances)
    assert results == {u: ('cell%d' % i, 0)
                       for i, u in enumerate(UUIDS, 1)}
    assert ctx.cell is None


def test_errors_are_returned_not_raised(nova_engines, nova_cell_url):
    def fn(cctx, boom):
        if cctx.cell.name == boom:
            raise ValueError('broken %s' % boom)
        return _count_instances(cctx)[1]

    results = cells.scatter_gather(context.get_admin_context(),
                                   _cells(nova_cell_url), fn, 'cell2')
    assert results[UUIDS[0]] == 0 and results[UUIDS[2]] == 0
    assert isinstance(results[UUIDS[1]], ValueError)
    assert cells.failed(results[UUIDS[1]])
    assert not cells.failed(results[UUIDS[0]])


def test_a_slow_cell_does_not_delay_the_others(nova_engines, nova_cell_url):
    # cell3 is stuck until the test lets it go (after the gather).
    release = threading.Event()
    stuck_done = threading.Event()

    def fn(cctx):
        if cctx.cell.name == 'cell3':
            try:
                release.wait(30)
                return 'too late'
            finally:
                stuck_done.set()
        return _count_instances(cctx)[1]

    start = time.monotonic()
    try:
        results = cells.scatter_gather(context.get_admin_context(),
                                       _cells(nova_cell_url), fn,
                                       timeout=0.5)
        elapsed = time.monotonic() - start
    finally:
        release.set()
    assert elapsed < 2
    assert results[UUIDS[2]] is cells.DID_NOT_RESPOND
    assert cells.failed(results[UUIDS[2]])
    assert results[UUIDS[0]] == results[UUIDS[1]] == 0
    # The stuck call gives its pool thread back once it ends.
    assert stuck_done.wait(10)


def test_no_cells(nova_engines):
    assert cells.scatter_gather(context.get_admin_context(), [],
                                _count_instances) == {}


def test_load_cells_caches_briefly(nova_engines, nova_cell_url):
    cells.reset_cache()
    with engines.api_writer() as conn:
        cell_mappings.create(conn, _cells(nova_cell_url)[0])
    assert [c.uuid for c in cells.load_cells()] == UUIDS[:1]
    with engines.api_writer() as conn:
        cell_mappings.create(conn, _cells(nova_cell_url)[1])
    assert len(cells.load_cells()) == 1
    assert len(cells.load_cells(fresh=True)) == 2
    cells.reset_cache()
