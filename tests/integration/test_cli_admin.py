"""The operator's commands of the real `openstack` client against the
cloud `tools/cloud up` starts: hypervisors, compute services,
availability zones and aggregates."""

import uuid

import pytest

from tests.integration.cli_cloud import CLIError

HOST = 'cell1-compute1'


def test_hypervisors(cloud):
    listed = cloud.osc('hypervisor', 'list')
    assert [h['Hypervisor Hostname'] for h in listed] == [HOST]
    assert listed[0]['State'] == 'up'
    shown = cloud.osc('hypervisor', 'show', listed[0]['ID'])
    assert shown['hypervisor_hostname'] == HOST
    assert shown['service_host'] == HOST
    stats = cloud.osc('hypervisor', 'stats', 'show')
    assert stats['count'] == 1
    assert stats['vcpus'] > 0
    with pytest.raises(CLIError, match='403|Policy|not allowed'):
        cloud.osc('hypervisor', 'list', user='demo')


def test_compute_services_disable_and_enable(cloud):
    listed = cloud.osc('compute', 'service', 'list')
    by_binary = {s['Binary']: s for s in listed}
    assert by_binary['nova-compute']['Host'] == HOST
    assert by_binary['nova-compute']['Zone'] == 'nova'
    assert by_binary['nova-compute']['State'] == 'up'
    assert by_binary['nova-scheduler']['Zone'] == 'internal'
    cloud.osc('compute', 'service', 'set', '--disable',
              '--disable-reason', 'maintenance', HOST, 'nova-compute',
              parse=False)
    compute = {s['Binary']: s for s in cloud.osc(
        'compute', 'service', 'list', '--long')}['nova-compute']
    assert compute['Status'] == 'disabled'
    assert compute['Disabled Reason'] == 'maintenance'
    cloud.osc('compute', 'service', 'set', '--enable', HOST, 'nova-compute',
              parse=False)
    compute = {s['Binary']: s for s in cloud.osc(
        'compute', 'service', 'list')}['nova-compute']
    assert compute['Status'] == 'enabled'


def test_aggregates_and_zones(cloud):
    name = 'agg-' + uuid.uuid4().hex[:6]
    created = cloud.osc('aggregate', 'create', '--zone', 'az-cli', name)
    assert created['name'] == name
    cloud.osc('aggregate', 'add', 'host', name, HOST)
    cloud.osc('aggregate', 'set', '--property', 'ssd=true', name,
              parse=False)
    shown = cloud.osc('aggregate', 'show', name)
    assert HOST in shown['hosts']
    assert shown['availability_zone'] == 'az-cli'
    assert 'ssd' in str(shown['properties'])
    zones = {z['Zone Name']: z for z in cloud.osc(
        'availability', 'zone', 'list', '--compute')}
    assert zones['az-cli']['Zone Status'] == 'available'
    assert 'nova' not in zones  # its only compute host moved to az-cli
    services = {s['Binary']: s for s in cloud.osc('compute', 'service',
                                                  'list')}
    assert services['nova-compute']['Zone'] == 'az-cli'
    with pytest.raises(CLIError, match='409|already'):
        cloud.osc('aggregate', 'add', 'host', name, HOST)

    cloud.osc('aggregate', 'remove', 'host', name, HOST)
    assert cloud.osc('aggregate', 'show', name)['hosts'] == []
    cloud.osc('aggregate', 'delete', name, parse=False)
    assert name not in {a['Name'] for a in cloud.osc('aggregate', 'list')}
    zones = {z['Zone Name'] for z in cloud.osc(
        'availability', 'zone', 'list', '--compute')}
    assert 'nova' in zones and 'az-cli' not in zones


def test_private_flavor_with_properties_and_access(cloud):
    name = 'cli-' + uuid.uuid4().hex[:6]
    flavor = cloud.osc('flavor', 'create', '--ram', '256', '--disk', '1',
                       '--vcpus', '1', '--private', '--property',
                       'hw:cpu_policy=dedicated', '--project', 'demo', name)
    assert flavor['os-flavor-access:is_public'] is False
    try:
        shown = cloud.osc('flavor', 'show', name)
        assert shown['properties'] in ({'hw:cpu_policy': 'dedicated'},
                                       "hw:cpu_policy='dedicated'")
        # The demo project was given it; a flavor list shows it there.
        assert name in {f['Name'] for f in cloud.osc('flavor', 'list',
                                                      user='demo')}
        cloud.osc('flavor', 'unset', '--project', 'demo', name,
                  parse=False)
        assert name not in {f['Name'] for f in cloud.osc(
            'flavor', 'list', user='demo')}
    finally:
        cloud.osc('flavor', 'delete', name, parse=False)
    assert name not in {f['Name'] for f in cloud.osc('flavor', 'list',
                                                      '--all')}
