"""nova.rpc without a broker: the serializer, transport caching, version
caps, and which transport a targeted context picks."""

import datetime
import json

import pytest

from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context as nova_context
from nova.objects.cell_mapping import CellMapping
from nova.objects.compute_node import ComputeNode
from nova.objects.service import Service
from nova import rpc
from tests import nova_services

T0 = datetime.datetime(2026, 1, 2, 3, 4, 5)


@pytest.fixture
def conf():
    with nova_services.configured(transport_url='fake://') as conf:
        yield conf


def test_serializer_round_trips_nested_records_through_json():
    serializer = rpc.Serializer()
    node = ComputeNode(host='h', hypervisor_hostname='n', vcpus=2, id=7,
                       created_at=T0)
    svc = Service(host='h', binary='nova-compute', last_seen_up=T0)
    entity = {'nodes': [node], 'service': svc, 'n': 1, 'names': ['a']}
    wire = json.loads(json.dumps(serializer.serialize_entity(None, entity)))
    back = serializer.deserialize_entity(None, wire)
    assert back == {'nodes': [node], 'service': svc, 'n': 1, 'names': ['a']}
    assert back['nodes'][0].created_at == T0


def test_serializer_carries_context_but_not_its_cell():
    serializer = rpc.Serializer()
    ctx = nova_context.RequestContext(user_id='u', project_id='p',
                                      roles=['member'], request_id='req-1')
    with nova_context.target_cell(ctx, CellMapping(uuid='c1')) as cctx:
        wire = json.loads(json.dumps(serializer.serialize_context(cctx)))
    back = serializer.deserialize_context(wire)
    assert isinstance(back, nova_context.RequestContext)
    assert (back.user_id, back.project_id, back.roles, back.request_id) == (
        'u', 'p', ['member'], 'req-1')
    assert back.cell is None


def test_transports_are_opened_once_per_url(conf):
    assert rpc.get_transport() is rpc.get_transport()
    assert rpc.get_transport('fake:///cell1') is rpc.get_transport(
        'fake:///cell1')
    assert rpc.get_transport('fake:///cell1') is not rpc.get_transport(
        'fake:///cell2')


def test_targeted_context_picks_its_cell_transport(conf):
    ctx = nova_context.get_admin_context()
    assert rpc.transport_url_of(ctx) is None
    cell = CellMapping(uuid='c1', transport_url='fake:///cell1')
    api = conductor_rpcapi.ConductorAPI()
    with nova_context.target_cell(ctx, cell) as cctx:
        assert rpc.transport_url_of(cctx) == 'fake:///cell1'
        assert api.client(cctx) is api.client(cctx)
        assert api.client(cctx).transport is rpc.get_transport(
            'fake:///cell1')
    assert api.client(ctx).transport is rpc.get_transport()


def test_version_cap_from_upgrade_levels_or_explicit(conf):
    ctx = nova_context.get_admin_context()
    assert compute_rpcapi.ComputeAPI().client(ctx).can_send_version('1.1')
    conf.set_override('compute', '1.0', group='upgrade_levels')
    capped = compute_rpcapi.ComputeAPI()
    assert capped.version_cap == '1.0'
    assert not capped.client(ctx).can_send_version('1.1')
    assert capped.client(ctx).can_send_version('1.0')
    assert compute_rpcapi.ComputeAPI(version_cap='1.1').client(
        ctx).can_send_version('1.1')
