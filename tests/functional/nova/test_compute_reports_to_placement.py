"""nova-compute in-process (fake driver, real cell database on each
backend) reporting its compute node to a real placement under uWSGI."""

import logging
import uuid as uuidlib

import pytest
import requests

from nova.compute import manager as compute_manager
from nova import context as nova_context
from nova.db.main import compute_nodes
from nova import placement_client
from nova import service
from tests.integration.conftest import free_port
from tests import nova_services

ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement 1.39'}


@pytest.fixture
def conf(placement_server):
    with nova_services.configured(
            transport_url='fake://', fake_driver__vcpus=4,
            fake_driver__memory_mb=2048, fake_driver__local_gb=40,
            reserved_host_disk_mb=1500,
            placement__endpoint_override=placement_server.url) as conf:
        yield conf


@pytest.fixture
def puts():
    """Methods and paths of the PUTs this process's client sends."""
    sent = []

    def record(response, *args, **kwargs):
        if response.request.method == 'PUT':
            sent.append(response.request.path_url)

    hooks = placement_client.client()._get_session().hooks['response']
    hooks.append(record)
    yield sent
    hooks.remove(record)


@pytest.fixture
def compute(nova_engines, nova_cell_url, conf):
    """A started nova-compute on a host of its own (placement is shared
    by the module's tests, so provider names must differ)."""
    host = 'cmp-' + uuidlib.uuid4().hex[:8]
    svc = service.Service('nova-compute', 'compute',
                          compute_manager.ComputeManager(host, nova_cell_url))
    svc.start()
    yield svc
    svc.stop()


def _node(compute):
    from nova.db import engines
    with engines.cell_reader(compute.db_url) as conn:
        (node,) = compute_nodes.list_by_host(conn, compute.host)
    return node


def _get(server, path):
    resp = requests.get(server.url + path, headers=ADMIN, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _run(compute):
    compute.manager.update_available_resource(
        nova_context.get_admin_context())


def test_provider_created_with_inventory(compute, placement_server):
    node = _node(compute)
    rp = _get(placement_server, '/resource_providers/' + node.uuid)
    assert rp['name'] == compute.host == node.hypervisor_hostname
    inventories = _get(placement_server, '/resource_providers/%s/inventories'
                       % node.uuid)['inventories']
    assert inventories == {
        'VCPU': {'total': 4, 'reserved': 0, 'min_unit': 1, 'max_unit': 4,
                 'step_size': 1, 'allocation_ratio': 16.0},
        'MEMORY_MB': {'total': 2048, 'reserved': 512, 'min_unit': 1,
                      'max_unit': 2048, 'step_size': 1,
                      'allocation_ratio': 1.5},
        'DISK_GB': {'total': 40, 'reserved': 2, 'min_unit': 1,
                    'max_unit': 40, 'step_size': 1, 'allocation_ratio': 1.0}}
    # The fake driver can attach a volume to several guests.
    assert _get(placement_server, '/resource_providers/%s/traits'
                % node.uuid)['traits'] == ['COMPUTE_VOLUME_MULTI_ATTACH']


def test_a_driver_without_multiattach_has_no_trait_for_it(
        nova_engines, nova_cell_url, conf, placement_server):
    conf.set_override('supports_multiattach', False, group='fake_driver')
    host = 'cmp-' + uuidlib.uuid4().hex[:8]
    svc = service.Service('nova-compute', 'compute',
                          compute_manager.ComputeManager(host, nova_cell_url))
    svc.start()
    try:
        node = _node(svc)
        assert _get(placement_server, '/resource_providers/%s/traits'
                    % node.uuid)['traits'] == []
    finally:
        svc.stop()


def test_unchanged_run_writes_nothing(compute, placement_server, puts):
    node = _node(compute)
    generation = _get(placement_server,
                      '/resource_providers/' + node.uuid)['generation']
    _run(compute)
    assert puts == []
    assert _get(placement_server, '/resource_providers/' +
                node.uuid)['generation'] == generation


def test_changed_size_updates_inventory(compute, placement_server, conf,
                                        puts):
    node = _node(compute)
    compute.manager.driver.vcpus = 6
    conf.set_override('cpu_allocation_ratio', 4.0)
    _run(compute)
    assert puts == ['/resource_providers/%s/inventories' % node.uuid]
    vcpu = _get(placement_server, '/resource_providers/%s/inventories'
                % node.uuid)['inventories']['VCPU']
    assert (vcpu['total'], vcpu['max_unit'], vcpu['allocation_ratio']) == (
        6, 6, 4.0)
    assert _node(compute).vcpus == 6


def test_change_by_someone_else_is_undone(compute, placement_server):
    """Another writer bumps the generation (and changes the inventory and
    traits): the next run brings the provider back to what the node has."""
    node = _node(compute)
    gen = _get(placement_server, '/resource_providers/' +
               node.uuid)['generation']
    path = placement_server.url + '/resource_providers/%s/' % node.uuid
    resp = requests.put(path + 'traits', headers=ADMIN, timeout=30, json={
        'resource_provider_generation': gen, 'traits': ['HW_CPU_X86_AVX']})
    assert resp.status_code == 200, resp.text
    resp = requests.put(path + 'inventories/VCPU', headers=ADMIN, timeout=30,
                        json={'resource_provider_generation': gen + 1,
                              'total': 1})
    assert resp.status_code == 200, resp.text
    _run(compute)
    assert _get(placement_server, '/resource_providers/%s/inventories'
                % node.uuid)['inventories']['VCPU']['total'] == 4
    assert _get(placement_server, '/resource_providers/%s/traits'
                % node.uuid)['traits'] == ['COMPUTE_VOLUME_MULTI_ATTACH']


def test_placement_down_is_a_warning(nova_engines, nova_cell_url, conf,
                                     placement_server, caplog):
    conf.set_override('endpoint_override',
                      'http://127.0.0.1:%d' % free_port(), group='placement')
    host = 'cmp-' + uuidlib.uuid4().hex[:8]
    svc = service.Service('nova-compute', 'compute',
                          compute_manager.ComputeManager(host, nova_cell_url))
    with caplog.at_level(logging.WARNING):
        svc.start()
    try:
        assert any('Cannot report compute node %s to placement' % host
                   in r.getMessage() for r in caplog.records)
        node = _node(svc)
        # Placement back: the next run reports the node.
        conf.set_override('endpoint_override', placement_server.url,
                          group='placement')
        _run(svc)
        assert _get(placement_server, '/resource_providers/' +
                    node.uuid)['name'] == host
    finally:
        svc.stop()
