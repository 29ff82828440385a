"""Deleting a server while it is still being built.

Symptom: a DELETE sent right after the boot answered 409 once in a while
("Conflict updating instance ... Expected task_state scheduling, actual
spawning"), and the server stayed behind, ACTIVE; sometimes a guest went
on running on the compute with no instance left to show for it.

Cause: the API's delete moved task_state to DELETING with a compare and
swap on the task_state it had just read, so a build that moved on in
between (scheduling -> spawning -> none) won and the delete lost; and a
server deleted by the API while its compute was spawning it (no host yet
when the API read it) left its guest and its claim on the compute.

Fix: a delete always wins. The API sets DELETING whatever the build's
task_state is; the conductor destroys an instance whose build request the
user deleted meanwhile and frees its claim; a compute that finds its
instance gone after the spawn destroys the guest and frees the claim.
(4b23b6e "delete wins over build: the API sets DELETING whatever the
build's task_state (no 409); ...")

The test races DELETE against builds at every stage, many times, and
checks that nothing is left: no server, no undeleted instance row in any
cell, no build request, no mapping that is not queued for delete, no
allocation in placement and no quota usage.
"""

import random
import time

import pytest
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db.main import tables as main_tables
from tests import nova_services
from tests.functional.nova.api import test_servers_cloud as servers_cloud

S, _boot = servers_cloud.S, servers_cloud._boot
# The in-process cloud and the API client onto it, as fixtures here.
cloud, compute = servers_cloud.cloud, servers_cloud.compute

ROUNDS = 16
# cell1 on each backend: their locking differs.
pytestmark = pytest.mark.all_databases


def _left_in_cells(nova_cloud, uuids):
    left = {}
    for name, cell in nova_cloud.cells.items():
        with engines.cell_reader(cell) as conn:
            rows = conn.execute(sa.select(
                main_tables.instances.c.uuid).where(
                main_tables.instances.c.uuid.in_(uuids),
                main_tables.instances.c.deleted == 0)).all()
        if rows:
            left[name] = [r[0] for r in rows]
    return left


def _api_rows(table, uuids):
    with engines.api_reader() as conn:
        return conn.execute(sa.select(table).where(
            table.c.instance_uuid.in_(uuids))).mappings().all()


def _placed(client, uuid, timeout=5.0):
    """Wait until the conductor has put the server in a cell (an admin
    sees its host), or its build is over."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        server = client.get(S + '/' + uuid, token='admin').json['server']
        if server['OS-EXT-SRV-ATTR:host'] or server['status'] != 'BUILD':
            return


def test_delete_always_wins_over_build(compute, cloud):
    # Room for every server of the race, deleted or not yet freed.
    cloud.add_compute(vcpus=32, memory_mb=32768, local_gb=100)
    rng = random.Random(12)
    uuids = []
    for round_ in range(ROUNDS):
        uuid = _boot(compute, 'race')
        uuids.append(uuid)
        if round_ % 2:
            # In the cell: scheduling, spawning or just active.
            _placed(compute, uuid)
            time.sleep(rng.choice((0, 0.001, 0.002, 0.004, 0.008)))
        else:
            # A build request, or being scheduled.
            time.sleep(rng.choice((0, 0.01, 0.05, 0.1, 0.2)))
        resp = compute.delete(S + '/' + uuid)
        assert resp.status_int == 204, resp.text

    def all_gone():
        return all(compute.get(S + '/' + u).status_int == 404
                   for u in uuids)
    nova_services.wait_for(all_gone, timeout=30, what='servers deleted')

    def settled():
        # Computes and conductors finish what they had started.
        return (not _left_in_cells(cloud, uuids) and
                not any(m.driver.list_instance_uuids()
                        for m in cloud.computes.values()))
    nova_services.wait_for(settled, timeout=30, what='builds to stop')
    assert _left_in_cells(cloud, uuids) == {}
    assert _api_rows(api_tables.build_requests, uuids) == []
    assert [m['instance_uuid'] for m in _api_rows(
        api_tables.instance_mappings, uuids)
        if not m['queued_for_delete']] == []
    placement = _placement_allocations(uuids)
    assert placement == {}
    usage = compute.get('/v2.1/os-quota-sets/p1/detail',
                        token='admin').json['quota_set']
    assert {k: usage[k]['in_use'] for k in ('instances', 'cores',
                                            'ram')} == {
        'instances': 0, 'cores': 0, 'ram': 0}


def _placement_allocations(uuids):
    from nova import placement_client
    client = placement_client.client()
    held = {}
    for uuid in uuids:
        allocations = client.get_allocations(uuid).get('allocations')
        if allocations:
            held[uuid] = allocations
    return held


def test_instance_destroyed_while_spawning_leaves_no_guest(compute, cloud):
    """The API destroys a server it read with no host (being rescheduled)
    outright; if a compute was spawning it by then, that compute cleans
    up: no guest left running, no claim left in placement."""
    import threading

    from nova.db.main import instances
    (host, manager), = cloud.computes.items()
    started, go_on = threading.Event(), threading.Event()
    spawn = manager.driver.spawn

    def slow_spawn(*args, **kwargs):
        # A hypervisor that takes its time, so that the delete lands
        # while it works.
        started.set()
        go_on.wait(10)
        return spawn(*args, **kwargs)
    manager.driver.spawn = slow_spawn
    try:
        uuid = _boot(compute, 'slow')
        assert started.wait(10)
        assert _placement_allocations([uuid])
        # What the API's delete of a server without a host does.
        with engines.cell_writer(cloud.cells['cell1']) as conn:
            instances.destroy(conn, uuid)
        go_on.set()

        def cleaned():
            return (uuid not in manager.driver.list_instance_uuids() and
                    not _placement_allocations([uuid]))
        nova_services.wait_for(cleaned, timeout=10,
                               what='the guest destroyed, claim freed')
    finally:
        go_on.set()
        manager.driver.spawn = spawn
