"""Two cells built the way an operator builds them, with real processes:
the API database and cell0 on SQLite, cell1 on MariaDB, cell2 on
PostgreSQL, each cell with its own RabbitMQ vhost, a conductor and two
computes; then discover_hosts, list_cells, list_hosts, heartbeats and
nova-status upgrade check (failing before the hosts are mapped, passing
every check after, the computes having reported their nodes to placement).
"""

import datetime

import pytest

from tests import nova_services
from tests.integration.multicell import (deploy, ok, run,
                                         start_cell_services, services_in)

CELLS = {'cell1': 'mysql', 'cell2': 'postgresql'}


@pytest.fixture
def deployment(tmp_path):
    with deploy(tmp_path, CELLS) as dep:
        yield dep


def test_operator_builds_two_cells(deployment):
    dep = deployment
    conf = dep['api_conf']
    ok(run('nova-manage', 'api_db', 'sync', conf=conf))
    ok(run('nova-manage', 'cell_v2', 'map_cell0', '--database_connection',
           dep['cell0'], conf=conf))
    ok(run('nova-manage', 'db', 'sync', conf=conf))  # cell0
    cell_uuids = {}
    for name, cell in dep['cells'].items():
        out = ok(run('nova-manage', 'cell_v2', 'create_cell', '--name', name,
                     '--transport-url', cell['mq'], '--database_connection',
                     cell['db'], '--verbose', conf=conf))
        cell_uuids[name] = out.strip().splitlines()[-1]
        cell_conf = nova_services.write_config(
            dep['tmp'] / (name + '-manage.conf'), name, cell['mq'],
            cell['db'])
        ok(run('nova-manage', 'db', 'sync', '--local_cell', conf=cell_conf))
    # The same cell twice is refused, with a message and no traceback.
    again = run('nova-manage', 'cell_v2', 'create_cell', '--name', 'again',
                '--transport-url', dep['cells']['cell1']['mq'],
                '--database_connection', dep['cells']['cell1']['db'],
                conf=conf)
    assert again.returncode == 2 and 'Traceback' not in again.stderr

    listing = ok(run('nova-manage', 'cell_v2', 'list_cells', conf=conf))
    for name, uuid in cell_uuids.items():
        row = next(line for line in listing.splitlines() if uuid in line)
        assert name in row
        # Passwords of the RabbitMQ URLs are masked without --verbose.
        assert 'guest:****@' in row
    assert '00000000-0000-0000-0000-000000000000' in listing

    procs = {}
    for name in dep['cells']:
        for host, binary, proc in start_cell_services(dep, name):
            procs[host] = proc

    def all_reporting(name: str):
        rows = services_in(dep['cells'][name]['db'])
        hosts = {s.host for s in rows if s.report_count >= 2}
        return len(hosts) == 3 and rows

    for name in dep['cells']:
        rows = nova_services.wait_for(lambda: all_reporting(name), 120,
                                      what='services of %s' % name)
        assert {(s.host, s.binary) for s in rows} == {
            (name + '-conductor', 'nova-conductor'),
            (name + '-compute1', 'nova-compute'),
            (name + '-compute2', 'nova-compute')}
        now = datetime.datetime.utcnow()
        for service in rows:
            assert now - service.last_seen_up < datetime.timedelta(seconds=30)

    # Computes registered, none mapped yet: the upgrade check fails.
    before = run('nova-status', 'upgrade', 'check', conf=conf)
    assert before.returncode == 2, before.stdout + before.stderr
    assert 'Traceback' not in before.stdout + before.stderr

    out = ok(run('nova-manage', 'cell_v2', 'discover_hosts', '--verbose',
                 conf=conf))
    for name in dep['cells']:
        for n in (1, 2):
            assert '%s-compute%d' % (name, n) in out
    # Nothing new on a second run: --strict says so with exit code 1.
    strict = run('nova-manage', 'cell_v2', 'discover_hosts', '--strict',
                 conf=conf)
    assert strict.returncode == 1

    hosts = ok(run('nova-manage', 'cell_v2', 'list_hosts', conf=conf))
    for name, uuid in cell_uuids.items():
        for n in (1, 2):
            row = next(line for line in hosts.splitlines()
                       if '%s-compute%d' % (name, n) in line)
            assert uuid in row and name in row
    cell1_only = ok(run('nova-manage', 'cell_v2', 'list_hosts', '--cell_uuid',
                        cell_uuids['cell1'], conf=conf))
    assert 'cell2-compute1' not in cell1_only
    assert 'cell1-compute1' in cell1_only

    # Hosts mapped and every compute node reported to placement as a
    # resource provider: every check passes.
    after = run('nova-status', 'upgrade', 'check', conf=conf)
    assert after.returncode == 0, after.stdout + after.stderr
    cells_check = after.stdout.split('Check: Cells v2')[1].split('Check:')[0]
    assert 'Result: Success' in cells_check

    # Clean shutdown of every service on SIGTERM.
    for host, proc in procs.items():
        assert proc.stop() == 0, '%s:\n%s' % (host, proc.log_text()[-2000:])
