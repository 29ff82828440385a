"""Placement served by uWSGI the way README.rst documents it:
`placement-manage db sync`, then uwsgi with etc/placement/placement-uwsgi.ini
plus an HTTP socket, configuration from $PLACEMENT_CONFIG_FILE.
"""

import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.integration.conftest import REPO, free_port

BIN = Path(sys.executable).parent


def wait_for(url: str, proc: subprocess.Popen, log: Path,
             timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, 'uwsgi exited %s:\n%s' % (
            proc.returncode, log.read_text()[-3000:])
        try:
            requests.get(url + '/', timeout=5)
            return
        # Refused before uWSGI binds; timed out while workers load the app.
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    pytest.fail('uwsgi did not answer in %ds:\n%s' % (
        timeout, log.read_text()[-3000:]))


@pytest.fixture(scope='module')
def uwsgi_placement(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('uwsgi')
    conf = tmp_path / 'placement.conf'
    conf.write_text('[api]\nauth_strategy = noauth2\n'
                    '[placement_database]\nconnection = sqlite:///%s\n'
                    % (tmp_path / 'placement.sqlite'))
    sync = subprocess.run([str(BIN / 'placement-manage'), '--config-file',
                           str(conf), 'db', 'sync'],
                          capture_output=True, text=True, timeout=120)
    assert sync.returncode == 0, sync.stderr
    port = free_port()
    url = 'http://127.0.0.1:%d' % port
    log = tmp_path / 'uwsgi.log'
    with open(log, 'w') as out:
        proc = subprocess.Popen(
            [str(BIN / 'uwsgi'), '--ini',
             str(REPO / 'etc' / 'placement' / 'placement-uwsgi.ini'),
             '--http', '127.0.0.1:%d' % port],
            cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
            env=dict(os.environ, PLACEMENT_CONFIG_FILE=str(conf)))
    try:
        wait_for(url, proc, log)
        yield url
    finally:
        proc.terminate()  # die-on-term: SIGTERM stops master and workers
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_root_lists_the_version_document(uwsgi_placement):
    resp = requests.get(uwsgi_placement + '/', timeout=10)
    assert resp.status_code == 200
    assert resp.headers['content-type'].startswith('application/json')
    (version,) = resp.json()['versions']
    assert version['id'] == 'v1.0'
    assert (version['min_version'], version['max_version']) == ('1.0', '1.39')
    assert version['status'] == 'CURRENT'


def test_request_without_token_is_401(uwsgi_placement):
    resp = requests.get(uwsgi_placement + '/resource_providers', timeout=10)
    assert resp.status_code == 401
    (error,) = resp.json()['errors']
    assert error['status'] == 401


def test_keep_alive_connections_are_not_dropped(uwsgi_placement):
    """Clients reuse connections (requests, keystoneauth); a server that
    drops a kept-alive connection makes them fail at random."""
    failures = collections.Counter()

    def client():
        with requests.Session() as session:
            for _ in range(100):
                try:
                    session.get(uwsgi_placement + '/', timeout=10)
                except requests.ConnectionError as exc:
                    failures[str(exc)[:160]] += 1

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, 'connections dropped: %s' % dict(failures)
