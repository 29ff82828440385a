"""The cloud `tools/cloud up` starts (placement under uWSGI, every Nova
service in one nova-all-in-one process, SQLite, noauth2), on free ports
and a temporary state directory, driven with the real `openstack` and
`nova` command line clients as an operator and a user would."""

import uuid

import pytest

from tests.integration import cli_cloud
from tests.integration.cli_cloud import CLIError, IMAGE

_table = cli_cloud.table


def test_standard_flavors(cloud):
    flavors = {f['Name']: f for f in cloud.osc('flavor', 'list', '--all')}
    assert {name: (f['ID'], f['RAM'], f['Disk'], f['VCPUs'])
            for name, f in flavors.items()
            if name.startswith('m1.')} == {
        'm1.tiny': ('1', 512, 1, 1), 'm1.small': ('2', 2048, 20, 1),
        'm1.medium': ('3', 4096, 40, 2)}
    rows = _table(cloud.nova('flavor-list'))
    assert {r[1] for r in rows} >= {'m1.tiny', 'm1.small', 'm1.medium'}


def test_compute_versions(cloud):
    rows = {r[0]: r for r in _table(cloud.nova('version-list'))}
    assert rows['v2.1'][1:] == ['CURRENT', '2013-07-23T11:33:21Z', '2.1',
                                '2.69']
    tiny = cloud.osc('flavor', 'show', 'm1.tiny')
    assert (tiny['id'], tiny['ram']) == ('1', 512)


def test_images_come_from_the_local_catalog(cloud):
    names = {i['Name'] for i in cloud.osc('image', 'list')}
    assert IMAGE in names
    shown = cloud.osc('image', 'show', IMAGE)
    assert shown['status'] == 'active'


def test_openstack_server_create_and_delete(cloud):
    name = 'osc-' + uuid.uuid4().hex[:8]
    server = cloud.osc('server', 'create', '--flavor', 'm1.tiny',
                       '--image', IMAGE, '--wait', name)
    assert (server['name'], server['status']) == (name, 'ACTIVE')
    cloud.osc('server', 'delete', '--wait', name, parse=False)
    assert name not in {s['Name'] for s in cloud.osc('server', 'list')}


def test_openstack_server_actions(cloud):
    """list, show, reboot, stop, start and delete of a server the nova
    CLI booted."""
    name = 'act-' + uuid.uuid4().hex[:8]
    cloud.nova('boot', '--flavor', 'm1.tiny', '--image', IMAGE, '--poll',
               name)
    listed = {s['Name']: s for s in cloud.osc('server', 'list')}
    assert listed[name]['Status'] == 'ACTIVE'
    assert listed[name]['Flavor'] == 'm1.tiny'
    shown = cloud.osc('server', 'show', name)
    assert shown['id'] == listed[name]['ID']
    assert shown['OS-EXT-SRV-ATTR:host'] == 'cell1-compute1'
    assert shown['OS-EXT-STS:power_state'] in ('Running', 1)

    cloud.osc('server', 'reboot', '--wait', name, parse=False)
    assert cloud.osc('server', 'show', name)['status'] == 'ACTIVE'
    cloud.osc('server', 'stop', name, parse=False)
    _wait_status(cloud, name, 'SHUTOFF')
    cloud.osc('server', 'start', name, parse=False)
    _wait_status(cloud, name, 'ACTIVE')

    cloud.osc('server', 'delete', '--wait', name, parse=False)
    assert name not in {s['Name'] for s in cloud.osc('server', 'list')}
    with pytest.raises(CLIError, match='No Server found'):
        cloud.osc('server', 'show', name)


def _wait_status(cloud, name: str, status: str) -> None:
    from tests.nova_services import wait_for
    wait_for(lambda: cloud.osc('server', 'show', name)['status'] == status,
             timeout=60, interval=0.5, what='%s %s' % (name, status))


def test_nova_boot_list_show_delete(cloud):
    name = 'nova-' + uuid.uuid4().hex[:8]
    out = cloud.nova('boot', '--flavor', 'm1.tiny', '--image', IMAGE,
                     '--poll', name)
    assert 'Finished' in out or 'ACTIVE' in out, out
    rows = {r[1]: r for r in _table(cloud.nova('list'))}
    assert rows[name][2] == 'ACTIVE'
    shown = dict(r[:2] for r in _table(cloud.nova('show', name)))
    assert shown['status'] == 'ACTIVE'
    assert shown['OS-EXT-SRV-ATTR:host'] == 'cell1-compute1'
    cloud.nova('delete', name)
    from tests.nova_services import wait_for
    wait_for(lambda: name not in {r[1] for r in _table(cloud.nova('list'))},
             timeout=60, interval=0.5, what='%s deleted' % name)


def test_projects_see_only_their_servers(cloud):
    name = 'demo-' + uuid.uuid4().hex[:8]
    cloud.nova('boot', '--flavor', 'm1.tiny', '--image', IMAGE, '--poll',
               name, user='demo')
    try:
        mine = {s['Name'] for s in cloud.osc('server', 'list', user='demo')}
        assert name in mine
        admin_own = {s['Name'] for s in cloud.osc('server', 'list')}
        assert name not in admin_own
        everyone = {s['Name'] for s in cloud.osc('server', 'list',
                                                  '--all-projects')}
        assert name in everyone
        with pytest.raises(CLIError, match='403|Policy'):
            cloud.osc('server', 'list', '--all-projects', user='demo')
    finally:
        cloud.osc('server', 'delete', '--wait', name, user='demo',
                  parse=False)


def test_cloud_up_again_boots_the_demo_server(cloud):
    """A second `up` changes nothing already there and boots "demo"."""
    proc = cloud.tool('up')
    assert proc.returncode == 0, (proc.stdout, proc.stderr, cloud.logs())
    assert 'nova already running' in proc.stdout
    assert 'server demo: ACTIVE' in proc.stdout
    flavors = [f['Name'] for f in cloud.osc('flavor', 'list', '--all')]
    assert sorted(flavors) == ['m1.medium', 'm1.small', 'm1.tiny']
    demo = cloud.osc('server', 'show', 'demo')
    assert demo['status'] == 'ACTIVE'
