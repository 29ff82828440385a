"""Running one Nova binary: its service record, RPC server, heartbeat and
periodic tasks.

A `Service` wraps a manager (the RPC endpoint of nova-conductor,
nova-scheduler or nova-compute). Starting it

1. lets the manager prepare its host (`init_host`),
2. creates or refreshes the binary's row in the services table of the cell
   database ([database] connection; computes and cell conductors have no
   API database),
3. lets the manager act on that row (`pre_start_hook`: a compute writes its
   compute nodes),
4. listens on the topic's queue, addressed to this host as server,
5. starts the heartbeat (every report_interval, report_count and
   last_seen_up) and the periodic tasks (manager methods marked with
   `periodic_task`), each a futurist PeriodicWorker on its own thread.

`stop()` undoes that in reverse; nothing is marked deleted, so the row
just goes stale and the service counts as down after service_down_time.
`run()` is the whole life of a process: configuration, logging, start,
wait for SIGTERM or SIGINT, stop, exit 0.
"""

from collections.abc import Callable
import signal
import sys
import threading
import time
from typing import Any

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging
from futurist import periodics
import oslo_messaging as messaging
from oslo_utils import timeutils

from nova import context as nova_context
from nova.conf import CONF
from nova.db import engines
from nova.db.main import services
from nova.objects.service import Service as ServiceRecord
from nova import rpc

LOG = logging.getLogger(__name__)

# The code level of this tree's services, stored in services.version at
# start. Bump it whenever an RPC API or a record gains a version, so that
# newer services can find out what the oldest one running understands.
SERVICE_VERSION = 1

_PERIODIC = '_periodic_spacing'


def periodic_task(spacing: int | None = None,
                  run_immediately: bool = False) -> Callable:
    """Mark a manager method `method(self, ctx)` to run every `spacing`
    seconds ([DEFAULT] periodic_interval if None), first right at start if
    `run_immediately`."""
    def mark(fn: Callable) -> Callable:
        setattr(fn, _PERIODIC, (spacing, run_immediately))
        return fn
    return mark


class Manager:
    """Base of the RPC endpoints. Only methods decorated with
    oslo_messaging.expose can be called over RPC; the hooks below are for
    the Service."""

    target = messaging.Target(version='1.0')

    def __init__(self, host: str, db_url: str) -> None:
        self.host = host
        # The cell database this service's records live in.
        self.db_url = db_url
        # This binary's services row, once the Service has written it.
        self.service_ref: ServiceRecord | None = None

    def init_host(self) -> None:
        """Prepare the host before the service record is written."""

    def pre_start_hook(self, ctx: nova_context.RequestContext) -> None:
        """Act on the written service record, before RPC starts."""

    def cleanup_host(self) -> None:
        """Release the host after RPC and the threads have stopped."""

    def periodic_tasks(self) -> list[tuple[str, Callable, int, bool]]:
        """(name, bound method, spacing, run_immediately) of each task."""
        tasks = []
        for name in sorted(dir(type(self))):
            marker = getattr(getattr(type(self), name), _PERIODIC, None)
            if marker is not None:
                spacing, immediately = marker
                tasks.append((name, getattr(self, name),
                              spacing or CONF.periodic_interval, immediately))
        return tasks

    @messaging.expose
    def ping(self, ctx: nova_context.RequestContext, arg: Any) -> dict:
        """Echo `arg` with who answered: a liveness check over RPC."""
        return {'host': self.host, 'binary': self.service_ref.binary
                if self.service_ref else None, 'arg': arg}


