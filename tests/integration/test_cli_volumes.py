"""Servers and volumes with the real `openstack` and `nova` CLIs on
tools/cloud (Nova calling the cloud's real Cinder): attach and detach,
boot from a new and from an existing volume, what a server delete does to
its volumes, a multiattach volume on two servers, and a swap."""

import uuid

from tests.integration.cli_cloud import IMAGE
from tests.integration.test_cinder_service import _available, _create
from tests.integration.test_cinder_service import _delete, _logs
from tests.nova_services import wait_for


def _name(prefix: str) -> str:
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _server(cloud, *args: str) -> dict:
    name = _name('srv')
    server = cloud.osc('server', 'create', '--flavor', 'm1.tiny',
                       '--wait', *args, name)
    assert server['status'] == 'ACTIVE', (server, cloud.logs())
    return server


def _volume_status(cloud, volume_id: str, status: str) -> dict:
    return wait_for(lambda: (lambda v: v['status'] == status and v)(
        cloud.osc('volume', 'show', volume_id)), timeout=60,
        what='volume %s %s' % (volume_id, status))


def _attached(server: dict) -> list[str]:
    return [v['id'] for v in server['volumes_attached']]


def test_server_add_and_remove_volume(cloud):
    server = _server(cloud, '--image', IMAGE)
    volume = _create(cloud)
    try:
        cloud.osc('server', 'add', 'volume', server['id'], volume['id'],
                  parse=False)
        shown = _volume_status(cloud, volume['id'], 'in-use')
        (attachment,) = shown['attachments']
        assert attachment['server_id'] == server['id']
        assert attachment['device'] == '/dev/vdb'
        assert _attached(cloud.osc('server', 'show', server['id'])) == [
            volume['id']]
        cloud.osc('server', 'remove', 'volume', server['id'], volume['id'],
                  parse=False)
        shown = _volume_status(cloud, volume['id'], 'available')
        assert shown['attachments'] == []
        assert _attached(cloud.osc('server', 'show', server['id'])) == []
    finally:
        cloud.osc('server', 'delete', '--wait', server['id'], parse=False)
    _delete(cloud, volume['id'])


def test_boot_from_volumes_and_delete(cloud):
    # A new boot volume that goes with its server...
    new = _server(cloud, '--block-device',
                  'uuid=%s,source_type=image,destination_type=volume,'
                  'volume_size=1,boot_index=0,delete_on_termination=true'
                  % cloud.osc('image', 'show', IMAGE)['id'])
    assert new['image'] in ('', 'N/A (booted from volume)'), new['image']
    (made,) = _attached(new)
    assert cloud.osc('volume', 'show', made)['bootable'] is True
    # ... a new one that stays (--boot-from-volume keeps it) ...
    kept = _server(cloud, '--image', IMAGE, '--boot-from-volume', '1')
    (kept_volume,) = _attached(kept)
    # ... and an existing bootable volume.
    bootable = _create(cloud, '--image', IMAGE, '--bootable')
    existing = _server(cloud, '--volume', bootable['id'])
    assert _attached(existing) == [bootable['id']]
    assert _volume_status(cloud, bootable['id'], 'in-use')[
        'attachments'][0]['server_id'] == existing['id']

    for server in (new, kept, existing):
        cloud.osc('server', 'delete', '--wait', server['id'], parse=False)
    wait_for(lambda: made not in {v['ID'] for v in cloud.osc('volume',
                                                             'list')},
             timeout=60, what='the delete_on_termination volume deleted')
    for volume_id in (kept_volume, bootable['id']):
        assert _available(cloud, volume_id)['attachments'] == [], _logs(
            cloud)
        _delete(cloud, volume_id)


def test_a_multiattach_volume_on_two_servers(cloud):
    servers = [_server(cloud, '--image', IMAGE) for _ in range(2)]
    volume = _create(cloud, '--type', 'multiattach')
    assert volume['multiattach'] is True
    try:
        for server in servers:
            cloud.osc('--os-compute-api-version', '2.60', 'server', 'add',
                      'volume', server['id'], volume['id'], parse=False)
            # Cinder reserves no volume while it is 'attaching'.
            _volume_status(cloud, volume['id'], 'in-use')
        shown = wait_for(lambda: (lambda v: len(v['attachments']) == 2 and v)(
            cloud.osc('volume', 'show', volume['id'])), timeout=60,
            what='two attachments')
        assert sorted(a['server_id'] for a in shown['attachments']) == (
            sorted(s['id'] for s in servers))
        for server in servers:
            assert _attached(cloud.osc('server', 'show', server['id'])) == [
                volume['id']]
        # Detaching from one server leaves the other's attachment.
        cloud.osc('server', 'remove', 'volume', servers[0]['id'],
                  volume['id'], parse=False)
        shown = wait_for(lambda: (lambda v: len(v['attachments']) == 1 and v)(
            cloud.osc('volume', 'show', volume['id'])), timeout=60,
            what='one attachment left')
        assert shown['status'] == 'in-use'
        assert shown['attachments'][0]['server_id'] == servers[1]['id']
    finally:
        for server in servers:
            cloud.osc('server', 'delete', '--wait', server['id'], parse=False)
    assert _available(cloud, volume['id'])['attachments'] == [], _logs(cloud)
    _delete(cloud, volume['id'])


def test_nova_volume_update_swaps_a_volume(cloud):
    server = _server(cloud, '--image', IMAGE)
    old, new = _create(cloud), _create(cloud)
    try:
        cloud.osc('server', 'add', 'volume', server['id'], old['id'],
                  parse=False)
        _volume_status(cloud, old['id'], 'in-use')
        cloud.nova('volume-update', server['id'], old['id'], new['id'])
        shown = _volume_status(cloud, new['id'], 'in-use')
        assert [(a['server_id'], a['device'])
                for a in shown['attachments']] == [(server['id'],
                                                    '/dev/vdb')]
        _volume_status(cloud, old['id'], 'available')
        assert _attached(cloud.osc('server', 'show', server['id'])) == [
            new['id']]
    finally:
        cloud.osc('server', 'delete', '--wait', server['id'], parse=False)
    for volume in (old, new):
        assert _available(cloud, volume['id'])['attachments'] == [], _logs(
            cloud)
        _delete(cloud, volume['id'])
