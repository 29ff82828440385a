"""Server groups with the real `openstack` client against tools/cloud
(one fake compute): create, list, show and delete groups, and servers
booted into them with `--hint group=...`, the scheduler keeping
affinity and refusing a second host for anti-affinity."""

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
