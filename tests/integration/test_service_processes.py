"""Real nova-conductor, nova-scheduler and nova-compute processes: their
records in the cell database, their heartbeat, and a clean exit on
SIGTERM or SIGINT."""

import signal

import pytest

from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import services
from nova.db import migration
from tests import nova_services


@pytest.fixture(params=['fake', 'rabbit'])
def transport_url(request):
    """In-process messaging (no broker), and a RabbitMQ vhost."""
    if request.param == 'fake':
        yield 'fake://'
        return
    url = nova_services.rabbitmq_vhost()
    yield url
    nova_services.delete_vhost(url)


@pytest.fixture
def cell_db(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'cell.sqlite')
    migration.upgrade(url, 'main')
    engines.reset_for_tests()
    yield url
    engines.reset_for_tests()


def _service(url, host, binary):
    with engines.cell_reader(url) as conn:
        return services.get_by_host_and_binary(conn, host, binary)


def _start(tmp_path, binary, host, transport_url, db_url, **extra):
    conf = nova_services.write_config(tmp_path / ('%s.conf' % host), host,
                                      transport_url, db_url, **extra)
    return nova_services.ServiceProcess(binary, conf)


def _heartbeating(proc, url, host, binary):
    """Wait for the process's row to show two heartbeats."""
    def beat():
        assert proc.proc.poll() is None, proc.log_text()
        svc = _service(url, host, binary)
        return svc if svc is not None and svc.report_count >= 2 else None
    return nova_services.wait_for(beat, timeout=60, interval=0.2,
                                  what='heartbeats of %s' % binary)


@pytest.mark.parametrize('binary,sig', [
    ('conductor', signal.SIGTERM),
    ('scheduler', signal.SIGINT),
    ('compute', signal.SIGTERM),
])
def test_service_heartbeats_then_exits_cleanly(tmp_path, transport_url,
                                               cell_db, binary, sig):
    proc = _start(tmp_path, binary, 'h-' + binary,
                  transport_url, cell_db)
    try:
        svc = _heartbeating(proc, cell_db, 'h-' + binary, 'nova-' + binary)
        assert svc.topic == binary and svc.last_seen_up is not None
        code = proc.stop(sig)
    finally:
        proc.kill()
    log = proc.log_text()
    assert code == 0, log
    assert 'caught %s, stopping' % signal.Signals(sig).name in log
    assert 'Traceback' not in log
    # Stopped, not deleted: the row stays and goes stale.
    assert _service(cell_db, 'h-' + binary, 'nova-' + binary).id == svc.id


def test_compute_process_creates_its_compute_node(tmp_path, cell_db):
    proc = _start(tmp_path, 'compute', 'cmp-a', 'fake://', cell_db,
                  fake_driver={'vcpus': 5, 'memory_mb': 1024,
                               'local_gb': 10})
    try:
        svc = _heartbeating(proc, cell_db, 'cmp-a', 'nova-compute')
        with engines.cell_reader(cell_db) as conn:
            (node,) = compute_nodes.list_all(conn)
        assert proc.stop() == 0, proc.log_text()
    finally:
        proc.kill()
    assert (node.host, node.hypervisor_hostname, node.service_id) == (
        'cmp-a', 'cmp-a', svc.id)
    assert (node.vcpus, node.memory_mb, node.local_gb) == (5, 1024, 10)
    assert node.uuid and node.mapped == 0


@pytest.mark.parametrize('conf_extra,args,code,message', [
    ({'database': {'connection': ''}}, [], 1,
     'nova-conductor needs [database] connection'),
    ({}, ['--no-such-option'], 2, 'no-such-option'),
])
def test_conductor_refuses_bad_configuration(tmp_path, cell_db, conf_extra,
                                             args, code, message):
    conf = nova_services.write_config(tmp_path / 'bad.conf', 'bad',
                                      'fake://', cell_db, **conf_extra)
    proc = nova_services.ServiceProcess('conductor', conf, *args)
    try:
        assert proc.proc.wait(60) == code
    finally:
        proc.kill()
    log = proc.log_text()
    assert message in log and 'Traceback' not in log


def test_compute_refuses_unknown_driver(tmp_path, cell_db):
    proc = _start(tmp_path, 'compute', 'cmp-x', 'fake://', cell_db,
                  DEFAULT={'compute_driver': 'nope.NopeDriver'})
    try:
        assert proc.proc.wait(60) == 1
    finally:
        proc.kill()
    log = proc.log_text()
    assert "No compute driver 'nope.NopeDriver'" in log
    assert 'Traceback' not in log
