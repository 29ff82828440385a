"""A cloud of real processes with several cells, built the way an
operator builds it, for integration tests.

`deploy(tmp_path, cells)` makes the databases (the API database and cell0
on SQLite, each cell on its backend), a RabbitMQ vhost for the API level
and one per cell, placement under uWSGI and the API node's nova.conf;
what runs on top is up to the test:

    with multicell.deploy(tmp_path, {'cell1': 'mysql'}) as dep:
        multicell.build_cells(dep)              # nova-manage, as documented
        multicell.start_control_plane(dep)      # super conductor, scheduler
        multicell.start_cell_services(dep, 'cell1')
        multicell.discover_hosts(dep)
        api = multicell.start_api(dep)          # nova-api under uWSGI

Cell services (conductor, computes) get the cell's database and vhost and
placement only: no API database.
"""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests import databases
from tests import nova_services
from tests.integration.conftest import REPO, PlacementServer, free_port

BIN = Path(sys.executable).parent


def run(*argv: str, conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / argv[0]), '--config-file', str(conf),
                           *argv[1:]], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, (proc.args, proc.returncode, proc.stdout,
                                  proc.stderr)
    return proc.stdout


@contextlib.contextmanager
def deploy(tmp_path: Path, cells: dict[str, str]):
    """The deployment dict: api_conf, cells (name -> {db, mq, backend}),
    cell0, api_mq, tmp, procs (killed at the end), placement (URL)."""
    for service in set(cells.values()) | {'rabbitmq'}:
        if service != 'sqlite':
            databases.require_service(service)
    made_dbs, vhosts, procs = [], [], []
    placement = PlacementServer('sqlite')
    try:
        placement.start()
        api_url = 'sqlite:///%s' % (tmp_path / 'nova_api.sqlite')
        cell0_url = 'sqlite:///%s' % (tmp_path / 'nova_cell0.sqlite')
        vhosts.append(nova_services.rabbitmq_vhost())
        api_mq = vhosts[0]
        deployed = {}
        for name, backend in cells.items():
            db_url = databases.create(backend, tmp_path, 'nova_' + name)
            made_dbs.append(db_url)
            vhosts.append(nova_services.rabbitmq_vhost())
            deployed[name] = {'db': db_url, 'mq': vhosts[-1],
                              'backend': backend}
        # The API node's configuration: API database, cell0 as its
        # [database] (the super conductor's and scheduler's service
        # records), the API level's own vhost, placement.
        api_conf = nova_services.write_config(
            tmp_path / 'nova-api.conf', 'api', api_mq, cell0_url,
            api_database={'connection': api_url},
            api={'auth_strategy': 'noauth2'},
            placement={'endpoint_override': placement.url,
                       'token': 'admin'})
        yield {'api_conf': api_conf, 'cells': deployed, 'cell0': cell0_url,
               'api_db': api_url, 'api_mq': api_mq, 'tmp': tmp_path,
               'procs': procs, 'placement': placement.url}
    finally:
        for proc in procs:
            proc.kill()
        placement.stop()
        for url in made_dbs:
            databases.drop(url)
        for url in vhosts:
            nova_services.delete_vhost(url)


def build_cells(dep: dict) -> dict[str, str]:
    """api_db sync, map_cell0, db sync, create_cell and the cell's db
    sync for every cell; {cell name: cell uuid}."""
    conf = dep['api_conf']
    ok(run('nova-manage', 'api_db', 'sync', conf=conf))
    ok(run('nova-manage', 'cell_v2', 'map_cell0', '--database_connection',
           dep['cell0'], conf=conf))
    ok(run('nova-manage', 'db', 'sync', conf=conf))  # cell0
    uuids = {}
    for name, cell in dep['cells'].items():
        out = ok(run('nova-manage', 'cell_v2', 'create_cell', '--name', name,
                     '--transport-url', cell['mq'], '--database_connection',
                     cell['db'], '--verbose', conf=conf))
        uuids[name] = out.strip().splitlines()[-1]
        cell_conf = nova_services.write_config(
            dep['tmp'] / (name + '-manage.conf'), name, cell['mq'],
            cell['db'])
        ok(run('nova-manage', 'db', 'sync', '--local_cell', conf=cell_conf))
    return uuids


