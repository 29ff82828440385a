"""A real Cinder for the tests (tools/cinder.sh: cinder-api under uWSGI,
cinder-scheduler and cinder-volume with the file-backed fake backend, on
MariaDB and RabbitMQ), and a small client of its REST API to create
volumes and to check what Nova left there.

Cinder runs with auth_strategy noauth: the token "USER:PROJECT" names the
caller and every caller is an admin.
"""

import os
from pathlib import Path
import subprocess
import time

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / 'tools' / 'cinder.sh'
HEADERS = {'OpenStack-API-Version': 'volume 3.71',
           'Content-Type': 'application/json'}


class CinderError(Exception):
    pass


class Cinder:
    """tools/cinder.sh with its own state directory."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.env = dict(os.environ, CLOUD_STATE=str(state))
        self.url = ''

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SCRIPT), *args], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=600)

    def start(self) -> None:
        proc = self._run('up')
        if proc.returncode:
            raise CinderError('tools/cinder.sh up failed:\n%s\n%s' % (
                proc.stdout, proc.stderr))
        port = (self.state / 'cinder' / 'port').read_text().strip()
        self.url = 'http://127.0.0.1:%s/v3' % port

    def stop(self) -> None:
        self._run('down', '--purge')

    # REST

    def request(self, method: str, path: str, token: str = 'admin:admin',
                headers: dict | None = None,
                **kwargs) -> requests.Response:
        headers = dict(HEADERS, **{'X-Auth-Token': token}, **headers or {})
        return requests.request(method, self.url + path, headers=headers,
                                timeout=60, **kwargs)

    def _ok(self, resp: requests.Response) -> dict:
        if resp.status_code >= 300:
            raise CinderError('%s %s -> %s %s' % (
                resp.request.method, resp.request.url, resp.status_code,
                resp.text))
        return resp.json() if resp.content else {}

    def create_volume(self, token: str = 'admin:admin', size: int = 1,
                      volume_type: str | None = None,
                      **extra) -> str:
        """A new volume, once available; its id."""
        body = dict(size=size, **extra)
        if volume_type:
            body['volume_type'] = volume_type
        volume = self._ok(self.request('POST', '/volumes', token,
                                       json={'volume': body}))['volume']
        self.wait(volume['id'], 'available')
        return volume['id']

    def volume(self, volume_id: str) -> dict:
        return self._ok(self.request('GET', '/volumes/' + volume_id))[
            'volume']

    def wait(self, volume_id: str, status: str,
             timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            volume = self.volume(volume_id)
            if volume['status'] == status:
                return volume
            if volume['status'] == 'error' or time.monotonic() > deadline:
                raise CinderError('volume %s is %s, not %s' % (
                    volume_id, volume['status'], status))
            time.sleep(0.1)

    def attachments(self) -> list[dict]:
        """Every attachment Cinder has, of any project."""
        return self._ok(self.request(
            'GET', '/attachments/detail?all_tenants=1'))['attachments']

    def delete_volume(self, volume_id: str) -> None:
        resp = self.request('DELETE', '/volumes/' + volume_id)
        if resp.status_code not in (202, 404):
            self._ok(resp)


def started(tmp_path_factory) -> Cinder:
    """A running Cinder, or a skip (a failure under CI) if it cannot
    start here."""
    cinder = Cinder(tmp_path_factory.mktemp('cinder'))
    try:
        cinder.start()
    except (CinderError, subprocess.TimeoutExpired) as exc:
        cinder.stop()
        if os.environ.get('CI'):
            pytest.fail(str(exc))
        pytest.skip('Cinder does not start here: %s' % exc)
    return cinder
