"""nova-status upgrade check against real databases (each backend) and a
real placement under uWSGI, run as the operator runs it: a process."""

import http.server
import json
import os
import subprocess
import sys
import threading
import uuid as uuidlib

import pytest
import requests

from nova.cmd import status
from nova.db.api import tables as api_tables
from nova.db.main import tables
from nova.objects.cell_mapping import CELL0_UUID
from tests.integration.conftest import free_port

EXECUTABLE = os.path.join(os.path.dirname(sys.executable), 'nova-status')
ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement 1.20'}


@pytest.fixture
def providers(placement_server):
    """Create resource providers; all deleted after the test."""
    made = []

    def create(uuid):
        resp = requests.post(placement_server.url + '/resource_providers',
                             json={'name': 'rp-' + uuid, 'uuid': uuid},
                             headers=ADMIN, timeout=30)
        assert resp.status_code == 200, resp.text
        made.append(uuid)

    yield create
    for uuid in made:
        requests.delete(placement_server.url + '/resource_providers/' + uuid,
                        headers=ADMIN, timeout=30)


def _conf(path, api=None, cell=None, placement=None) -> str:
    lines = ['[DEFAULT]']
    if api:
        lines += ['[api_database]', 'connection = %s' % api]
    if cell:
        lines += ['[database]', 'connection = %s' % cell]
    if placement:
        lines += ['[placement]', 'endpoint_override = %s' % placement,
                  'token = admin']
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def _check(conf: str, table: bool = False):
    """Run the check; (exit code, {check: (result, details)}) or, with
    table, (exit code, stdout)."""
    argv = [EXECUTABLE, '--config-file', conf, 'upgrade', 'check']
    done = subprocess.run(argv + ([] if table else ['--json']),
                          capture_output=True, text=True, timeout=120)
    assert 'Traceback' not in done.stdout + done.stderr, done
    if table:
        return done.returncode, done.stdout
    checks = json.loads(done.stdout)['checks']
    return done.returncode, {c['check']: (c['result'], c['details'])
                             for c in checks}


@pytest.fixture
def conf(tmp_path, placement_server, nova_api_url, nova_cell_url):
    return _conf(tmp_path / 'nova.conf', nova_api_url, nova_cell_url,
                 placement_server.url)


def _map_cells(api, cell_url, cell0=True, cells=1) -> list[int]:
    ids = []
    with api.begin() as conn:
        if cell0:
            conn.execute(api_tables.cell_mappings.insert().values(
                uuid=CELL0_UUID, name='cell0', database_connection=cell_url))
        for n in range(cells):
            ids.append(conn.execute(api_tables.cell_mappings.insert().values(
                uuid=str(uuidlib.uuid4()), name='cell%d' % (n + 1),
                database_connection=cell_url)).inserted_primary_key[0])
    return ids


def _add_node(cell_db, host) -> str:
    uuid = str(uuidlib.uuid4())
    with cell_db.begin() as conn:
        conn.execute(tables.compute_nodes.insert().values(
            host=host, hypervisor_hostname=host, uuid=uuid, vcpus=1,
            memory_mb=1, local_gb=1, vcpus_used=0, memory_mb_used=0,
            local_gb_used=0, hypervisor_type='fake', hypervisor_version=1,
            cpu_info='{}'))
    return uuid


def _map_host(api, host, cell_id):
    with api.begin() as conn:
        conn.execute(api_tables.host_mappings.insert().values(
            host=host, cell_id=cell_id))


def test_fresh_install_passes_with_reminders(conf, api, nova_cell_url):
    _map_cells(api, nova_cell_url)

    code, checks = _check(conf)

    assert code == 0, checks
    assert checks['Cells v2'][0] == 0
    assert 'discover_hosts' in checks['Cells v2'][1]
    assert checks['Placement API'] == (0, None)
    assert checks['Resource Providers'][0] == 0
    assert 'no compute resource providers' in checks['Resource Providers'][1]


