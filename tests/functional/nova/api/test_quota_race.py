"""Concurrent boots against a counted quota: 30 POST /servers at once
against an instances quota of 10 end with exactly 10 servers and 20 clean
403s, and nothing of the losers is left in the API database, in any cell
database or in placement. Quotas are counted, never reserved, so this is
what the check-and-recheck under the project's lock must guarantee."""

from concurrent import futures
import threading
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db.main import tables as main_tables
from nova import placement_client
from tests.functional.nova.api import test_servers_cloud as servers_cloud
from tests.functional.nova.api.test_servers_cloud import CIRROS, S
from tests import nova_services

pytestmark = pytest.mark.all_databases

BOOTS = 30
QUOTA = 10
ROUNDS = 5

# The in-process cloud with one compute, and alice's client onto it.
cloud, compute = servers_cloud.cloud, servers_cloud.compute


def _boot_all(compute, project: str) -> list:
    """BOOTS concurrent creates as `project`, released together."""
    start = threading.Barrier(BOOTS)

    def boot(i):
        start.wait()
        return compute.post(S, token='u%d:%s' % (i % 3, project), json={
            'server': {'name': 'race-%d' % i, 'flavorRef': '1',
                       'imageRef': CIRROS, 'networks': 'none'}})
    with futures.ThreadPoolExecutor(BOOTS) as pool:
        return list(pool.map(boot, range(BOOTS)))


def _count(conn, table, **where) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return conn.execute(query).scalar()


def _cell_instances(cloud, project: str) -> int:
    total = 0
    for cell in cloud.cells.values():
        with engines.cell_reader(cell) as conn:
            total += _count(conn, main_tables.instances, project_id=project)
    return total


def _statuses(compute, project: str) -> dict:
    servers = compute.get(S + '/detail?all_tenants=1&project_id=' + project,
                          token='admin').json['servers']
    out: dict = {}
    for server in servers:
        out[server['status']] = out.get(server['status'], 0) + 1
    return out


def test_concurrent_boots_end_exactly_at_the_quota(compute, cloud, cloud_conf):
    cloud_conf.set_override('instances', QUOTA, group='quota')
    cloud_conf.set_override('cores', -1, group='quota')
    cloud_conf.set_override('ram', -1, group='quota')
    cloud.add_compute(vcpus=64, memory_mb=64 * 1024, local_gb=1000)
    placement = placement_client.client()
    for round_ in range(ROUNDS):
        # Unique: placement outlives the test (module scope).
        project = 'race%d-%s' % (round_, uuidlib.uuid4().hex[:8])
        responses = _boot_all(compute, project)
        won = [r for r in responses if r.status_int == 202]
        lost = [r for r in responses if r.status_int != 202]
        assert len(won) == QUOTA, [r.text for r in lost
                                   if r.status_int != 403]
        assert len(lost) == BOOTS - QUOTA
        for resp in lost:
            assert resp.status_int == 403, resp.text
            message = resp.json['forbidden']['message']
            assert message.startswith('Quota exceeded for instances: '
                                      'Requested 1, but already used 10 '
                                      'of 10 instances'), message
        uuids = {r.json['server']['id'] for r in won}
        nova_services.wait_for(
            lambda: _statuses(compute, project) == {'ACTIVE': QUOTA},
            timeout=90, what='the servers of %s to be ACTIVE' % project)

        with engines.api_reader() as conn:
            assert _count(conn, api_tables.build_requests,
                          project_id=project) == 0
            mapped = {row.instance_uuid for row in conn.execute(
                sa.select(api_tables.instance_mappings.c.instance_uuid)
                .where(api_tables.instance_mappings.c.project_id
                       == project))}
            assert mapped == uuids
            specs = conn.execute(sa.select(
                api_tables.request_specs.c.instance_uuid)).scalars().all()
            assert len(specs) == QUOTA * (round_ + 1)
            assert uuids <= set(specs)
        assert _cell_instances(cloud, project) == QUOTA
        usages = placement.request('GET', '/usages?project_id=' + project,
                                   version='1.9').json()['usages']
        assert usages == {'VCPU': QUOTA, 'MEMORY_MB': QUOTA * 512,
                          'DISK_GB': QUOTA}
        listed = compute.get(S + '?all_tenants=1&project_id=' + project,
                             token='admin').json['servers']
        assert {s['id'] for s in listed} == uuids
