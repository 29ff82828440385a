"""Server groups with the real `openstack` and `nova` clients against
tools/cloud (one fake compute): create, list, show and delete groups,
and servers booted into them with `--hint group=...`, the scheduler
keeping affinity and refusing a second host for anti-affinity, or (2.64,
asked for) allowing max_server_per_host members on
the one host."""

import time
import uuid

import pytest

from tests.integration.cli_cloud import CLIError, IMAGE


def _settled(cloud, name, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        shown = cloud.osc('server', 'show', name)
        if shown['status'] in ('ACTIVE', 'ERROR'):
            return shown
        assert time.monotonic() < deadline, shown
        time.sleep(0.5)


def _boot(cloud, group_id, name):
    cloud.osc('server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE,
              '--hint', 'group=%s' % group_id, name)
    return _settled(cloud, name)


def test_group_create_list_show_delete(cloud):
    name = 'grp-' + uuid.uuid4().hex[:8]
    made = cloud.osc('server', 'group', 'create', '--policy',
                     'anti-affinity', name)
    assert made['name'] == name
    assert 'anti-affinity' in str(made.get('policies', made.get('policy')))
    listed = {g['Name']: g for g in cloud.osc('server', 'group', 'list')}
    assert listed[name]['ID'] == made['id']
    shown = cloud.osc('server', 'group', 'show', name)
    assert shown['id'] == made['id']
    cloud.osc('server', 'group', 'delete', name, parse=False)
    assert name not in {g['Name']
                        for g in cloud.osc('server', 'group', 'list')}
    with pytest.raises(CLIError):
        cloud.osc('server', 'group', 'show', made['id'])


def test_anti_affinity_refuses_a_second_server_on_the_one_host(cloud):
    group = cloud.osc('server', 'group', 'create', '--policy',
                      'anti-affinity', 'anti-' + uuid.uuid4().hex[:8])
    first = _boot(cloud, group['id'], 'anti-a')
    assert first['status'] == 'ACTIVE'
    second = _boot(cloud, group['id'], 'anti-b')
    assert second['status'] == 'ERROR'
    assert 'No valid host' in str(second['fault'])
    members = cloud.osc('server', 'group', 'show', group['id'])['members']
    assert first['id'] in str(members) and second['id'] in str(members)
    for name in ('anti-a', 'anti-b'):
        cloud.osc('server', 'delete', '--wait', name, parse=False)
    shown = cloud.osc('server', 'group', 'show', group['id'])
    assert first['id'] not in str(shown['members'])


def test_affinity_keeps_servers_together(cloud):
    group = cloud.osc('server', 'group', 'create', '--policy', 'affinity',
                      'aff-' + uuid.uuid4().hex[:8])
    hosts = {_boot(cloud, group['id'], name)['OS-EXT-SRV-ATTR:host']
             for name in ('aff-a', 'aff-b')}
    assert hosts == {'cell1-compute1'}
    for name in ('aff-a', 'aff-b'):
        cloud.osc('server', 'delete', '--wait', name, parse=False)
    cloud.osc('server', 'group', 'delete', group['id'], parse=False)


def test_anti_affinity_rule_allows_more_members_per_host(cloud):
    group = cloud.osc('--os-compute-api-version', '2.64', 'server', 'group',
                      'create', '--policy', 'anti-affinity', '--rule',
                      'max_server_per_host=2', 'rule-' + uuid.uuid4().hex[:8])
    assert group['policy'] == 'anti-affinity'
    assert 'max_server_per_host' in str(group['rules'])
    shown = cloud.osc('--os-compute-api-version', '2.64', 'server', 'group',
                      'show', group['id'])
    assert shown['policy'] == 'anti-affinity'
    assert '2' in str(shown['rules'])
    names = ('rule-a', 'rule-b', 'rule-c')
    servers = [_boot(cloud, group['id'], name) for name in names]
    assert [s['status'] for s in servers] == ['ACTIVE', 'ACTIVE', 'ERROR']
    assert 'No valid host' in str(servers[2]['fault'])
    for name in names:
        cloud.osc('server', 'delete', '--wait', name, parse=False)
    cloud.osc('server', 'group', 'delete', group['id'], parse=False)


def test_nova_client_creates_a_group_with_rules(cloud):
    name = 'nova-' + uuid.uuid4().hex[:8]
    out = cloud.nova('--os-compute-api-version', '2.64',
                     'server-group-create', '--rule',
                     'max_server_per_host=3', name, 'anti-affinity')
    assert name in out and 'anti-affinity' in out
    assert 'max_server_per_host' in out
    with pytest.raises(CLIError):
        # Rules are for anti-affinity only: the API's 400.
        cloud.nova('--os-compute-api-version', '2.64',
                   'server-group-create', '--rule',
                   'max_server_per_host=3', name + '-x', 'affinity')
    cloud.osc('server', 'group', 'delete', name, parse=False)
