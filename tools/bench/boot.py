"""Boot many servers on many fake hosts and time it.

    .venv/bin/python tools/bench/boot.py [--servers 200] [--hosts 20]
        [--concurrency 10] [--url http://127.0.0.1:8774] [--keep]

Without --url it builds its own cloud: placement under uWSGI
(tools/placement-server.sh, SQLite, a free port) and, in this process,
nova-all-in-one's services and API (nova.cmd.all_in_one.AllInOne) with
--hosts fake computes, SQLite databases in a temporary directory and
quotas off. With --url it uses a running cloud (tools/cloud up; its quota
must allow --servers servers), as the admin.

Posts --servers boot requests from --concurrency threads (flavor
m1.tiny, the first image), polls the server list until every one is
ACTIVE or ERROR, prints boot-to-ACTIVE p50/p95 (from the POST to the
first poll that saw it ACTIVE) and servers per second (ACTIVE servers
over the time from the first POST to the last ACTIVE), then deletes
them. Exits 1 when a server did not become ACTIVE.
"""

import argparse
from collections.abc import Iterator
import concurrent.futures
import contextlib
import os
from pathlib import Path
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

TOP = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOP))
HEADERS = {'X-Auth-Token': 'admin:admin',
           'OpenStack-API-Version': 'compute 2.53'}
FLAVOR = {'name': 'm1.tiny', 'id': '1', 'ram': 512, 'disk': 1, 'vcpus': 1}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _placement() -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ, PORT=str(port), DB='sqlite')
    script = str(TOP / 'tools' / 'placement-server.sh')
    subprocess.run([script, 'restart'], env=env, check=True, cwd=TOP)
    try:
        yield 'http://127.0.0.1:%d' % port
    finally:
        subprocess.run([script, 'stop'], env=env, cwd=TOP)
        shutil.rmtree(TOP / '.state' / ('placement-%d' % port),
                      ignore_errors=True)


def _databases(tmp: str) -> dict:
    """API, cell0 and cell1 databases, migrated and mapped."""
    from nova.db.api import cell_mappings
    from nova.db import engines
    from nova.db import migration
    from nova.objects.cell_mapping import CELL0_UUID, CellMapping
    urls = {name: 'sqlite:///%s/%s.sqlite' % (tmp, name)
            for name in ('nova_api', 'nova_cell0', 'nova_cell1')}
    migration.upgrade(urls['nova_api'], 'api')
    migration.upgrade(urls['nova_cell0'], 'main')
    migration.upgrade(urls['nova_cell1'], 'main')
    engines.configure(api_connection=urls['nova_api'])
    with engines.api_writer() as conn:
        cell_mappings.create(conn, CellMapping(
            uuid=CELL0_UUID, name='cell0', transport_url='none:///',
            database_connection=urls['nova_cell0']))
        cell_mappings.create(conn, CellMapping(
            uuid='11111111-1111-4111-8111-111111111111', name='cell1',
            transport_url='fake://',
            database_connection=urls['nova_cell1']))
    return urls