def test_hosts_fail_until_mapped_and_reporting(conf, api, cell_db,
                                               nova_cell_url, providers):
    [cell1] = _map_cells(api, nova_cell_url)
    node = _add_node(cell_db, 'compute1')

    code, checks = _check(conf)

    assert code == 2
    result, details = checks['Cells v2']
    assert result == 2 and 'compute1' in details
    assert 'discover_hosts' in details
    result, details = checks['Resource Providers']
    assert result == 2 and 'there are 1 compute nodes' in details

    _map_host(api, 'compute1', cell1)
    providers(node)
    code, checks = _check(conf)
    assert code == 0, checks
    assert checks['Cells v2'] == (0, None)
    assert checks['Resource Providers'] == (0, None)

    # A second node, mapped but not reporting: a warning.
    _add_node(cell_db, 'compute2')
    _map_host(api, 'compute2', cell1)
    code, checks = _check(conf)
    assert code == 1, checks
    assert checks['Resource Providers'][0] == 1
    assert '1 compute resource providers and 2 compute nodes' in (
        checks['Resource Providers'][1])


@pytest.mark.parametrize('cell0, cells, message', [
    (False, 1, 'at least two cell mappings'),
    (True, 0, 'at least two cell mappings'),
    (False, 2, 'No cell0 mapping found'),
])
def test_cells_v2_needs_cell0_and_a_cell(conf, api, nova_cell_url, cell0,
                                         cells, message):
    _map_cells(api, nova_cell_url, cell0=cell0, cells=cells)
    code, checks = _check(conf)
    assert code == 2
    assert checks['Cells v2'][0] == 2
    assert message in checks['Cells v2'][1]


def test_table_output(conf, api, nova_cell_url):
    _map_cells(api, nova_cell_url)
    code, out = _check(conf, table=True)
    assert code == 0
    assert 'Upgrade Check Results' in out
    for name in ('Cells v2', 'Placement API', 'Resource Providers'):
        assert 'Check: %s' % name in out
    assert 'Result: Success' in out


def test_without_api_database_or_placement(tmp_path):
    conf = _conf(tmp_path / 'empty.conf')
    code, checks = _check(conf)
    assert code == 2
    assert checks['Cells v2'][0] == 2
    assert '[api_database] connection' in checks['Cells v2'][1]
    assert checks['Placement API'][0] == 2
    assert 'endpoint_override' in checks['Placement API'][1]


def test_placement_down(tmp_path, api, nova_api_url, nova_cell_url):
    _map_cells(api, nova_cell_url)
    conf = _conf(tmp_path / 'nova.conf', nova_api_url, nova_cell_url,
                 'http://127.0.0.1:%d' % free_port())
    code, checks = _check(conf)
    assert code == 2
    assert checks['Cells v2'][0] == 0
    result, details = checks['Placement API']
    assert result == 2 and 'does not seem to be running' in details


class _OldPlacement(http.server.BaseHTTPRequestHandler):
    """A placement root document from before this release's minimum."""

    def do_GET(self):
        body = json.dumps({'versions': [{
            'id': 'v1.0', 'min_version': '1.0', 'max_version': '1.10',
            'status': 'CURRENT'}]}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_placement_too_old(tmp_path):
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _OldPlacement)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conf = _conf(tmp_path / 'nova.conf',
                     placement='http://127.0.0.1:%d' % server.server_port)
        code, checks = _check(conf)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 2
    assert checks['Placement API'] == (2, (
        'Placement API version %s needed, you have 1.10.'
        % status.MIN_PLACEMENT_MICROVERSION))


def test_bad_config_file_is_a_message(tmp_path):
    done = subprocess.run([EXECUTABLE, '--config-file',
                           str(tmp_path / 'missing.conf'), 'upgrade', 'check'],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 255
    assert 'missing.conf' in done.stderr
    assert 'Traceback' not in done.stdout + done.stderr