def _start(dep: dict, binary: str, conf: Path
           ) -> nova_services.ServiceProcess:
    proc = nova_services.ServiceProcess(binary, conf)
    dep['procs'].append(proc)
    return proc


def start_control_plane(dep: dict) -> dict:
    """The super conductor and the scheduler, with the API node's
    configuration; {host: process}."""
    started = {}
    for binary in ('conductor', 'scheduler'):
        host = 'super-' + binary
        conf = nova_services.write_config(
            dep['tmp'] / (host + '.conf'), host, dep['api_mq'],
            dep['cell0'], api_database={'connection': dep['api_db']},
            placement={'endpoint_override': dep['placement'],
                       'token': 'admin'})
        started[host] = _start(dep, binary, conf)
    return started


def start_cell_services(dep: dict, name: str) -> list:
    """A conductor and two computes for cell `name`, configured with the
    cell's database and vhost only (no API database), and placement (the
    computes report their nodes to it). [(host, binary, process)]."""
    cell = dep['cells'][name]
    started = []
    for binary, host in (('conductor', name + '-conductor'),
                         ('compute', name + '-compute1'),
                         ('compute', name + '-compute2')):
        conf = nova_services.write_config(
            dep['tmp'] / (host + '.conf'), host, cell['mq'], cell['db'],
            placement={'endpoint_override': dep['placement'],
                       'token': 'admin'})
        proc = _start(dep, binary, conf)
        started.append((host, binary, proc))
    return started


def services_in(db_url: str) -> list:
    from nova.db import engines
    from nova.db.main import services
    with engines.cell_reader(db_url) as conn:
        return services.list_all(conn)


def wait_for_services(dep: dict, name: str, timeout: float = 120) -> list:
    """The cell's three services once each has heartbeaten twice."""
    def all_reporting():
        rows = services_in(dep['cells'][name]['db'])
        hosts = {s.host for s in rows if s.report_count >= 2}
        return len(hosts) == 3 and rows
    return nova_services.wait_for(all_reporting, timeout,
                                  what='services of %s' % name)


def discover_hosts(dep: dict) -> str:
    return ok(run('nova-manage', 'cell_v2', 'discover_hosts', '--verbose',
                  conf=dep['api_conf']))


def start_api(dep: dict, timeout: float = 120) -> str:
    """nova-api under uWSGI with etc/nova/nova-api-uwsgi.ini, configured
    like the API node; its URL."""
    config_dir = dep['tmp'] / 'nova-api'
    config_dir.mkdir(exist_ok=True)
    (config_dir / 'nova.conf').write_text(dep['api_conf'].read_text())
    port = free_port()
    url = 'http://127.0.0.1:%d' % port
    log = dep['tmp'] / 'nova-api-uwsgi.log'
    env = dict(os.environ, OS_NOVA_CONFIG_DIR=str(config_dir),
               PYTHONPATH=str(REPO))
    with open(log, 'w') as out:
        proc = subprocess.Popen(
            [str(BIN / 'uwsgi'), '--ini',
             str(REPO / 'etc' / 'nova' / 'nova-api-uwsgi.ini'),
             '--http', '127.0.0.1:%d' % port],
            cwd=config_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
    dep['procs'].append(_Uwsgi(proc))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, 'uwsgi exited %s:\n%s' % (
            proc.returncode, log.read_text()[-3000:])
        try:
            requests.get(url + '/', timeout=5)
            return url
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    pytest.fail('nova-api did not answer in %ds:\n%s'
                % (timeout, log.read_text()[-3000:]))


class _Uwsgi:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # die-on-term stops master and workers
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
