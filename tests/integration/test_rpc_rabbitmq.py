"""RPC over a real RabbitMQ, one vhost per cell, between this process and
real nova-conductor and nova-compute processes."""

import time

import oslo_messaging as messaging
import pytest
import sqlalchemy as sa

from nova.compute import manager as compute_manager
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context as nova_context
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db import migration
from nova.objects.cell_mapping import CellMapping
from nova.objects.compute_node import ComputeNode
from nova import service
from tests import nova_services


@pytest.fixture(scope='module')
def cells(tmp_path_factory):
    """Two cells, each a RabbitMQ vhost and a migrated SQLite database."""
    made = []
    try:
        for name in ('cell1', 'cell2'):
            url = 'sqlite:///%s' % (tmp_path_factory.mktemp(name) / 'db')
            migration.upgrade(url, 'main')
            made.append(CellMapping(
                uuid='%s-0000-0000-0000-000000000000' % name.ljust(8, '0'),
                name=name, transport_url=nova_services.rabbitmq_vhost(),
                database_connection=url))
        yield made
    finally:
        for cell in made:
            nova_services.delete_vhost(cell.transport_url)


@pytest.fixture(scope='module')
def processes(cells, tmp_path_factory):
    """A nova-conductor in each cell and a nova-compute in cell1."""
    conf_dir = tmp_path_factory.mktemp('conf')
    procs = {}
    for binary, host, cell in (('conductor', 'cond1', cells[0]),
                               ('conductor', 'cond2', cells[1]),
                               ('compute', 'cmp1', cells[0])):
        conf = nova_services.write_config(
            conf_dir / ('%s.conf' % host), host, cell.transport_url,
            cell.database_connection, fake_driver={'vcpus': 3})
        procs[host] = nova_services.ServiceProcess(binary, conf)
    yield procs
    for proc in procs.values():
        proc.kill()


@pytest.fixture
def ctx():
    engines.reset_for_tests()
    with nova_services.configured():
        yield nova_context.get_admin_context()
    engines.reset_for_tests()


def _ready(api, cctx, server, processes):
    """Ping `server` until it answers (its process is still starting)."""
    def answer():
        for proc in processes.values():
            assert proc.proc.poll() is None, proc.log_text()
        try:
            return api.ping(cctx, 'ready?', server=server, timeout=1)
        except messaging.MessagingTimeout:
            return None
    return nova_services.wait_for(answer, timeout=60, interval=0,
                                  what='%s to answer' % server)


def test_each_cell_conductor_answers_on_its_own_vhost(cells, processes, ctx):
    api = conductor_rpcapi.ConductorAPI()
    for cell, host in zip(cells, ('cond1', 'cond2')):
        with nova_context.target_cell(ctx, cell) as cctx:
            _ready(api, cctx, host, processes)
            # No server named: any conductor of the cell's queue answers.
            assert api.ping(cctx, {'n': [1, 2]}) == {
                'host': host, 'binary': 'nova-conductor',
                'arg': {'n': [1, 2]}}


def test_call_timeout(cells, processes, ctx):
    api = conductor_rpcapi.ConductorAPI()
    with nova_context.target_cell(ctx, cells[1]) as cctx:
        _ready(api, cctx, 'cond2', processes)
        started = time.monotonic()
        with pytest.raises(messaging.MessagingTimeout):
            api.ping(cctx, 'anyone?', server='nobody', timeout=1)
        assert 1 <= time.monotonic() - started < 10


def test_older_client_is_served_by_newer_compute(cells, processes, ctx):
    old = compute_rpcapi.ComputeAPI(version_cap='1.0')
    with nova_context.target_cell(ctx, cells[0]) as cctx:
        _ready(old, cctx, 'cmp1', processes)
        (node,) = old.get_available_resource(cctx, 'cmp1', refresh=True)
        (same,) = compute_rpcapi.ComputeAPI().get_available_resource(
            cctx, 'cmp1', refresh=True)
    assert isinstance(node, ComputeNode)
    assert (node.host, node.hypervisor_hostname, node.vcpus) == (
        'cmp1', 'cmp1', 3)
    assert same.uuid == node.uuid


def test_cast_reaches_compute_process(cells, processes, ctx):
    cell = cells[0]
    api = compute_rpcapi.ComputeAPI()
    with nova_context.target_cell(ctx, cell) as cctx:
        _ready(api, cctx, 'cmp1', processes)
        # Skew the row behind the compute's back; the cast has it rewrite
        # the row from its driver.
        with engines.cell_writer(cell.database_connection) as conn:
            conn.execute(sa.update(compute_nodes._t)
                         .where(compute_nodes._t.c.host == 'cmp1')
                         .values(vcpus=1))
        assert api.update_available_resource(cctx, 'cmp1') is None

    def vcpus():
        with engines.cell_reader(cell.database_connection) as conn:
            return compute_nodes.get_by_host_and_nodename(
                conn, 'cmp1', 'cmp1').vcpus
    nova_services.wait_for(lambda: vcpus() == 3, what='the cast')


class _OldComputeManager(compute_manager.ComputeManager):
    """A compute not upgraded yet: speaks only 1.0."""
    target = messaging.Target(version='1.0')


def test_capped_client_downgrades_call_for_old_compute(cells, ctx):
    cell = cells[1]
    old = service.Service(
        'nova-compute', 'compute',
        _OldComputeManager('old-cmp', cell.database_connection),
        transport_url=cell.transport_url)
    old.start()
    try:
        with nova_context.target_cell(ctx, cell) as cctx:
            with pytest.raises(messaging.MessagingException) as info:
                compute_rpcapi.ComputeAPI().get_available_resource(
                    cctx, 'old-cmp', refresh=True)
            assert 'UnsupportedVersion' in repr(info.value)
            (node,) = compute_rpcapi.ComputeAPI(
                version_cap='1.0').get_available_resource(
                cctx, 'old-cmp', refresh=True)
        assert node.host == 'old-cmp'
    finally:
        old.stop()
