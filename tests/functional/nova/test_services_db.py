"""Service and compute node rows in a real cell database."""

import datetime

from oslo_db import exception as db_exc
import pytest

from nova.db.main import compute_nodes
from nova.db.main import services
from nova.objects.compute_node import ComputeNode
from nova.objects.service import Service

pytestmark = pytest.mark.all_databases

T0 = datetime.datetime(2026, 1, 1, 12, 0, 0)


def test_service_create_list_heartbeat(nova_engines, nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        compute = services.create(conn, Service(
            host='h1', binary='nova-compute', topic='compute', version=3))
        services.create(conn, Service(host='h1', binary='nova-conductor',
                                      topic='conductor'))
    assert compute.id and compute.uuid and compute.created_at
    assert (compute.report_count, compute.disabled, compute.version) == (
        0, False, 3)
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert [s.binary for s in services.list_all(conn)] == [
            'nova-compute', 'nova-conductor']
        assert [s.host for s in services.list_all(
            conn, binary='nova-compute')] == ['h1']
        assert services.get_by_host_and_binary(
            conn, 'h1', 'nova-compute') == compute
        assert services.get_by_host_and_binary(
            conn, 'h2', 'nova-compute') is None
    with nova_engines.cell_writer(nova_cell_url) as conn:
        services.heartbeat(conn, compute.id, T0)
        services.heartbeat(conn, compute.id, T0)
    with nova_engines.cell_reader(nova_cell_url) as conn:
        seen = services.get(conn, compute.id)
    assert (seen.report_count, seen.last_seen_up) == (2, T0)


def test_service_unique_per_host_and_binary(nova_engines, nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        services.create(conn, Service(host='h1', binary='nova-compute',
                                      topic='compute'))
    with pytest.raises(db_exc.DBDuplicateEntry):
        with nova_engines.cell_writer(nova_cell_url) as conn:
            services.create(conn, Service(host='h1', binary='nova-compute',
                                          topic='compute'))


def test_service_update_rejects_unknown_column(nova_engines, nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        svc = services.create(conn, Service(host='h1', binary='nova-compute'))
        services.update(conn, svc.id, disabled=True, disabled_reason='maint')
        with pytest.raises(ValueError):
            services.update(conn, svc.id, colour='red')
        assert services.get(conn, svc.id).disabled_reason == 'maint'


def test_is_up():
    svc = Service(host='h', binary='nova-compute', last_seen_up=T0)
    later = T0 + datetime.timedelta(seconds=60)
    assert services.is_up(svc, later, down_time=60)
    assert not services.is_up(svc, later + datetime.timedelta(seconds=1),
                              down_time=60)
    svc.forced_down = True
    assert not services.is_up(svc, T0, down_time=60)
    never = Service(host='h', binary='nova-compute')
    assert not services.is_up(never, T0, down_time=60)
    assert services.is_up(Service(host='h', binary='b', created_at=T0),
                          T0, down_time=60)


def _node(host, name, **kw):
    return ComputeNode(host=host, hypervisor_hostname=name, vcpus=4,
                       memory_mb=2048, local_gb=20, hypervisor_type='fake',
                       hypervisor_version=1, cpu_info='{}', **kw)


def test_compute_node_crud(nova_engines, nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        svc = services.create(conn, Service(host='h1', binary='nova-compute'))
        node = compute_nodes.create(conn, _node('h1', 'h1',
                                                service_id=svc.id))
        other = compute_nodes.create(conn, _node('h2', 'h2'))
    assert node.id and node.uuid and node.mapped == 0
    assert (node.vcpus, node.memory_mb, node.local_gb) == (4, 2048, 20)
    with nova_engines.cell_writer(nova_cell_url) as conn:
        compute_nodes.update(conn, node.id, vcpus=8, vcpus_used=1)
        compute_nodes.mark_mapped(conn, [node.id])
    with nova_engines.cell_reader(nova_cell_url) as conn:
        got = compute_nodes.get_by_host_and_nodename(conn, 'h1', 'h1')
        assert (got.vcpus, got.vcpus_used, got.mapped) == (8, 1, 1)
        assert got.uuid == node.uuid and got.service_id == svc.id
        assert compute_nodes.get_by_host_and_nodename(
            conn, 'h1', 'h2') is None
        assert [n.id for n in compute_nodes.list_all(conn)] == [
            node.id, other.id]
        assert [n.id for n in compute_nodes.list_by_host(conn, 'h2')] == [
            other.id]
    with nova_engines.cell_writer(nova_cell_url) as conn:
        compute_nodes.mark_mapped(conn, [node.id], mapped=False)
        assert compute_nodes.get(conn, node.id).mapped == 0


def test_compute_node_unique_per_host_and_name(nova_engines, nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        compute_nodes.create(conn, _node('h1', 'n1'))
    with pytest.raises(db_exc.DBDuplicateEntry):
        with nova_engines.cell_writer(nova_cell_url) as conn:
            compute_nodes.create(conn, _node('h1', 'n1'))


def test_records_round_trip_through_primitives(nova_engines, nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        svc = services.create(conn, Service(host='h1', binary='nova-compute',
                                            last_seen_up=T0))
        node = compute_nodes.create(conn, _node('h1', 'h1'))
    assert Service.from_primitive(svc.to_primitive()) == svc
    assert ComputeNode.from_primitive(node.to_primitive()) == node