@contextlib.contextmanager
def local_cloud(hosts: int, keep: bool = False) -> Iterator[str]:
    """A cloud in this process with `hosts` fake computes; its API URL.
    Its databases and log are removed afterwards unless `keep`."""
    from oslo_log import log as logging
    from nova.cmd import all_in_one
    from nova.conf import CONF
    from nova import context as nova_context
    from nova import host_discovery
    tmp = tempfile.mkdtemp(prefix='bench-boot-')
    try:
        with _placement() as placement_url:
            CONF([], project='nova', default_config_files=[])
            urls = _databases(tmp)
            for group, name, value in (
                    (None, 'transport_url', 'fake://'),
                    (None, 'host', 'bench'),
                    (None, 'log_file', os.path.join(tmp, 'nova.log')),
                    ('api', 'auth_strategy', 'noauth2'),
                    ('api_database', 'connection', urls['nova_api']),
                    ('database', 'connection', urls['nova_cell0']),
                    ('placement', 'endpoint_override', placement_url),
                    ('quota', 'instances', -1), ('quota', 'cores', -1),
                    ('quota', 'ram', -1)):
                CONF.set_override(name, value, group=group)
            logging.setup(CONF, 'nova')
            cloud = all_in_one.AllInOne(port=0, computes=hosts)
            cloud.start()
            try:
                host_discovery.discover_hosts(
                    nova_context.get_admin_context())
                yield cloud.url
            finally:
                cloud.stop()
    finally:
        if keep:
            print('databases and nova.log kept in %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _prepare(api: str) -> tuple[str, str]:
    """The m1.tiny flavor (created if missing) and the first image of
    nova-all-in-one's catalog."""
    flavors = requests.get(api + '/flavors', headers=HEADERS, timeout=60)
    flavors.raise_for_status()
    by_name = {f['name']: f['id'] for f in flavors.json()['flavors']}
    if FLAVOR['name'] not in by_name:
        resp = requests.post(api + '/flavors', json={'flavor': FLAVOR},
                             headers=HEADERS, timeout=60)
        resp.raise_for_status()
        by_name[FLAVOR['name']] = resp.json()['flavor']['id']
    # nova-all-in-one's image stand-in (the compute API's image proxy
    # ended at 2.35).
    images = requests.get(api.rsplit('/', 1)[0] + '/image/v2/images',
                          headers=HEADERS, timeout=60)
    images.raise_for_status()
    return by_name[FLAVOR['name']], images.json()['images'][0]['id']


def _boot(api: str, name: str, flavor: str, image: str) -> tuple[str, float]:
    started = time.monotonic()
    resp = requests.post(api + '/servers', headers=HEADERS, timeout=300,
                         json={'server': {'name': name, 'flavorRef': flavor,
                                          'imageRef': image,
                                          'networks': 'none'}})
    resp.raise_for_status()
    return resp.json()['server']['id'], started


def _statuses(api: str, prefix: str) -> dict[str, str]:
    resp = requests.get(api + '/servers/detail', headers=HEADERS,
                        params={'name': '^%s' % prefix, 'limit': 1000},
                        timeout=300)
    resp.raise_for_status()
    return {s['id']: s['status'] for s in resp.json()['servers']}


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct * (len(ordered) - 1))))]


def bench(url: str, servers: int, concurrency: int,
          timeout: float = 600) -> int:
    """Boot, time, report and delete; the exit code."""
    api = url.rstrip('/') + '/v2.1'
    flavor, image = _prepare(api)
    prefix = 'bench-%d-' % os.getpid()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(_boot, api, '%s%d' % (prefix, i), flavor,
                               image) for i in range(servers)]
        posted = dict(f.result() for f in futures)
    first_post = min(posted.values())
    done: dict[str, tuple[str, float]] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(posted) and time.monotonic() < deadline:
        now = time.monotonic()
        for uuid, status in _statuses(api, prefix).items():
            if uuid in posted and uuid not in done and status in (
                    'ACTIVE', 'ERROR'):
                done[uuid] = (status, now)
        time.sleep(0.2)
    active = {u: t - posted[u] for u, (s, t) in done.items()
              if s == 'ACTIVE'}
    print('servers: %d posted, %d ACTIVE, %d ERROR, %d unfinished' % (
        len(posted), len(active), len(done) - len(active),
        len(posted) - len(done)))
    if active:
        last = max(t for s, t in done.values() if s == 'ACTIVE')
        print('boot-to-ACTIVE p50 %.2fs  p95 %.2fs  max %.2fs' % (
            statistics.median(active.values()),
            _percentile(list(active.values()), 0.95),
            max(active.values())))
        print('servers per second: %.1f' % (len(active) /
                                            max(last - first_post, 1e-9)))
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda u: requests.delete(
            '%s/servers/%s' % (api, u), headers=HEADERS, timeout=300),
            posted))
    while _statuses(api, prefix) and time.monotonic() < deadline + 120:
        time.sleep(0.5)
    return 0 if len(active) == len(posted) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--servers', type=int, default=200)
    parser.add_argument('--hosts', type=int, default=20)
    parser.add_argument('--concurrency', type=int, default=10)
    parser.add_argument('--url', help='A running cloud (tools/cloud up): '
                                      'http://127.0.0.1:8774')
    parser.add_argument('--keep', action='store_true',
                        help='Keep the databases and log of the cloud '
                             'this script builds.')
    args = parser.parse_args(argv)
    if args.url:
        return bench(args.url, args.servers, args.concurrency)
    with local_cloud(args.hosts, args.keep) as url:
        print('cloud: %s, %d fake hosts' % (url, args.hosts))
        return bench(url, args.servers, args.concurrency)


if __name__ == '__main__':
    sys.exit(main())
