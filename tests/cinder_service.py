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
import threading
import time
from wsgiref import simple_server

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / 'tools' / 'cinder.sh'
HEADERS = {'OpenStack-API-Version': 'volume 3.71',
           'Content-Type': 'application/json'}


class CinderError(Exception):
    pass


class Cinder:
    """tools/cinder.sh with its own state directory; `nova_port`: where
    Cinder finds Nova (and the image stand-in, under /image)."""

    def __init__(self, state: Path, nova_port: int | None = None) -> None:
        self.state = state
        self.env = dict(os.environ, CLOUD_STATE=str(state))
        if nova_port:
            self.env['NOVA_API_PORT'] = str(nova_port)
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

    def empty(self) -> None:
        """Delete every attachment (as a service may) and volume."""
        for attachment in self.attachments():
            self.request('DELETE', '/attachments/' + attachment['id'],
                         headers={'X-Service-Roles': 'service'})
        for volume in self._ok(self.request(
                'GET', '/volumes/detail?all_tenants=1'))['volumes']:
            if volume['status'] != 'deleting':
                self.delete_volume(volume['id'])

    def delete_volume(self, volume_id: str) -> None:
        resp = self.request('DELETE', '/volumes/' + volume_id)
        if resp.status_code not in (202, 404):
            self._ok(resp)


def image_service() -> tuple[int, threading.Thread]:
    """The image stand-in of nova-all-in-one (a read-only Glance over the
    shipped catalog) on a free port of this process, for the volumes
    Cinder makes from images; (port, serving thread)."""
    from nova.api import stand_ins
    from servicekit import devserver

    def nothing_else(environ, start_response):
        start_response('404 Not Found', [('Content-Type', 'text/plain')])
        return [b'not here']
    server = simple_server.make_server(
        '127.0.0.1', 0, stand_ins.Mounted(nothing_else),
        server_class=devserver.ThreadingWSGIServer,
        handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server.server_address[1], thread


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def started(tmp_path_factory) -> Cinder:
    """A running Cinder, with the image stand-in, or a skip (a failure
    under CI) if it cannot start here."""
    port, _thread = image_service()
    cinder = Cinder(tmp_path_factory.mktemp('cinder'), port)
    try:
        cinder.start()
    except (CinderError, subprocess.TimeoutExpired) as exc:
        cinder.stop()
        if os.environ.get('CI'):
            pytest.fail(str(exc))
        pytest.skip('Cinder does not start here: %s' % exc)
    return cinder
