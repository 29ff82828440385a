"""The server actions on its state through the real `openstack` client,
on the shared command line cloud (tests/integration/cli_cloud.py): shelve
(offloaded at once: [DEFAULT] shelved_offload_time is 0) and unshelve,
rescue and unrescue, set --state, --password and --no-password, and
dump create (trigger_crash_dump), on one server."""

import uuid

from tests.integration.cli_cloud import IMAGE


def _wait_status(cloud, name: str, status: str) -> dict:
    from tests.nova_services import wait_for

    def ready():
        shown = cloud.osc('server', 'show', name)
        return (shown['status'] == status and
                not shown['OS-EXT-STS:task_state']) and shown
    return wait_for(ready, timeout=60, interval=0.5,
                    what='%s %s' % (name, status))


def test_openstack_server_state_actions(cloud):
    name = 'states-' + uuid.uuid4().hex[:8]
    cloud.osc('server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE,
              '--wait', name)
    try:
        cloud.osc('server', 'shelve', '--wait', name, parse=False)
        shown = _wait_status(cloud, name, 'SHELVED_OFFLOADED')
        assert not shown['OS-EXT-SRV-ATTR:host']
        cloud.osc('server', 'unshelve', '--wait', name, parse=False)
        shown = _wait_status(cloud, name, 'ACTIVE')
        assert shown['OS-EXT-SRV-ATTR:host'] == 'cell1-compute1'

        cloud.osc('server', 'rescue', '--password', 'r3scue', name,
                  parse=False)
        _wait_status(cloud, name, 'RESCUE')
        cloud.osc('server', 'unrescue', name, parse=False)
        _wait_status(cloud, name, 'ACTIVE')

        cloud.osc('server', 'set', '--state', 'error', '--auto-approve',
                  name, parse=False)
        _wait_status(cloud, name, 'ERROR')
        cloud.osc('server', 'set', '--state', 'active', '--auto-approve',
                  name, parse=False)
        _wait_status(cloud, name, 'ACTIVE')

        cloud.osc('server', 'set', '--password', 'n3w', name, parse=False)
        cloud.osc('server', 'set', '--no-password', name, parse=False)
        cloud.osc('server', 'dump', 'create', name, parse=False)
        actions = {a['Action'] for a in cloud.osc(
            'server', 'event', 'list', name)}
        assert {'shelve', 'unshelve', 'rescue', 'unrescue', 'resetState',
                'changePassword', 'trigger_crash_dump'} <= actions, actions
    finally:
        cloud.osc('server', 'delete', '--wait', name, parse=False)
