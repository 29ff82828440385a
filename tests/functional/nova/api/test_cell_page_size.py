"""The cost of one page does not grow with the number of servers: asked
for `limit` servers, every cell's instances query is cut at `limit` rows
(a SQLAlchemy event on the cell engines sees each statement), however
many servers each cell holds and wherever the marker is."""

import pytest
import sqlalchemy as sa

from nova.db import engines
from nova.db.main import tables
from tests.functional.nova.api import test_servers_cells as servers_cells
from tests.functional.nova.api.test_servers_cells import _pages, _put

LIMIT = 4
PER_CELL = 10

# Two cells of servers (test_servers_cells), and the client onto them.
cloud, compute = servers_cells.cloud, servers_cells.compute


@pytest.fixture
def cell_queries(cloud):
    """The LIMIT of every sorted instances SELECT any cell ran."""
    limits: list = []

    def before(conn, clause, multiparams, params, options):
        if (isinstance(clause, sa.Select)
                and tables.instances in clause.get_final_froms()
                and clause._order_by_clauses):
            limits.append(clause._limit)
    targets = [engines.cell(cell).engine() for cell in cloud.values()]
    for engine in targets:
        sa.event.listen(engine, 'before_execute', before)
    yield limits
    for engine in targets:
        sa.event.remove(engine, 'before_execute', before)


def test_each_cell_answers_at_most_limit_rows(compute, cloud, cell_queries):
    names = []
    for i in range(PER_CELL):
        for n, cell in enumerate(cloud.values()):
            name = 'vm-%d-%02d' % (n, i)
            _put(cell, name, i * 2 + n)
            names.append(name)
    for query in ('', '&sort_key=display_name&sort_dir=asc',
                  '&status=ACTIVE&sort_key=uuid'):
        del cell_queries[:]
        listed = _pages(compute, query, LIMIT)
        assert sorted(listed) == sorted(names)
        # A full last page has a next link: one more, empty, page.
        pages = len(names) // LIMIT + 1
        # One query per cell per page.
        assert len(cell_queries) == len(cloud) * pages, cell_queries
        assert set(cell_queries) == {LIMIT}
