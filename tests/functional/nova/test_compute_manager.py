"""nova-compute in-process on the fake transport and a real cell database:
its compute node rows, and its RPC API across versions 1.0 and 1.1."""

import oslo_messaging as messaging
import pytest

from nova.compute import manager as compute_manager
from nova.compute import rpcapi as compute_rpcapi
from nova import context as nova_context
from nova.db.main import compute_nodes
from nova.db.main import services
from nova.objects.compute_node import ComputeNode
from nova import service
from tests import nova_services


class _OldComputeManager(compute_manager.ComputeManager):
    """A compute that has not been upgraded yet: it speaks only 1.0."""
    target = messaging.Target(version='1.0')


@pytest.fixture
def conf():
    with nova_services.configured(transport_url='fake://',
                                  fake_driver__vcpus=4,
                                  fake_driver__memory_mb=2048,
                                  fake_driver__local_gb=40) as conf:
        yield conf


def _start(url, host='cmp1', cls=compute_manager.ComputeManager):
    svc = service.Service('nova-compute', 'compute', cls(host, url))
    svc.start()
    return svc


def _nodes(engines, url):
    with engines.cell_reader(url) as conn:
        return compute_nodes.list_all(conn)


@pytest.fixture
def ctx():
    return nova_context.get_admin_context()


def test_compute_creates_its_node_once(nova_engines, nova_cell_url, conf):
    svc = _start(nova_cell_url)
    svc.stop()
    (node,) = _nodes(nova_engines, nova_cell_url)
    assert (node.host, node.hypervisor_hostname) == ('cmp1', 'cmp1')
    assert (node.vcpus, node.memory_mb, node.local_gb) == (4, 2048, 40)
    assert (node.hypervisor_type, node.mapped) == ('fake', 0)
    assert node.service_id == svc.record.id and node.uuid
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert services.get_by_host_and_binary(
            conn, 'cmp1', 'nova-compute').id == svc.record.id
    conf.set_override('vcpus', 6, group='fake_driver')
    _start(nova_cell_url).stop()
    (again,) = _nodes(nova_engines, nova_cell_url)
    assert (again.id, again.uuid, again.vcpus) == (node.id, node.uuid, 6)


def test_get_available_resource_returns_records(nova_engines, nova_cell_url,
                                                conf, ctx):
    svc = _start(nova_cell_url)
    try:
        api = compute_rpcapi.ComputeAPI()
        (node,) = api.get_available_resource(ctx, 'cmp1')
        assert isinstance(node, ComputeNode)
        assert node == _nodes(nova_engines, nova_cell_url)[0]
        assert api.get_available_resource(ctx, 'cmp1', nodename='nope') == []
    finally:
        svc.stop()


def test_refresh_is_1_1_and_dropped_when_capped(nova_engines, nova_cell_url,
                                                conf, ctx):
    svc = _start(nova_cell_url)
    try:
        svc.manager.driver.vcpus = 12
        capped = compute_rpcapi.ComputeAPI(version_cap='1.0')
        # Served (a 1.0 caller of a 1.1 compute), but without refresh.
        (node,) = capped.get_available_resource(ctx, 'cmp1', refresh=True)
        assert node.vcpus == 4
        (node,) = compute_rpcapi.ComputeAPI().get_available_resource(
            ctx, 'cmp1', refresh=True)
        assert node.vcpus == 12
    finally:
        svc.stop()


def test_upgrade_levels_cap_lets_new_caller_reach_old_compute(
        nova_engines, nova_cell_url, conf, ctx):
    svc = _start(nova_cell_url, cls=_OldComputeManager)
    try:
        with pytest.raises(messaging.MessagingException) as info:
            compute_rpcapi.ComputeAPI().get_available_resource(
                ctx, 'cmp1', refresh=True)
        assert 'UnsupportedVersion' in repr(info.value)
        conf.set_override('compute', '1.0', group='upgrade_levels')
        api = compute_rpcapi.ComputeAPI()
        assert api.version_cap == '1.0'
        (node,) = api.get_available_resource(ctx, 'cmp1', refresh=True)
        assert node.host == 'cmp1'
    finally:
        svc.stop()


def test_update_cast_rewrites_node(nova_engines, nova_cell_url, conf, ctx):
    svc = _start(nova_cell_url)
    try:
        svc.manager.driver.local_gb = 99
        compute_rpcapi.ComputeAPI().update_available_resource(ctx, 'cmp1')
        nova_services.wait_for(
            lambda: _nodes(nova_engines, nova_cell_url)[0].local_gb == 99,
            what='the cast to update the node')
    finally:
        svc.stop()


def test_only_exposed_methods_are_callable(nova_engines, nova_cell_url,
                                           conf, ctx):
    svc = _start(nova_cell_url)
    try:
        client = compute_rpcapi.ComputeAPI().client(ctx).prepare(
            server='cmp1', timeout=5)
        with pytest.raises(messaging.MessagingException) as info:
            client.call(ctx, 'init_host')
        assert 'NoSuchMethod' in repr(info.value)
        assert client.call(ctx, 'ping', arg=[1, 'a']) == {
            'host': 'cmp1', 'binary': 'nova-compute', 'arg': [1, 'a']}
    finally:
        svc.stop()
