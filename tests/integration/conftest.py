"""Helpers for integration tests: real processes on free local ports."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests import databases

REPO = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = REPO / 'tools' / 'placement-server.sh'


def free_port() -> int:
    """A TCP port nothing listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors='replace')
        return '\n'.join(text.splitlines()[-lines:])
    except FileNotFoundError:
        return '(no %s)' % path


def shared_dir() -> Path:
    """The shared tree beside the repository (../shared), or a skip.

    Under CI the checkout has shared/ beside it, so its absence fails.
    """
    path = REPO.parent / 'shared'
    if (path / 'conformance' / 'placement' / 'run.sh').is_file():
        return path
    reason = ('the shared tree is not at %s (expected beside the '
              'repository)' % path)
    if os.environ.get('CI'):
        pytest.fail(reason + '; CI requires it')
    pytest.skip(reason)


class PlacementServer:
    """Our placement under uWSGI, driven by tools/placement-server.sh."""

    def __init__(self, db: str, port: int | None = None):
        self.db = db
        self.port = port or free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.state = REPO / '.state' / ('placement-%d' % self.port)

    def env(self) -> dict:
        return dict(os.environ, PORT=str(self.port), DB=self.db)

    def reset_cmd(self) -> str:
        """The command the conformance runner calls per file ({profile}):
        an empty database, uWSGI restarted only for another profile."""
        return 'DB=%s PORT=%d %s reset {profile}' % (
            self.db, self.port, SERVER_SCRIPT)

    def start(self, profile: str = 'default') -> None:
        self._script('restart', profile)

    def reset(self, profile: str = 'default') -> None:
        """Empty the database (restarting uWSGI only for another
        profile)."""
        self._script('reset', profile)

    def _script(self, action: str, profile: str) -> None:
        proc = subprocess.run([str(SERVER_SCRIPT), action, profile],
                              cwd=REPO, env=self.env(), capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, (
            'placement-server.sh %s failed (exit %d):\n%s\n%s\n'
            'uwsgi.log:\n%s' % (action, proc.returncode, proc.stdout,
                                proc.stderr,
                                log_tail(self.state / 'uwsgi.log')))

    def database_url(self) -> str | None:
        """The connection the script wrote into the service's config."""
        try:
            text = (self.state / 'placement.conf').read_text()
        except FileNotFoundError:
            return None
        for line in text.splitlines():
            key, _, value = line.partition('=')
            if key.strip() == 'connection':
                return value.strip()
        return None

    def stop(self) -> None:
        """Stop uWSGI, drop the database the script made, remove state."""
        subprocess.run([str(SERVER_SCRIPT), 'stop'], cwd=REPO, env=self.env(),
                       capture_output=True, timeout=60)
        url = self.database_url()
        if url and self.db != 'sqlite':
            databases.drop(url)
        shutil.rmtree(self.state, ignore_errors=True)

    def logs(self) -> str:
        return 'placement.log:\n%s\nuwsgi.log:\n%s' % (
            log_tail(self.state / 'placement.log'),
            log_tail(self.state / 'uwsgi.log'))


@pytest.fixture(scope='session')
def cloud(tmp_path_factory):
    """tools/cloud up with its own ports, shared by the command line
    tests of a test process (tests/integration/cli_cloud.py); each test
    leaves it as it found it."""
    from tests.integration import cli_cloud
    yield from cli_cloud.running(tmp_path_factory)