class Service:
    """One binary on this host; see the module's docstring."""

    def __init__(self, binary: str, topic: str, manager: Manager,
                 report_interval: int | None = None,
                 transport_url: str | None = None) -> None:
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self.host = manager.host
        self.db_url = manager.db_url
        self.report_interval = report_interval or CONF.report_interval
        self.transport_url = transport_url
        self.record: ServiceRecord | None = None
        self._ctx = nova_context.get_admin_context()
        self._workers: list[tuple[periodics.PeriodicWorker,
                                  threading.Thread]] = []
        self._server: messaging.MessageHandlingServer | None = None
        self._heartbeat_failing = False

    def start(self) -> None:
        if self.report_interval >= CONF.service_down_time:
            LOG.warning('report_interval (%ss) is not below '
                        'service_down_time (%ss): %s will flap between up '
                        'and down', self.report_interval,
                        CONF.service_down_time, self.binary)
        self.manager.init_host()
        self.record = self._register()
        self.manager.service_ref = self.record
        self.manager.pre_start_hook(self._ctx)
        target = messaging.Target(topic=self.topic, server=self.host)
        self._server = rpc.get_server(
            target, [self.manager], rpc.get_transport(self.transport_url))
        self._server.start()
        @periodics.periodic(self.report_interval)
        def heartbeat() -> None:
            self.report_state()

        self._run_periodically('heartbeat', [(heartbeat, None, None)])
        tasks = self.manager.periodic_tasks()
        if tasks:
            self._run_periodically('periodic',
                                   [self._task(*task) for task in tasks])
        LOG.info('%s started on host %s (topic %s, service id %s)',
                 self.binary, self.host, self.topic, self.record.id)

    def stop(self, timeout: float = 60) -> None:
        """Stop taking messages, finish those in hand, stop the threads."""
        if self._server is not None:
            self._server.stop()
            self._server.wait()
            self._server = None
        for worker, _ in self._workers:
            worker.stop()
        deadline = time.monotonic() + timeout
        for _, thread in self._workers:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                LOG.warning('%s thread still busy at shutdown', thread.name)
        self._workers = []
        self.manager.cleanup_host()
        LOG.info('%s on host %s stopped', self.binary, self.host)

    def _register(self) -> ServiceRecord:
        """Create this binary's services row, or bring an existing one up
        to date (disabled state and counts are the operator's: kept)."""
        now = timeutils.utcnow()
        try:
            with engines.cell_writer(self.db_url) as conn:
                if services.get_by_host_and_binary(
                        conn, self.host, self.binary) is None:
                    record = services.create(conn, ServiceRecord(
                        host=self.host, binary=self.binary, topic=self.topic,
                        version=SERVICE_VERSION, last_seen_up=now))
                    LOG.info('Created service record for %s on %s',
                             self.binary, self.host)
                    return record
        except db_exc.DBDuplicateEntry:
            pass  # another process of this binary on this host won
        with engines.cell_writer(self.db_url) as conn:
            existing = services.get_by_host_and_binary(conn, self.host,
                                                       self.binary)
            if existing is None:
                # Deleted since the first look (or the duplicate was the
                # host's topic, held by another binary): create it here, so
                # that a clash raises DBDuplicateEntry, not AttributeError.
                return services.create(conn, ServiceRecord(
                    host=self.host, binary=self.binary, topic=self.topic,
                    version=SERVICE_VERSION, last_seen_up=now))
            assert existing.id is not None  # read back from the database
            services.update(conn, existing.id, topic=self.topic,
                            version=SERVICE_VERSION, last_seen_up=now)
            updated = services.get(conn, existing.id)
            assert updated is not None  # the live row updated just above
            return updated

    def report_state(self) -> None:
        """One heartbeat. A database outage is logged once, not raised:
        the service keeps serving and reports again when it can."""
        # Only the heartbeat that start() schedules after _register() calls
        # this, so the record is stored and has its id.
        assert self.record is not None and self.record.id is not None
        try:
            _heartbeat(self.db_url, self.record.id)
        except db_exc.DBError as exc:
            if not self._heartbeat_failing:
                LOG.error('Heartbeat of %s failed, the service will look '
                          'down until it succeeds: %s', self.binary, exc)
            self._heartbeat_failing = True
            return
        if self._heartbeat_failing:
            LOG.info('Heartbeat of %s recovered', self.binary)
        self._heartbeat_failing = False

    def _task(self, name: str, method: Callable, spacing: int,
              immediately: bool) -> tuple[Callable, None, None]:
        """A manager's periodic task as a futurist periodic callable; a
        failure is logged, and the task runs again after `spacing`."""
        @periodics.periodic(spacing, run_immediately=immediately)
        def run() -> None:
            try:
                method(self._ctx)
            except Exception:
                LOG.exception('Periodic task %s failed', name)
        return run, None, None

    def _run_periodically(self, name: str, callables: list) -> None:
        """Run `callables` on a thread of their own, one at a time, each
        again `spacing` seconds after its last run finished."""
        worker = periodics.PeriodicWorker(callables,
                                          schedule_strategy='last_finished')
        thread = threading.Thread(target=worker.start, daemon=True,
                                  name='%s-%s' % (self.binary, name))
        thread.start()
        self._workers.append((worker, thread))


# Every service of a cell writes its services row each report_interval:
# on MySQL those writes can deadlock one another.
@engines.retry_on_deadlock
def _heartbeat(db_url: str, service_id: int) -> None:
    with engines.cell_writer(db_url) as conn:
        services.heartbeat(conn, service_id, timeutils.utcnow())


def run(binary: str, topic: str,
        manager_factory: Callable[[str, str], Manager],
        argv: list[str] | None = None, cell_only: bool = False) -> int:
    """The life of one service process; returns its exit code.
    `cell_only`: a binary that lives in a cell (nova-compute) and never
    opens the API database, even if [api_database] names one."""
    try:
        CONF(argv if argv is not None else sys.argv[1:], project='nova')
    except cfg.Error as exc:
        print('Error: %s' % exc, file=sys.stderr)
        return 2
    logging.setup(CONF, 'nova')
    if not CONF.database.connection:
        LOG.error('%s needs [database] connection (its cell database)',
                  binary)
        return 1
    api_connection = CONF.api_database.connection
    if api_connection and cell_only:
        # No call goes up from a cell: ignore it rather than let a
        # compute depend on the API database by accident.
        LOG.warning('%s ignores [api_database] connection: it only uses '
                    'its cell database', binary)
        api_connection = None
    elif not api_connection:
        LOG.info('%s has no API database: it serves its cell only', binary)
    engines.configure(
        api_connection=api_connection,
        settings=engines.Settings.from_group(CONF.database))
    # Signals go to sigwait below, not to whichever thread is running:
    # threads started from here on inherit the mask.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    try:
        service = Service(binary, topic, manager_factory(
            CONF.host, CONF.database.connection))
        service.start()
    except Exception as exc:
        LOG.error('%s failed to start: %s', binary, exc)
        return 1
    received = signal.sigwait(stop_signals)
    LOG.info('%s caught %s, stopping', binary,
             signal.Signals(received).name)
    service.stop()
    rpc.cleanup()
    engines.dispose_all()
    return 0
