"""A cell that does not answer does not break the API: lists leave its
servers out (2.53 has no partial records) and say so in the log; showing
or acting on a server in it is a 503 that names the cell. Two ways to be
down: a database port nobody listens on (refused at once), and one that
accepts connections and never answers (cut off by [DEFAULT]
cell_timeout)."""

import logging
import socket
import time
import uuid as uuidlib

import pytest

from nova import cells
from nova.db.api import cell_mappings
from nova.db import engines
from nova.objects.cell_mapping import CellMapping
from tests.functional.nova.api.test_servers_cells import (  # noqa: F401
    S, _boot, _names, _put, cloud, compute)

TIMEOUT = 1.0


@pytest.fixture(params=['refused', 'silent'])
def down_cell(request, cloud, api_conf):
    """cell3, mapped, its database at a port that refuses connections or
    that accepts them and never answers."""
    api_conf.set_override('cell_timeout', TIMEOUT)
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    if request.param == 'silent':
        listener.listen(64)     # the kernel accepts; nobody answers
    else:
        listener.close()        # nothing listens there any more
    url = 'mysql+pymysql://nova:x@127.0.0.1:%d/nova_cell3' % port
    with engines.api_writer() as conn:
        cell = cell_mappings.create(conn, CellMapping(
            uuid=str(uuidlib.uuid4()), name='cell3',
            transport_url='fake://', database_connection=url))
    cells.reset_cache()
    yield cell
    listener.close()
    api_conf.clear_override('cell_timeout')


def _in_down_cell(cell: CellMapping) -> str:
    """A server mapped to `cell` (whose database nobody can write)."""
    from nova.db.api import instance_mappings
    uuid = str(uuidlib.uuid4())
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, 'p1', cell_id=cell.id,
                                 user_id='alice')
    return uuid


def test_list_leaves_the_down_cell_out(compute, cloud, down_cell, caplog):
    _put(cloud['cell1'], 'a', 1)
    _put(cloud['cell2'], 'b', 2)
    _boot(compute, 'c')
    caplog.set_level(logging.WARNING)
    started = time.monotonic()
    assert _names(compute) == ['c', 'b', 'a']
    assert time.monotonic() - started < TIMEOUT + 5
    assert [s['name'] for s in compute.get(S + '/detail').json[
        'servers']] == ['c', 'b', 'a']
    assert _names(compute, '?limit=1&sort_key=display_name'
                  '&sort_dir=asc') == ['a']
    assert any('left out of a list' in r.getMessage() and
               down_cell.uuid in r.getMessage() for r in caplog.records)


def test_show_and_act_in_the_down_cell_are_503(compute, cloud, down_cell):
    uuid = _in_down_cell(down_cell)
    message = ('Server %s is in cell cell3, which is not answering right '
               'now; try again later.' % uuid)
    for method, path, body in (
            ('GET', S + '/' + uuid, None),
            ('PUT', S + '/' + uuid, {'server': {'name': 'x'}}),
            ('POST', S + '/%s/action' % uuid, {'os-stop': None}),
            ('POST', S + '/%s/action' % uuid, {'reboot': {'type': 'HARD'}}),
            ('GET', S + '/%s/metadata' % uuid, None),
            ('DELETE', S + '/' + uuid, None)):
        started = time.monotonic()
        resp = compute.request(method, path, json=body)
        assert time.monotonic() - started < TIMEOUT + 5
        assert resp.status_int == 503, (method, path, resp.text)
        assert resp.json == {'serviceUnavailable': {
            'code': 503, 'message': message}}, (method, path)
    # The other cells still answer.
    up = _put(cloud['cell1'], 'a', 1)
    assert compute.get(S + '/' + up).status_int == 200
