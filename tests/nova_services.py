"""Helpers for tests of Nova's services: configuration for in-process
services, RabbitMQ vhosts (one per cell), and real service processes."""

import contextlib
import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests import databases

REPO = Path(__file__).resolve().parents[1]
RABBIT = 'rabbit://guest:guest@127.0.0.1:5672/'


@contextlib.contextmanager
def configured(**overrides):
    """The global CONF parsed with no files, `overrides` ([DEFAULT] names,
    or (group, name) tuples) set; RPC transports closed afterwards."""
    from nova.conf import CONF
    from nova import rpc
    CONF([], project='nova', default_config_files=[])
    keys = []
    for key, value in overrides.items():
        group, _, name = key.rpartition('__')
        CONF.set_override(name, value, group=group or None)
        keys.append((name, group or None))
    try:
        yield CONF
    finally:
        rpc.cleanup()
        for name, group in keys:
            CONF.clear_override(name, group=group)
        CONF.reset()


def wait_for(predicate, timeout: float = 20, interval: float = 0.1,
             what: str = 'condition'):
    """Poll `predicate` until it returns something true; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail('Timed out waiting for %s' % what)
        time.sleep(interval)


def rabbitmq_vhost() -> str:
    """A fresh RabbitMQ vhost guest may use, as a transport URL; the caller
    deletes it with delete_vhost(). Skips (fails under CI) without a
    broker or rabbitmqctl."""
    databases.require_service('rabbitmq')
    ctl = shutil.which('rabbitmqctl')
    if ctl is None:
        if os.environ.get('CI'):
            pytest.fail('rabbitmqctl is not installed and CI requires it')
        pytest.skip('rabbitmqctl is not installed')
    name = 'nova_test_%s' % uuid.uuid4().hex[:10]
    for args in (['add_vhost', name],
                 ['set_permissions', '-p', name, 'guest', '.*', '.*', '.*']):
        subprocess.run([ctl, '-q', *args], check=True, timeout=60,
                       capture_output=True)
    return RABBIT + name


def delete_vhost(url: str) -> None:
    name = url.rsplit('/', 1)[1]
    subprocess.run([shutil.which('rabbitmqctl'), '-q', 'delete_vhost', name],
                   timeout=60, capture_output=True)


def write_config(path: Path, host: str, transport_url: str, db_url: str,
                 **extra: dict) -> Path:
    """A nova.conf for one service process; `extra` maps group names to
    {option: value}."""
    sections = {'DEFAULT': {'host': host, 'transport_url': transport_url,
                            'report_interval': 1, 'debug': True},
                'database': {'connection': db_url}}
    for group, values in extra.items():
        sections.setdefault(group, {}).update(values)
    path.write_text(''.join(
        '[%s]\n%s\n' % (group, ''.join('%s = %s\n' % kv
                                       for kv in values.items()))
        for group, values in sections.items()))
    return path


class ServiceProcess:
    """`nova-<binary> --config-file conf` as a child process, its log in
    a file next to the config."""

    def __init__(self, binary: str, conf: Path, *args: str) -> None:
        self.log = conf.with_suffix('.log')
        self._log_file = open(self.log, 'wb')
        # The console script setup.cfg installs, as operators run it.
        script = Path(sys.executable).parent / ('nova-' + binary)
        command = ([str(script)] if script.exists() else
                   [sys.executable, '-m', 'nova.cmd.' + binary])
        self.proc = subprocess.Popen(
            command + ['--config-file', str(conf), *args],
            cwd=REPO, stdout=self._log_file, stderr=subprocess.STDOUT)

    def log_text(self) -> str:
        return self.log.read_text(errors='replace')

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send `sig` and return the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self._log_file.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()
