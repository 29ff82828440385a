"""placement-manage, run as an operator runs it: output and exit codes."""

import os
import subprocess
import sys

import pytest

from tests import databases

pytestmark = pytest.mark.all_databases

MANAGE = os.path.join(os.path.dirname(sys.executable), 'placement-manage')


def _run(tmp_path, url, *args):
    conf = tmp_path / 'placement.conf'
    conf.write_text('[placement_database]\nconnection = %s\n' % url)
    return subprocess.run([MANAGE, '--config-file', str(conf), *args],
                          capture_output=True, text=True, timeout=120)


def test_sync_then_version(db_backend, tmp_path):
    url = databases.create(db_backend, tmp_path, 'pmanage')
    try:
        synced = _run(tmp_path, url, 'db', 'sync')
        assert synced.returncode == 0, synced.stderr
        assert 'Database synced to revision' in synced.stdout
        version = _run(tmp_path, url, 'db', 'version')
        assert version.returncode == 0
        assert version.stdout.strip() == synced.stdout.split()[-1]
        again = _run(tmp_path, url, 'db', 'sync')
        assert again.returncode == 0
    finally:
        databases.drop(url)


def test_version_of_empty_database_is_none(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'empty.sqlite')
    result = _run(tmp_path, url, 'db', 'version')
    assert (result.returncode, result.stdout.strip()) == (0, 'None')


@pytest.mark.parametrize('url, message', [
    ('bogus://nowhere', "Can't load plugin"),
    ('mysql+pymysql://root@127.0.0.1:1/none', 'Error:'),
])
def test_bad_connection_is_a_message_not_a_traceback(tmp_path, url, message):
    result = _run(tmp_path, url, 'db', 'sync')
    assert result.returncode == 1
    assert message in result.stderr
    assert 'Traceback' not in result.stderr


def test_unknown_command_exits_2(tmp_path):
    result = _run(tmp_path, 'sqlite://', 'db', 'frob')
    assert result.returncode == 2
    assert 'invalid choice' in result.stderr
