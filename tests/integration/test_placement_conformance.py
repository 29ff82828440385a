"""Upstream Placement's gabbi suite, black box over HTTP, against our
placement under uWSGI on each database: one test item per YAML file and
database, so that the workers share the files.

Each worker keeps one server per database; before every file the runner
calls `placement-server.sh reset`, which empties the database (restarting
uWSGI only when the file needs another profile). Deselect with
`-m "not conformance"`.
"""

import json
from pathlib import Path
import re
import subprocess

import pytest
import yaml

from tests import databases
from tests.integration.conftest import REPO, PlacementServer, shared_dir
from tests.integration.conformance_suite import suite_cache

TOTAL_RE = re.compile(r'^TOTAL passed (\d+) failed (\d+) skipped (\d+)',
                      re.MULTILINE)
# The one test upstream 16.0.0 itself skips: a malformed Content-Length
# that no real HTTP client sends.
KNOWN_SKIPS = {'basic-http.yaml': 1}
MISSING = '(suite missing)'


def _run_sh() -> Path:
    return shared_dir() / 'conformance' / 'placement' / 'run.sh'


# The profile a file's fixtures ask for (shared/.../gabbi_fixtures.py):
# items are ordered by it, so that a worker's server seldom restarts for
# another profile. A wrong guess costs a restart, never a result.
_PROFILES = {'SecureRBACPolicyFixture': 'secure_rbac',
             'OpenPolicyFixture': 'open_policy', 'CORSFixture': 'cors'}


def _profile(path: Path) -> str:
    fixtures = yaml.safe_load(path.read_text()).get('fixtures') or []
    return next((_PROFILES[f] for f in fixtures if f in _PROFILES),
                'default')


def gabbit_items() -> list[tuple[str, str]]:
    """(database, file) for every file of the suite on every database,
    grouped by database then profile."""
    gabbits = suite_cache() / 'gabbits'
    if not gabbits.is_dir():
        # Collected without the suite: one item that fails under CI and
        # skips elsewhere (shared_dir() says which).
        return [(db, MISSING) for db in databases.BACKENDS]
    files = sorted(gabbits.glob('*.yaml'), key=lambda p: (_profile(p), p.name))
    return [(db, path.name) for db in databases.BACKENDS for path in files]


@pytest.fixture(scope='session')
def conformance_servers():
    """db -> this worker's placement server for the suite."""
    servers: dict[str, PlacementServer] = {}
    yield servers
    for server in servers.values():
        server.stop()


def describe(report: dict) -> str:
    lines = []
    for name, rec in sorted(report['files'].items()):
        if rec['status'] == 'error':
            lines.append('%s: ERROR %s' % (name, rec['reason'][-1200:]))
        for failure in rec.get('failures', []):
            lines.append('%s: FAIL %s: %s' % (name, failure['test'],
                                              failure['detail'][:600]))
    return '\n'.join(lines[:40])


@pytest.mark.conformance
@pytest.mark.parametrize('db,gabbit', gabbit_items())
def test_upstream_gabbit_passes(db, gabbit, conformance_servers, tmp_path):
    run_sh = _run_sh()
    if gabbit == MISSING:
        pytest.fail('the suite is not in run.sh\'s cache and could not be '
                    'fetched (see %s)' % run_sh)
    if db != 'sqlite':
        databases.require_service(db)
    server = conformance_servers.get(db)
    if server is None:
        server = conformance_servers[db] = PlacementServer(db)
    report_file = tmp_path / 'conformance.json'
    proc = subprocess.run(
        [str(run_sh), '--url', server.url, '--only', gabbit,
         '--restart-cmd', server.reset_cmd(), '--json', str(report_file)],
        cwd=REPO, capture_output=True, text=True, timeout=900)
    output = proc.stdout + proc.stderr
    total = TOTAL_RE.search(output)
    assert total, 'run.sh printed no TOTAL line (exit %d):\n%s\n%s' % (
        proc.returncode, output[-3000:], server.logs())
    report = json.loads(report_file.read_text())
    record = report['files'][gabbit]
    passed, failed, skipped = (int(n) for n in total.groups())
    assert record['status'] == 'ran' and failed == 0, '%s on %s:\n%s\n%s' % (
        total.group(0), db, describe(report), server.logs())
    assert skipped == KNOWN_SKIPS.get(gabbit, 0), total.group(0)
    assert passed + skipped == record['tests'] > 0
