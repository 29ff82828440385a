"""The operator's server moves with the real `openstack` client against
tools/cloud's one-host cloud: a resize that stays on the host
([DEFAULT] allow_resize_to_same_host), a live migration that finds no
other host, the migrations it leaves, and the refusals of evacuate,
abort and force complete a one-host cloud meets. The moves between hosts
themselves are tested in-process with two computes
(tests/functional/nova/api/test_server_moves_cloud.py)."""

import uuid

import pytest

from tests.integration.cli_cloud import CLIError
from tests.integration.cli_cloud import IMAGE
from tests.nova_services import wait_for

HOST = 'cell1-compute1'


def _server(cloud) -> str:
    name = 'mv-' + uuid.uuid4().hex[:8]
    server = cloud.osc('server', 'create', '--flavor', 'm1.tiny',
                       '--image', IMAGE, '--wait', name)
    assert server['status'] == 'ACTIVE'
    return name


def _status(cloud, name: str, status: str) -> dict:
    def ready():
        shown = cloud.osc('server', 'show', name)
        return (shown['status'] == status
                and not shown['OS-EXT-STS:task_state'] and shown)
    return wait_for(ready, timeout=60, what='%s to be %s' % (name, status))


def _migrations(cloud, name: str) -> list[dict]:
    return cloud.osc('--os-compute-api-version', '2.59', 'server',
                     'migration', 'list', '--server', name)


def test_resize_on_the_one_host(cloud):
    name = _server(cloud)
    cloud.osc('server', 'resize', '--flavor', 'm1.small', '--wait', name,
              parse=False)
    shown = _status(cloud, name, 'VERIFY_RESIZE')
    assert shown['OS-EXT-SRV-ATTR:host'] == HOST
    cloud.osc('server', 'resize', 'confirm', name, parse=False)
    shown = _status(cloud, name, 'ACTIVE')
    assert 'm1.small' in str(shown['flavor'])
    (migration,) = _migrations(cloud, name)
    assert (migration['Type'], migration['Status']) == ('resize',
                                                        'confirmed')
    cloud.osc('server', 'delete', '--wait', name, parse=False)


def test_live_migration_with_no_other_host(cloud):
    name = _server(cloud)
    # The client live-migrates at 2.30, before 2.34: the API waits for
    # the conductor's checks and answers their 400.
    with pytest.raises(CLIError, match='No valid host'):
        cloud.osc('--os-compute-api-version', '2.68', 'server', 'migrate',
                  '--live-migration', name, parse=False)
    (migration,) = _migrations(cloud, name)
    assert migration['Status'] == 'error'
    assert migration['Type'] == 'live-migration'
    assert migration['Source Compute'] == HOST
    assert _status(cloud, name, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == HOST
    # Nothing in progress to show, abort or complete.
    mid = str(migration['Id'])
    # (This client swaps the server and the migration in the URL: the
    # 404 is the server's.)
    with pytest.raises(CLIError, match='No ServerMigration found'):
        cloud.osc('--os-compute-api-version', '2.24', 'server',
                  'migration', 'show', name, mid)
    with pytest.raises(CLIError, match='409|Cannot'):
        cloud.osc('--os-compute-api-version', '2.65', 'server',
                  'migration', 'abort', name, mid, parse=False)
    with pytest.raises(CLIError, match='409|Cannot'):
        cloud.osc('--os-compute-api-version', '2.22', 'server',
                  'migration', 'force', 'complete', name, mid, parse=False)
    # Its host is up: nothing to evacuate it from.
    with pytest.raises(CLIError, match='still in use'):
        cloud.osc('--os-compute-api-version', '2.68', 'server',
                  'evacuate', name)
    cloud.osc('server', 'delete', '--wait', name, parse=False)
