"""Time server lists across cells: paging through every server, and a
filtered list.

    .venv/bin/python tools/bench/list.py [--servers 10000] [--cells 3]
        [--limit 1000] [--rounds 5] [--keep DIR]

Builds, in a temporary directory, an API database and --cells cell
databases, all SQLite files (no database server needed, and the numbers
do not depend on one's tuning), seeds --servers instances spread round
robin over the cells with bulk inserts (rows as nova.db.main.instances
writes them: instance, flavor in instance_extra, info cache, mapping in
the API database) plus a few build requests, then calls the compute API
in-process (nova.api.direct, the whole paste pipeline, admin):

- paging: GET /servers/detail?all_tenants=1&limit=LIMIT, following
  markers to the end, --rounds times; p50/p95 of one page and p50 of the
  whole walk;
- filtered: GET /servers/detail?all_tenants=1&status=SHUTOFF (SQL filter)
  and &name=^srv-00 (Python regex, the database cannot do it), --rounds
  times each; p50.
"""

import argparse
import datetime
import json
from pathlib import Path
import statistics
import sys
import tempfile
import time
import uuid as uuidlib

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP))

T0 = datetime.datetime(2017, 8, 1)
BUILD_REQUESTS = 5
STATES = ('active', 'active', 'active', 'stopped')


def _setup(tmp: Path, n_cells: int) -> tuple[list, object]:
    from nova.conf import CONF
    from nova.db.api import cell_mappings
    from nova.db import engines
    from nova.db import migration
    from nova.objects.cell_mapping import CellMapping
    api_url = 'sqlite:///%s' % (tmp / 'nova_api.sqlite')
    migration.upgrade(api_url, 'api')
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    CONF.set_override('transport_url', 'fake://')
    engines.configure(api_connection=api_url)
    cells = []
    with engines.api_writer() as conn:
        for i in range(n_cells):
            url = 'sqlite:///%s' % (tmp / ('nova_cell%d.sqlite' % (i + 1)))
            migration.upgrade(url, 'main')
            cells.append(cell_mappings.create(conn, CellMapping(
                uuid=str(uuidlib.uuid4()), name='cell%d' % (i + 1),
                transport_url='fake://', database_connection=url)))
    return cells, CONF


