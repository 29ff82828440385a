"""A Service in-process on the fake transport and a real cell database:
its services row, heartbeat, up/down judgement and periodic tasks."""

import datetime
import logging
import threading

import pytest
from oslo_utils import timeutils

from nova.db.main import services
from nova import service
from tests import nova_services


class _Manager(service.Manager):
    """Counts its periodic runs; the first run of `flaky` raises."""

    def __init__(self, host, db_url):
        super().__init__(host, db_url)
        self.runs = {'often': 0, 'flaky': 0, 'rarely': 0}
        self.lock = threading.Lock()
        # Set once flaky has run three times (the first one raised).
        self.flaky_thrice = threading.Event()

    def _count(self, name):
        with self.lock:
            self.runs[name] += 1
            if name == 'flaky' and self.runs[name] >= 3:
                self.flaky_thrice.set()
            return self.runs[name]

    @service.periodic_task(spacing=0.2, run_immediately=True)
    def often(self, ctx):
        self._count('often')

    @service.periodic_task(spacing=0.2)
    def flaky(self, ctx):
        if self._count('flaky') == 1:
            raise RuntimeError('first run fails')

    @service.periodic_task(spacing=3600)
    def rarely(self, ctx):
        self._count('rarely')


@pytest.fixture
def conf():
    with nova_services.configured(transport_url='fake://') as conf:
        yield conf


def _get(engines, url, service_id):
    with engines.cell_reader(url) as conn:
        return services.get(conn, service_id)


def _started(svc):
    """svc.start(); the threads it started."""
    before = set(threading.enumerate())
    svc.start()
    return set(threading.enumerate()) - before


def _still_running(threads):
    return sorted(t.name for t in threads if t.is_alive())


def test_heartbeat_and_up_down(nova_engines, nova_cell_url, conf):
    conf.set_override('service_down_time', 2)
    svc = service.Service('nova-conductor', 'conductor',
                          _Manager('hb-host', nova_cell_url),
                          report_interval=1)
    threads = _started(svc)
    try:
        first = _get(nova_engines, nova_cell_url, svc.record.id)
        assert (first.host, first.binary, first.topic) == (
            'hb-host', 'nova-conductor', 'conductor')
        assert first.version == service.SERVICE_VERSION
        assert first.last_seen_up is not None
        later = nova_services.wait_for(
            lambda: (lambda s: s if s.report_count >= 2 else None)(
                _get(nova_engines, nova_cell_url, svc.record.id)),
            timeout=10, what='two heartbeats')
        assert later.last_seen_up > first.last_seen_up
        assert services.is_up(later, timeutils.utcnow(),
                              conf.service_down_time)
    finally:
        svc.stop()
    # No thread is left to write another heartbeat ...
    assert _still_running(threads) == []
    stopped = _get(nova_engines, nova_cell_url, svc.record.id)
    assert stopped.deleted == 0  # a stopped service is stale, not deleted
    # ... so the row, as it is now, is down once service_down_time passed.
    assert services.is_up(stopped, stopped.last_seen_up,
                          conf.service_down_time)
    later = stopped.last_seen_up + datetime.timedelta(
        seconds=conf.service_down_time + 1)
    assert not services.is_up(stopped, later, conf.service_down_time)


def test_restart_reuses_row_and_keeps_operator_state(nova_engines,
                                                     nova_cell_url, conf):
    svc = service.Service('nova-compute', 'compute',
                          _Manager('re-host', nova_cell_url))
    svc.start()
    svc.stop()
    with nova_engines.cell_writer(nova_cell_url) as conn:
        services.update(conn, svc.record.id, disabled=True,
                        disabled_reason='maintenance', version=0)
    again = service.Service('nova-compute', 'compute',
                            _Manager('re-host', nova_cell_url))
    again.start()
    again.stop()
    assert again.record.id == svc.record.id
    assert again.record.uuid == svc.record.uuid
    assert (again.record.disabled, again.record.disabled_reason) == (
        True, 'maintenance')
    assert again.record.version == service.SERVICE_VERSION
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert len(services.list_all(conn, binary='nova-compute')) == 1


def test_periodic_tasks_run_on_their_spacing(nova_engines, nova_cell_url,
                                             conf):
    manager = _Manager('pt-host', nova_cell_url)
    assert [name for name, *_ in manager.periodic_tasks()] == [
        'flaky', 'often', 'rarely']
    svc = service.Service('nova-scheduler', 'scheduler', manager)
    threads = _started(svc)
    try:
        # A task that raised keeps its schedule.
        assert manager.flaky_thrice.wait(10), manager.runs
    finally:
        svc.stop()
    assert manager.runs['often'] >= 3
    assert manager.runs['rarely'] == 0
    # Stopped means stopped: the threads that ran the tasks have ended.
    assert _still_running(threads) == []


def test_heartbeat_survives_database_outage(nova_engines, nova_cell_url,
                                            conf, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger='nova.service')
    svc = service.Service('nova-conductor', 'conductor',
                          _Manager('out-host', nova_cell_url))
    svc.start()
    try:
        # Point the heartbeat at a database that has no services table.
        good, svc.db_url = svc.db_url, 'sqlite:///%s' % (tmp_path / 'x.db')
        svc.report_state()
        svc.report_state()
        assert caplog.text.count('Heartbeat of nova-conductor failed') == 1
        svc.db_url = good
        svc.report_state()
        assert 'Heartbeat of nova-conductor recovered' in caplog.text
    finally:
        svc.stop()
