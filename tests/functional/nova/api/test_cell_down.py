"""A cell that does not answer does not break the API: before 2.69 lists
leave its servers out and say so in the log (or fail with a 500 if [api]
list_records_by_skipping_down_cells is False); showing or acting on a
server in it is a 503 that names the cell. From 2.69 lists and show give
upstream's partial records of its servers (status UNKNOWN) and
os-services lists its compute hosts with status UNKNOWN. Two ways to be
down: a database port nobody listens on (refused at once), and one that
accepts connections and never answers (cut off by [DEFAULT]
cell_timeout); and a cell whose database stops answering after its
servers were created (its mapping moved to such a port)."""

import logging
import socket
import time
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova import cells
from nova.db.api import cell_mappings
from nova.db import engines
from nova.objects.cell_mapping import CellMapping
from tests.functional.nova.api import test_servers_cells as servers_cells

S, _boot, _names, _put = (servers_cells.S, servers_cells._boot,
                          servers_cells._names, servers_cells._put)
# Two mapped cells and the API client, as fixtures here.
cloud, compute = servers_cells.cloud, servers_cells.compute

TIMEOUT = 1.0


def _dead_port(how: str) -> tuple[socket.socket, int]:
    """A local port that refuses connections, or ('silent') accepts them
    and never answers."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    if how == 'silent':
        listener.listen(64)     # the kernel accepts; nobody answers
    else:
        listener.close()        # nothing listens there any more
    return listener, port


@pytest.fixture(params=['refused', 'silent'])
def down_cell(request, cloud, api_conf):
    """cell3, mapped, its database at a port that refuses connections or
    that accepts them and never answers."""
    api_conf.set_override('cell_timeout', TIMEOUT)
    listener, port = _dead_port(request.param)
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


def test_list_leaves_the_down_cell_out(compute, cloud, down_cell,
                                       caplog):
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


# -- 2.69: partial records


def _spec(uuid: str, zone: str | None = None) -> None:
    """The request spec a boot of m1.tiny from cirros leaves."""
    from nova.db.api import request_specs
    from nova.objects.request_spec import RequestSpec
    with engines.api_writer() as conn:
        request_specs.create(conn, RequestSpec(
            flavor=servers_cells.TINY, instance_uuid=uuid, project_id='p1',
            user_id='alice', image={'id': servers_cells.CIRROS},
            availability_zone=zone))


# The stopped cell is the backend's: MariaDB and PostgreSQL too.
partial_records = pytest.mark.all_databases


@pytest.fixture(params=['refused', 'silent'])
def stop_cell1(request, cloud, api_conf):
    """stop_cell1() makes cell1 (the backend's database, with what the
    test put there) stop answering: its mapping now leads to a port that
    refuses connections or never answers, as a database host cut off
    from the network."""
    api_conf.set_override('cell_timeout', TIMEOUT)
    listener, port = _dead_port(request.param)

    def stop():
        url = sa.engine.make_url(cloud['cell1'].database_connection)
        if url.get_backend_name() == 'sqlite':
            url = sa.engine.make_url('mysql+pymysql://nova:x@h/nova_cell1')
        # The same database, by a route that is cut.
        url = url.set(host='127.0.0.1', port=port).render_as_string(
            hide_password=False)
        with engines.api_writer() as conn:
            cell_mappings.update(conn, cloud['cell1'].uuid,
                                 database_connection=url)
        cells.reset_cache()
    yield stop
    listener.close()
    api_conf.clear_override('cell_timeout')


def _servers(compute, path, version):
    resp = compute.get(S + path, version=version)
    assert resp.status_int == 200, resp.text
    return resp.json['servers']


@partial_records
def test_lists_at_2_69_give_partial_records(compute, cloud, stop_cell1):
    a = _put(cloud['cell1'], 'a', 1)
    gone = _put(cloud['cell1'], 'gone', 2)
    other = _put(cloud['cell1'], 'other', 3, project='p2')
    b = _put(cloud['cell2'], 'b', 2)
    c = _boot(compute, 'c')
    from nova.db.api import instance_mappings
    with engines.api_writer() as conn:
        instance_mappings.update(conn, gone, queued_for_delete=True)
    stop_cell1()

    # The down cell's servers first, then the others in their order.
    (partial, *rest) = _servers(compute, '', '2.69')
    assert partial == {'id': a, 'status': 'UNKNOWN',
                       'links': partial['links']}
    assert partial['links'][0]['href'].endswith('/servers/' + a)
    assert [(s['id'], s['name']) for s in rest] == [(c, 'c'), (b, 'b')]

    (partial, *rest) = _servers(compute, '/detail', '2.69')
    assert set(partial) == {'id', 'status', 'tenant_id', 'created',
                            'links'}
    assert (partial['id'], partial['status'], partial['tenant_id']) == (
        a, 'UNKNOWN', 'p1')
    assert partial['created'].endswith('Z')
    assert [s['status'] for s in rest] == ['BUILD', 'ACTIVE']

    # As upstream, they fill what room the limit leaves after the others.
    assert [s['id'] for s in _servers(compute, '?limit=2', '2.69')] == [
        c, b]
    assert [s['id'] for s in _servers(compute, '?limit=3', '2.69')] == [
        a, c, b]
    # An admin listing all projects sees the other project's too.
    everyone = compute.get(S + '?all_tenants=1', token='admin',
                           version='2.69').json['servers']
    assert {s['id'] for s in everyone if s.get('status') == 'UNKNOWN'} == {
        a, other}

    # 2.68: left out.
    assert [s['name'] for s in _servers(compute, '', '2.68')] == ['c', 'b']
    assert [s['name'] for s in _servers(compute, '/detail', '2.68')] == [
        'c', 'b']


@partial_records
def test_list_fails_before_2_69_if_not_skipping(compute, cloud, api_conf,
                                                stop_cell1, caplog):
    _put(cloud['cell1'], 'a', 1)
    _put(cloud['cell2'], 'b', 2)
    stop_cell1()
    api_conf.set_override('list_records_by_skipping_down_cells', False,
                          group='api')
    try:
        for path in ('', '/detail'):
            resp = compute.get(S + path, version='2.68')
            # As upstream: a 500, the reason in the log only.
            assert resp.status_int == 500, resp.text
            assert 'computeFault' in resp.json
            assert any('list_records_by_skipping_down_cells' in r.getMessage()
                       or 'list_records_by_skipping_down_cells' in (
                           r.exc_text or '') for r in caplog.records)
            # 2.69 lists partial records whatever the option says.
            assert [s.get('status') for s in _servers(compute, path,
                                                      '2.69')] == [
                'UNKNOWN', 'ACTIVE' if path else None]
    finally:
        api_conf.clear_override('list_records_by_skipping_down_cells',
                                group='api')


@partial_records
def test_show_at_2_69_gives_a_partial_record(compute, cloud, stop_cell1):
    a = _put(cloud['cell1'], 'a', 1)
    _spec(a)
    zoned = _put(cloud['cell1'], 'zoned', 2)
    _spec(zoned, zone='az1')
    bare = _put(cloud['cell1'], 'bare', 3)     # no request spec
    b = _put(cloud['cell2'], 'b', 2)
    stop_cell1()

    resp = compute.get(S + '/' + a, version='2.69')
    assert resp.status_int == 200, resp.text
    server = resp.json['server']
    assert set(server) == {
        'id', 'status', 'tenant_id', 'user_id', 'created', 'links',
        'flavor', 'image', 'OS-EXT-AZ:availability_zone',
        'OS-EXT-STS:power_state'}
    assert server['status'] == 'UNKNOWN'
    assert (server['tenant_id'], server['user_id']) == ('p1', 'alice')
    assert server['flavor'] == {'vcpus': 1, 'ram': 512, 'disk': 1,
                                'ephemeral': 0, 'swap': 0,
                                'original_name': 'm1.tiny',
                                'extra_specs': {}}
    assert server['image']['id'] == servers_cells.CIRROS
    assert server['OS-EXT-AZ:availability_zone'] == 'UNKNOWN'
    assert server['OS-EXT-STS:power_state'] == 0
    assert compute.get(S + '/' + zoned, version='2.69').json['server'][
        'OS-EXT-AZ:availability_zone'] == 'az1'
    assert set(compute.get(S + '/' + bare, version='2.69').json[
        'server']) == {'id', 'status', 'tenant_id', 'created', 'links'}
    # A server of a cell that answers is shown in full.
    assert compute.get(S + '/' + b, version='2.69').json['server'][
        'name'] == 'b'
    # Another project's server stays hidden; 2.68 is still a 503.
    resp = compute.get(S + '/' + a, token='bob:p2', version='2.69')
    assert resp.status_int == 404, resp.text
    resp = compute.get(S + '/' + a, version='2.68')
    assert resp.status_int == 503, resp.text
    # Acting on it is still a 503 at 2.69.
    resp = compute.post(S + '/%s/action' % a, json={'os-stop': None},
                        version='2.69')
    assert resp.status_int == 503, resp.text


@partial_records
def test_services_at_2_69_list_down_cell_hosts(compute, cloud, stop_cell1):
    from nova.db.api import host_mappings
    from nova.db.main import services
    from nova.objects.service import Service
    with engines.cell_writer(cloud['cell1']) as conn:
        services.create(conn, Service(host='cmp1', binary='nova-compute',
                                      topic='compute'))
    with engines.cell_writer(cloud['cell2']) as conn:
        services.create(conn, Service(host='cmp2', binary='nova-compute',
                                      topic='compute'))
    with engines.api_writer() as conn:
        host_mappings.create(conn, 'cmp1', cloud['cell1'].id)
        host_mappings.create(conn, 'cmp2', cloud['cell2'].id)
    stop_cell1()

    def listed(version, query=''):
        resp = compute.get('/v2.1/os-services' + query, token='admin',
                           version=version)
        assert resp.status_int == 200, resp.text
        return resp.json['services']

    found = listed('2.69')
    assert {'binary': 'nova-compute', 'host': 'cmp1',
            'status': 'UNKNOWN'} in found
    (cmp2,) = [s for s in found if s['host'] == 'cmp2']
    assert cmp2['status'] == 'enabled' and 'id' in cmp2
    assert listed('2.69', '?host=cmp1') == [
        {'binary': 'nova-compute', 'host': 'cmp1', 'status': 'UNKNOWN'}]
    assert listed('2.69', '?binary=nova-scheduler') == []
    assert [s['host'] for s in listed('2.68')] == ['cmp2']
