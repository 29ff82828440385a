"""tools/cloud with its own ports and state directory, driven with the
real `openstack` and `nova` command line clients, for the integration
tests of each API noun. The tests of a process share one cloud, the
`cloud` fixture of tests/integration/conftest.py."""

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.integration import cli_runner
from tests.integration.conftest import REPO, free_port, log_tail

CLOUD = REPO / 'tools' / 'cloud'
IMAGE = 'cirros-0.3.5-x86_64-disk'
# Everything a user's shell may carry that would point the clients
# elsewhere.
_FOREIGN = ('OS_CLOUD', 'OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD',
            'OS_PROJECT_NAME', 'OS_TOKEN', 'OS_AUTH_TYPE', 'OS_ENDPOINT',
            'OS_CLIENT_CONFIG_FILE', 'OS_COMPUTE_API_VERSION')


class CLIError(Exception):
    pass


class Cloud:
    """tools/cloud with its own ports and state directory."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.nova_port = free_port()
        self.placement_port = free_port()
        self.cinder_port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.nova_port
        self.env = {k: v for k, v in os.environ.items() if k not in _FOREIGN}
        self.env.update(CLOUD_STATE=str(state),
                        NOVA_API_PORT=str(self.nova_port),
                        PLACEMENT_PORT=str(self.placement_port),
                        CINDER_PORT=str(self.cinder_port))

    def tool(self, action: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(CLOUD), action], cwd=REPO,
                              env=dict(self.env, **env), capture_output=True,
                              text=True, timeout=600)

    def logs(self) -> str:
        return '\n'.join('%s:\n%s' % (name, log_tail(self.state / name))
                         for name in ('nova-all-in-one.out', 'nova.log',
                                      'placement.log',
                                      'cinder/cinder-api.log',
                                      'cinder/cinder-volume.log'))

    def run(self, argv: list[str], env: dict) -> str:
        proc = cli_runner.run(argv, dict(self.env, **env))
        if proc.returncode:
            raise CLIError('%s -> exit %d: %s\n%s' % (
                ' '.join(argv[1:]), proc.returncode, proc.stderr.strip(),
                self.logs()))
        return proc.stdout

    def osc(self, *args: str, user: str = 'admin', parse: bool = True):
        """`openstack ARGS` as the clouds.yaml cloud `user`; parsed
        `-f json` output unless not `parse`."""
        out = self.run(['openstack', *args,
                        *(['-f', 'json'] if parse else [])],
                       {'OS_CLIENT_CONFIG_FILE': str(self.state /
                                                     'clouds.yaml'),
                        'OS_CLOUD': user})
        return json.loads(out) if parse else out

    def nova(self, *args: str, user: str = 'admin') -> str:
        """`nova ARGS` with the environment of novarc (novarc-demo)."""
        rc = self.state / ('novarc' if user == 'admin' else 'novarc-' + user)
        env = {}
        for line in rc.read_text().splitlines():
            for pair in line.split()[1:]:  # export A=1 B=2
                key, _, value = pair.partition('=')
                env[key] = value
        return self.run(['nova', *args], env)


def running(tmp_path_factory, demo: bool = False) -> Iterator[Cloud]:
    """Bring a cloud up (without the demo server unless `demo`), yield
    it, bring it down and check it stopped cleanly."""
    state = tmp_path_factory.mktemp('cloud')
    cloud = Cloud(state)
    try:
        proc = cloud.tool('up', CLOUD_DEMO='1' if demo else '0')
        assert proc.returncode == 0, (proc.stdout, proc.stderr,
                                      cloud.logs())
        yield cloud
    finally:
        down = cloud.tool('down')
        # Its Cinder database and RabbitMQ vhost go too.
        subprocess.run([str(REPO / 'tools' / 'cinder.sh'), 'purge'],
                       cwd=REPO, env=cloud.env, capture_output=True,
                       timeout=120)
    assert down.returncode == 0, (down.stdout, down.stderr)
    assert not (state / 'nova-all-in-one.pid').exists()
    log = (state / 'nova.log').read_text(errors='replace')
    assert 'nova-all-in-one caught SIGTERM, stopping' in log


def table(text: str) -> list[list[str]]:
    """The rows of a prettytable, cells stripped."""
    return [[cell.strip() for cell in line.strip('|').split('|')]
            for line in text.splitlines() if line.startswith('|')][1:]
