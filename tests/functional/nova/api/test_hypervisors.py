"""/os-hypervisors over two cells (rows written directly): integer ids
before 2.53 and uuids after, paging from 2.33, search and servers, the
2.53 query parameters, statistics, policy."""

import uuid as uuidlib

import pytest

from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova.objects.compute_node import ComputeNode
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from tests.functional.nova.api import admin_hosts

H = '/v2.1/os-hypervisors'
TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)


@pytest.fixture
def nodes(hosts):
    """cmp1 (cell1, two nodes), cmp2 (cell2, disabled, down), cmp3 (cell2,
    no service: left out); a scheduler in cell1."""
    svc1, (n1a, n1b) = hosts.compute('cell1', 'cmp1',
                                     nodes=['cmp1-a', 'cmp1-b'])
    svc2, (n2,) = hosts.compute('cell2', 'cmp2', disabled=True,
                                reason='maintenance', up=False)
    hosts.service('cell1', 'ctl', 'nova-scheduler')
    with engines.cell_writer(hosts.cells['cell2']) as conn:
        compute_nodes.create(conn, ComputeNode(
            host='cmp3', hypervisor_hostname='cmp3', cpu_info='{}'))
    return {'svc1': svc1, 'svc2': svc2, 'n1a': n1a, 'n1b': n1b, 'n2': n2}


def _server(hosts, cell, host, node, name):
    inst = Instance(uuid=str(uuidlib.uuid4()), project_id='p1',
                    user_id='u1', flavor=TINY, display_name=name,
                    host=host, node=node, vm_state='active')
    with engines.cell_writer(hosts.cells[cell]) as conn:
        return instances.create(conn, inst)


def test_list_before_253(compute, nodes):
    body = compute.get(H, version='2.52').json
    assert 'hypervisors_links' not in body
    assert body['hypervisors'] == [
        {'id': nodes['n1a'].id, 'hypervisor_hostname': 'cmp1-a',
         'state': 'up', 'status': 'enabled'},
        {'id': nodes['n1b'].id, 'hypervisor_hostname': 'cmp1-b',
         'state': 'up', 'status': 'enabled'},
        {'id': nodes['n2'].id, 'hypervisor_hostname': 'cmp2',
         'state': 'down', 'status': 'disabled'}]


def test_detail_and_show_before_253(compute, nodes):
    detail = compute.get(H + '/detail', version='2.1').json['hypervisors']
    assert [h['hypervisor_hostname'] for h in detail] == [
        'cmp1-a', 'cmp1-b', 'cmp2']
    first = detail[0]
    assert first['service'] == {'id': nodes['svc1'].id, 'host': 'cmp1',
                                'disabled_reason': None}
    assert (first['vcpus'], first['vcpus_used'], first['memory_mb'],
            first['free_ram_mb'], first['host_ip'],
            first['hypervisor_type']) == (4, 1, 4096, 3584, '192.168.1.10',
                                          'fake')
    assert isinstance(first['cpu_info'], str)  # text before 2.28
    assert detail[2]['service']['disabled_reason'] == 'maintenance'
    shown = compute.get(H + '/%d' % nodes['n1b'].id, version='2.28').json
    assert shown['hypervisor']['cpu_info'] == admin_hosts.CPU_INFO
    assert shown['hypervisor']['hypervisor_hostname'] == 'cmp1-b'
    for bad in ('999999', 'abc', nodes['n1a'].uuid):
        resp = compute.get(H + '/' + bad, version='2.52')
        assert resp.status_int == 404, resp.text
        assert "Hypervisor with ID '%s' could not be found." % bad == (
            resp.json['itemNotFound']['message'])


def test_uuid_ids_from_253(compute, nodes):
    listed = compute.get(H + '/detail', version='2.53').json['hypervisors']
    assert [h['id'] for h in listed] == [
        nodes['n1a'].uuid, nodes['n1b'].uuid, nodes['n2'].uuid]
    assert listed[2]['service']['id'] == nodes['svc2'].uuid
    shown = compute.get(H + '/' + nodes['n2'].uuid, version='2.53').json
    assert shown['hypervisor']['id'] == nodes['n2'].uuid
    assert 'servers' not in shown['hypervisor']
    resp = compute.get(H + '/%d' % nodes['n2'].id, version='2.53')
    assert resp.status_int == 400
    assert 'Invalid uuid' in resp.json['badRequest']['message']
    resp = compute.get(H + '/' + str(uuidlib.uuid4()), version='2.53')
    assert resp.status_int == 404