def _seed(cells: list, n_servers: int, flavor) -> None:
    from nova.db.api import build_requests
    from nova.db.api import tables as api_tables
    from nova.db import engines
    from nova.db.main import instances
    from nova.db.main import tables
    from nova.objects.build_request import BuildRequest
    from nova.objects.instance import Instance
    extra_flavor = json.dumps({'cur': flavor.to_primitive(), 'old': None,
                               'new': None})
    per_cell: list[list] = [[] for _ in cells]
    for i in range(n_servers):
        per_cell[i % len(cells)].append(i)
    for cell, numbers in zip(cells, per_cell):
        rows, extras, caches, mappings = [], [], [], []
        for i in numbers:
            uuid = str(uuidlib.uuid4())
            rows.append({
                'uuid': uuid, 'project_id': 'p%d' % (i % 10),
                'user_id': 'u%d' % (i % 7), 'display_name': 'srv-%05d' % i,
                'hostname': 'srv-%05d' % i, 'image_ref': 'img',
                'vm_state': STATES[i % len(STATES)], 'power_state': 1,
                'host': 'host%d' % (i % 50), 'node': 'host%d' % (i % 50),
                'created_at': T0 + datetime.timedelta(seconds=i),
                'launched_at': T0 + datetime.timedelta(seconds=i),
                'deleted': 0, 'launch_index': 0,
                **instances._flavor_columns(flavor)})
            extras.append({'instance_uuid': uuid, 'flavor': extra_flavor})
            caches.append({'instance_uuid': uuid, 'network_info': '[]'})
            mappings.append({'instance_uuid': uuid, 'cell_id': cell.id,
                             'project_id': rows[-1]['project_id'],
                             'user_id': rows[-1]['user_id'],
                             'queued_for_delete': False})
        with engines.cell_writer(cell) as conn:
            conn.execute(tables.instances.insert(), rows)
            conn.execute(tables.instance_extra.insert(), extras)
            conn.execute(tables.instance_info_caches.insert(), caches)
        with engines.api_writer() as conn:
            conn.execute(api_tables.instance_mappings.insert(), mappings)
    with engines.api_writer() as conn:
        for i in range(BUILD_REQUESTS):
            build_requests.create(conn, BuildRequest(
                project_id='p0', instance=Instance(
                    uuid=str(uuidlib.uuid4()), project_id='p0',
                    user_id='u0', flavor=flavor,
                    display_name='pending-%d' % i, vm_state='building',
                    task_state='scheduling',
                    created_at=T0 + datetime.timedelta(days=1))))


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--cells', type=int, default=3)
    parser.add_argument('--limit', type=int, default=1000)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--keep', help='use (and keep) this directory')
    args = parser.parse_args(argv)
    tmp = (Path(args.keep) if args.keep else
           Path(tempfile.mkdtemp(prefix='nova-bench-list-')))
    tmp.mkdir(parents=True, exist_ok=True)

    from nova.api import direct
    from nova.objects.flavor import Flavor
    cells, conf = _setup(tmp, args.cells)
    flavor = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1,
                    memory_mb=512, root_gb=1)
    started = time.monotonic()
    _seed(cells, args.servers, flavor)
    print('seeded %d servers in %d SQLite cells (+%d build requests) in '
          '%.1fs' % (args.servers, args.cells, BUILD_REQUESTS,
                     time.monotonic() - started))
    client = direct.ComputeDirect(conf, token='admin', version='2.53')
    total = args.servers + BUILD_REQUESTS

    cpu: list[float] = []

    def timed(url: str) -> tuple[float, dict]:
        t, c = time.perf_counter(), time.process_time()
        resp = client.get(url)
        elapsed = time.perf_counter() - t
        # CPU seconds of the whole process (the cells' threads too): the
        # figure a busy machine does not inflate.
        cpu.append(time.process_time() - c)
        assert resp.status_int == 200, resp.text
        return elapsed, resp.json

    page_times, walk_times = [], []
    for _ in range(args.rounds):
        seen, marker, t_walk = 0, None, time.perf_counter()
        while True:
            url = ('/v2.1/servers/detail?all_tenants=1&limit=%d'
                   % args.limit) + ('&marker=' + marker if marker else '')
            elapsed, body = timed(url)
            page_times.append(elapsed)
            seen += len(body['servers'])
            if 'servers_links' not in body:
                break
            marker = body['servers'][-1]['id']
        walk_times.append(time.perf_counter() - t_walk)
        assert seen == total, (seen, total)
    print('paging %d servers, limit=%d: page p50 %.3fs p95 %.3fs (CPU '
          'p50 %.3fs), whole walk p50 %.2fs (%d pages)' % (
              total, args.limit, statistics.median(page_times),
              _percentile(page_times, 0.95), statistics.median(cpu),
              statistics.median(walk_times), -(-total // args.limit)))

    for label, query in (('status=SHUTOFF', '&status=SHUTOFF'),
                         ('name=^srv-00 (regex)', '&name=^srv-00')):
        times, count = [], 0
        del cpu[:]
        for _ in range(args.rounds):
            elapsed, body = timed('/v2.1/servers/detail?all_tenants=1'
                                  '&limit=%d%s' % (args.limit, query))
            times.append(elapsed)
            count = len(body['servers'])
        print('filtered %s: %d servers, p50 %.3fs (CPU p50 %.3fs)'
              % (label, count, statistics.median(times),
                 statistics.median(cpu)))
    print('databases in %s' % tmp)
    return 0


if __name__ == '__main__':
    sys.exit(main())
