"""nova-all-in-one: the whole compute control plane in one process.

    nova-all-in-one --config-file nova.conf [--host 127.0.0.1]
                    [--port 8774] [--computes 1]

Runs nova-api (the paste app of [wsgi] api_paste_config on a threaded
stdlib WSGI server), the super conductor and the scheduler (their records
in [database] connection, cell0 as on an API node) and, for every cell
mapped in the API database but cell0, a cell conductor and `--computes`
fake computes named CELL-computeN, each a nova.service.Service on native
threads. The API server also answers /identity and /image with the
stand-ins of nova.api.stand_ins, for the openstack CLI.

One process is what lets oslo.messaging's in-process `fake://` transport
carry the RPC: it only reaches listeners of the same process. Each cell's
services listen on the transport of its mapping, the others on [DEFAULT]
transport_url.

Prints "nova-all-in-one ready: URL" once everything listens; stops
cleanly on SIGTERM or SIGINT (exit 0). New compute hosts still need
`nova-manage cell_v2 discover_hosts` before they are scheduled to.
"""

import argparse
import signal
import sys
import threading
from wsgiref import simple_server

from oslo_config import cfg
from oslo_log import log as logging

from nova import cells
from nova.compute import manager as compute_manager
from nova.conductor import manager as conductor_manager
from nova.conf import CONF
from nova import context as nova_context
from nova.db import engines
from nova.objects.cell_mapping import CellMapping
from nova import rpc
from nova.scheduler import manager as scheduler_manager
from nova import service
from servicekit import devserver

LOG = logging.getLogger(__name__)


def compute_hosts(cell: CellMapping, count: int) -> list[str]:
    """The host names of a cell's `count` fake computes."""
    return ['%s-compute%d' % (cell.name or cell.uuid[:8], i)
            for i in range(1, count + 1)]


def build_services(computes: int) -> list[service.Service]:
    """Every service of the cloud, not started: the super conductor and
    the scheduler first, then each cell's conductor and computes (the
    configuration parsed and the API database configured already)."""
    api_url = CONF.transport_url
    own_db = CONF.database.connection
    built = [
        service.Service('nova-conductor', 'conductor',
                        conductor_manager.ConductorManager(CONF.host, own_db),
                        transport_url=api_url),
        service.Service('nova-scheduler', 'scheduler',
                        scheduler_manager.SchedulerManager(CONF.host, own_db),
                        transport_url=api_url),
    ]
    ctx = nova_context.get_admin_context()
    for cell in cells.load_cells(ctx, fresh=True):
        if cell.is_cell0:
            continue
        url = cell.transport_url or api_url
        db_url = engines.cell_url(cell)  # ValueError if it has none
        built.append(service.Service(
            'nova-conductor', 'conductor',
            conductor_manager.ConductorManager(CONF.host, db_url),
            transport_url=url))
        for host in compute_hosts(cell, computes):
            built.append(service.Service(
                'nova-compute', 'compute',
                compute_manager.ComputeManager(host, db_url),
                transport_url=url))
    return built


class AllInOne:
    """The services and the API server of one process; start() then
    stop(). `url` is the API's root once started."""

    def __init__(self, host: str = '127.0.0.1', port: int = 8774,
                 computes: int = 1) -> None:
        self.host = host
        self.port = port
        self.computes = computes
        self.services: list[service.Service] = []
        self._server: simple_server.WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return 'http://%s:%d' % (self.host, self.port)

    def start(self) -> None:
        """Start every service, then serve the API (OSError if the port
        is taken). Stops what it started if any of it fails."""
        from nova.api import stand_ins
        from nova.api import wsgi
        try:
            for svc in build_services(self.computes):
                svc.start()
                self.services.append(svc)
            app = stand_ins.Mounted(wsgi.build_app(CONF))
            self._server = simple_server.make_server(
                self.host, self.port, app,
                server_class=devserver.ThreadingWSGIServer,
                handler_class=_QuietHandler)
        except BaseException:
            self.stop()
            raise
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='nova-api', daemon=True)
        self._thread.start()
        LOG.info('nova-all-in-one: API on %s, %d services', self.url,
                 len(self.services))

    def stop(self) -> None:
        """Stop serving the API, then the services in reverse order."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        while self.services:
            self.services.pop().stop()


class _QuietHandler(simple_server.WSGIRequestHandler):
    """Request lines go to the log at debug level, not to stderr."""

    def log_message(self, format: str, *args) -> None:
        LOG.debug('%s %s', self.address_string(), format % args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description='The compute API and every service in one process.')
    parser.add_argument('--host', default='127.0.0.1',
                        help='Address the API listens on.')
    parser.add_argument('--port', type=int, default=8774)
    parser.add_argument('--computes', type=int, default=1,
                        help='Fake compute hosts per cell (default 1).')
    parser.add_argument('--config-file', action='append', default=[],
                        help='May be given more than once.')
    args = parser.parse_args(argv)
    try:
        CONF([], project='nova', default_config_files=args.config_file)
    except cfg.Error as exc:
        print('Error: %s' % exc, file=sys.stderr)
        return 2
    logging.setup(CONF, 'nova')
    if not (CONF.api_database.connection and CONF.database.connection):
        LOG.error('nova-all-in-one needs [api_database] connection and '
                  '[database] connection (cell0)')
        return 1
    engines.configure(
        api_connection=CONF.api_database.connection,
        settings=engines.Settings.from_group(CONF.database))
    # Signals go to sigwait below: every thread started from here on
    # inherits the mask.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    cloud = AllInOne(args.host, args.port, args.computes)
    try:
        cloud.start()
    except Exception as exc:
        LOG.error('nova-all-in-one failed to start: %s', exc)
        print('Error: %s' % exc, file=sys.stderr)
        return 1
    print('nova-all-in-one ready: %s' % cloud.url, flush=True)
    received = signal.sigwait(stop_signals)
    LOG.info('nova-all-in-one caught %s, stopping',
             signal.Signals(received).name)
    cloud.stop()
    rpc.cleanup()
    engines.dispose_all()
    return 0


if __name__ == '__main__':
    sys.exit(main())