def test_paging_from_233(compute, nodes):
    assert 'hypervisors_links' not in compute.get(
        H + '?limit=1', version='2.32').json
    assert len(compute.get(H + '?limit=1', version='2.32')
               .json['hypervisors']) == 3  # ignored before 2.33
    page = compute.get(H + '?limit=2', version='2.33').json
    assert [h['id'] for h in page['hypervisors']] == [
        nodes['n1a'].id, nodes['n1b'].id]
    href = page['hypervisors_links'][0]['href']
    assert href.endswith('/v2.1/os-hypervisors?limit=2&marker=%d'
                         % nodes['n1b'].id)
    rest = compute.get(H + '?limit=2&marker=%d' % nodes['n1b'].id,
                       version='2.33').json
    assert [h['id'] for h in rest['hypervisors']] == [nodes['n2'].id]
    assert 'hypervisors_links' not in rest
    # From 2.53 the marker is a uuid, across cells.
    page = compute.get(H + '/detail?limit=1&marker=' + nodes['n1b'].uuid,
                       version='2.53').json
    assert [h['id'] for h in page['hypervisors']] == [nodes['n2'].uuid]
    assert 'os-hypervisors/detail?limit=1&marker=' + nodes['n2'].uuid in (
        page['hypervisors_links'][0]['href'])
    for query, version in (('?limit=-1', '2.33'), ('?limit=x', '2.33'),
                           ('?marker=nope', '2.33'), ('?limit=x', '2.53'),
                           ('?marker=%d' % nodes['n2'].id, '2.53'),
                           ('?bogus=1', '2.53')):
        resp = compute.get(H + query, version=version)
        assert resp.status_int == 400, (query, version, resp.text)


def test_search_and_servers_before_253(compute, hosts, nodes):
    vm = _server(hosts, 'cell1', 'cmp1', 'cmp1-a', 'vm1')
    found = compute.get(H + '/cmp1/search', version='2.52').json
    assert [h['hypervisor_hostname'] for h in found['hypervisors']] == [
        'cmp1-a', 'cmp1-b']
    assert 'servers' not in found['hypervisors'][0]
    with_servers = compute.get(H + '/cmp/servers', version='2.52').json
    by_name = {h['hypervisor_hostname']: h
               for h in with_servers['hypervisors']}
    # As upstream: the servers of the node's host, not just the node.
    assert by_name['cmp1-a']['servers'] == [
        {'name': 'instance-%08x' % vm.id, 'uuid': vm.uuid}]
    assert 'servers' not in by_name['cmp2']
    for path in ('/nomatch/search', '/nomatch/servers'):
        resp = compute.get(H + path, version='2.52')
        assert resp.status_int == 404
        assert resp.json['itemNotFound']['message'] == (
            "No hypervisor matching 'nomatch' could be found.")
    # Gone at 2.53.
    assert compute.get(H + '/cmp1/search', version='2.53').status_int == 404
    assert compute.get(H + '/cmp1/servers', version='2.53').status_int == 404


def test_pattern_and_with_servers_from_253(compute, hosts, nodes):
    vm = _server(hosts, 'cell2', 'cmp2', 'cmp2', 'vm2')
    body = compute.get(H + '?hypervisor_hostname_pattern=cmp2&'
                       'with_servers=true', version='2.53').json
    assert body['hypervisors'] == [{
        'id': nodes['n2'].uuid, 'hypervisor_hostname': 'cmp2',
        'state': 'down', 'status': 'disabled',
        'servers': [{'name': 'instance-%08x' % vm.id, 'uuid': vm.uuid}]}]
    shown = compute.get(H + '/%s?with_servers=1' % nodes['n2'].uuid,
                        version='2.53').json['hypervisor']
    assert shown['servers'] == [{'name': 'instance-%08x' % vm.id,
                                 'uuid': vm.uuid}]
    resp = compute.get(H + '?hypervisor_hostname_pattern=zzz',
                       version='2.53')
    assert resp.status_int == 404
    resp = compute.get(H + '?hypervisor_hostname_pattern=cmp&limit=1',
                       version='2.53')
    assert resp.status_int == 400
    assert 'Paging over hypervisors' in resp.json['badRequest']['message']
    resp = compute.get(H + '?with_servers=maybe', version='2.53')
    assert resp.status_int == 400
    resp = compute.get(H + '/%s?with_servers=maybe' % nodes['n2'].uuid,
                       version='2.53')
    assert resp.status_int == 400


def test_statistics_count_enabled_services_only(compute, nodes):
    stats = compute.get(H + '/statistics').json['hypervisor_statistics']
    assert stats == {
        'count': 2, 'vcpus': 8, 'vcpus_used': 3, 'memory_mb': 8192,
        'memory_mb_used': 1536, 'local_gb': 200, 'local_gb_used': 20,
        'free_ram_mb': 3584 + 3072, 'free_disk_gb': 180,
        'current_workload': 0, 'running_vms': 1,
        'disk_available_least': 180}


def test_empty_cloud(compute, hosts):
    assert compute.get(H).json == {'hypervisors': []}
    stats = compute.get(H + '/statistics').json['hypervisor_statistics']
    assert stats['count'] == 0 and stats['vcpus'] == 0


@pytest.mark.parametrize('path', ['', '/detail', '/statistics', '/1',
                                  '/cmp/search', '/cmp/servers'])
def test_admin_only(compute, nodes, path):
    resp = compute.get(H + path, token='alice:p1', version='2.52')
    assert resp.status_int == 403, resp.text
    assert 'os_compute_api:os-hypervisors' in (
        resp.json['forbidden']['message'])


def test_uptime_not_reported(compute, nodes):
    resp = compute.get(H + '/%s/uptime' % nodes['n1a'].uuid, version='2.53')
    assert resp.status_int == 501
    assert resp.json['notImplemented']['code'] == 501
    resp = compute.get(H + '/%d/uptime' % nodes['n1a'].id, version='2.1')
    assert resp.status_int == 501
    assert compute.get(H + '/999/uptime').status_int == 404
    assert compute.get(H + '/1/uptime', token='alice:p1').status_int == 403
