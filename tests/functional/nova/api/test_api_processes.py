"""nova-api as real processes: under uWSGI with etc/nova/nova-api-uwsgi.ini
(configuration from $OS_NOVA_CONFIG_DIR), and the development server of
`nova-api` (python -m nova.cmd.api)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.integration.conftest import free_port

REPO = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent


@pytest.fixture(scope='module')
def config_dir(tmp_path_factory):
    """nova.conf for noauth2 on a migrated SQLite API database."""
    from nova.db import migration
    tmp = tmp_path_factory.mktemp('nova_api_server')
    url = 'sqlite:///%s' % (tmp / 'nova_api.sqlite')
    migration.upgrade(url, 'api')
    (tmp / 'nova.conf').write_text(
        '[api]\nauth_strategy = noauth2\n'
        '[api_database]\nconnection = %s\n' % url)
    return tmp


def _serve(cmd: list[str], url: str, config_dir: Path, log: Path):
    env = dict(os.environ, OS_NOVA_CONFIG_DIR=str(config_dir),
               PYTHONPATH=str(REPO))
    with open(log, 'w') as out:
        proc = subprocess.Popen(cmd, cwd=config_dir, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        assert proc.poll() is None, 'server exited %s:\n%s' % (
            proc.returncode, log.read_text()[-3000:])
        try:
            requests.get(url + '/', timeout=5)
            return proc
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    proc.kill()
    pytest.fail('no answer in 120s:\n%s' % log.read_text()[-3000:])


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _exercise(url: str) -> None:
    resp = requests.get(url + '/', timeout=10)
    assert resp.status_code == 200
    assert resp.json()['versions'][1]['version'] == '2.69'
    assert resp.headers['x-openstack-request-id'].startswith('req-')
    headers = {'X-Auth-Token': 'admin', 'OpenStack-API-Version':
               'compute 2.53'}
    resp = requests.post(url + '/v2.1/flavors', headers=headers, timeout=10,
                         json={'flavor': {'name': 'm1.nano', 'ram': 64,
                                          'vcpus': 1, 'disk': 0}})
    assert resp.status_code == 200, resp.text
    flavor = resp.json()['flavor']
    assert flavor['links'][0]['href'] == '%s/v2.1/flavors/%s' % (
        url, flavor['id'])
    resp = requests.get(url + '/v2.1/flavors/detail', headers=headers,
                        timeout=10)
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.53'
    assert flavor in resp.json()['flavors']
    resp = requests.delete(url + '/v2.1/flavors/' + flavor['id'],
                           headers=headers, timeout=10)
    assert resp.status_code == 202


def test_uwsgi(config_dir):
    port = free_port()
    url = 'http://127.0.0.1:%d' % port
    proc = _serve([str(BIN / 'uwsgi'), '--ini',
                   str(REPO / 'etc' / 'nova' / 'nova-api-uwsgi.ini'),
                   '--http', '127.0.0.1:%d' % port],
                  url, config_dir, config_dir / 'uwsgi.log')
    try:
        _exercise(url)
    finally:
        _stop(proc)


def test_development_server(config_dir):
    port = free_port()
    url = 'http://127.0.0.1:%d' % port
    proc = _serve([sys.executable, '-m', 'nova.cmd.api', '--port', str(port)],
                  url, config_dir, config_dir / 'api.log')
    try:
        _exercise(url)
    finally:
        _stop(proc)


def test_development_server_bad_config(tmp_path):
    bad = tmp_path / 'bad.conf'
    bad.write_text('[api]\nauth_strategy = sometimes\n')
    proc = subprocess.run(
        [sys.executable, '-m', 'nova.cmd.api', '--port', str(free_port()),
         '--config-file', str(bad)],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 2
    assert 'auth_strategy' in proc.stderr
    assert 'Traceback' not in proc.stderr
