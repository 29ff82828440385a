"""A server of a PostgreSQL cell that stopped answering: show was a 500.

Symptom: GET /servers/{id} of a server whose cell database (PostgreSQL)
refused connections answered 500 (computeFault) instead of 503 naming
the cell, and at 2.69 instead of the partial record; MariaDB cells were
fine.

Cause: nova.cells.call counted only oslo.db's exceptions as a cell
failure; psycopg2's refused connection reached it as SQLAlchemy's own
OperationalError, which oslo.db had left untranslated, and went up as an
unexpected error.

Fix: 889eab6 "cells: a PostgreSQL cell that refuses connections is down
(503, or partial records at 2.69), not a 500 ...".
"""

import pytest

from tests.functional.nova.api import test_cell_down as cell_down

pytestmark = pytest.mark.all_databases
# Two mapped cells, the API client and the means to stop cell1.
cloud, compute = cell_down.cloud, cell_down.compute
stop_cell1 = cell_down.stop_cell1


def test_show_in_a_stopped_cell(compute, cloud, stop_cell1):
    uuid = cell_down._put(cloud['cell1'], 'a', 1)
    stop_cell1()
    resp = compute.get(cell_down.S + '/' + uuid)
    assert resp.status_int == 503, resp.text
    assert 'cell1' in resp.json['serviceUnavailable']['message']
    resp = compute.get(cell_down.S + '/' + uuid, version='2.69')
    assert resp.status_int == 200, resp.text
    assert resp.json['server']['status'] == 'UNKNOWN'
