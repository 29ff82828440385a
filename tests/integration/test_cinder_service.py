"""Upstream Cinder in the all-in-one cloud: tools/cloud up starts it
(tools/cinder.sh: cinder-api under uWSGI, cinder-scheduler, cinder-volume
with the file-backed fake backend of tools/cinder/fake_backend.py), and
the openstack CLI manages volumes through it; a volume from an image gets
the image's bytes from the image stand-in of nova-all-in-one."""

import subprocess
import uuid

from tests.integration import cli_cloud
from tests.integration.cli_cloud import IMAGE
from tests.integration.conftest import REPO, free_port, log_tail
from tests.nova_services import wait_for

CINDER = REPO / 'tools' / 'cinder.sh'
SHIPPED_IMAGE = (REPO / 'etc' / 'nova' / 'images' /
                 '155d900f-4e14-4e4c-a73d-069cbf4541e6.qcow2')


def _logs(cloud) -> str:
    return '\n'.join(
        '%s:\n%s' % (name, log_tail(cloud.state / 'cinder' / name))
        for name in ('cinder-api.log', 'cinder-scheduler.log',
                     'cinder-volume.log'))


def _available(cloud, volume_id: str) -> dict:
    def settled():
        shown = cloud.osc('volume', 'show', volume_id)
        return shown if shown['status'] in ('available', 'error') else None
    shown = wait_for(settled, timeout=60, what='volume %s' % volume_id)
    assert shown['status'] == 'available', _logs(cloud)
    return shown


def _create(cloud, *args: str) -> dict:
    name = 'vol-' + uuid.uuid4().hex[:8]
    created = cloud.osc('volume', 'create', '--size', '1', *args, name)
    assert created['name'] == name
    return _available(cloud, created['id'])


def _delete(cloud, volume_id: str) -> None:
    cloud.osc('volume', 'delete', volume_id, parse=False)
    wait_for(lambda: volume_id not in {
        v['ID'] for v in cloud.osc('volume', 'list')}, timeout=60,
        what='volume %s deleted' % volume_id)
    assert not (cloud.state / 'cinder' / 'volumes' / volume_id).exists()


def test_the_cloud_runs_cinder(cloud):
    assert 'block_storage_endpoint_override' in (
        cloud.state / 'clouds.yaml').read_text(), (
        'the session cloud was started without Cinder')
    services = {(s['Binary'], s['State'])
                for s in cloud.osc('volume', 'service', 'list')}
    assert {('cinder-scheduler', 'up'), ('cinder-volume', 'up')} <= services
    types = {t['Name'] for t in cloud.osc('volume', 'type', 'list')}
    assert {'__DEFAULT__', 'multiattach'} <= types


def test_volume_create_and_delete(cloud):
    volume = _create(cloud)
    assert (volume['size'], volume['bootable']) == (1, False)
    assert volume['id'] in {v['ID'] for v in cloud.osc('volume', 'list')}
    _delete(cloud, volume['id'])


def test_volume_from_image_holds_the_image_bytes(cloud):
    volume = _create(cloud, '--image', IMAGE)
    assert volume['bootable'] is True
    assert volume['volume_image_metadata']['image_name'] == IMAGE
    data = cloud.state / 'cinder' / 'volumes' / volume['id']
    assert data.read_bytes() == SHIPPED_IMAGE.read_bytes()
    _delete(cloud, volume['id'])


def test_multiattach_volume(cloud):
    volume = _create(cloud, '--type', 'multiattach')
    assert volume['multiattach'] is True
    assert volume['type'] == 'multiattach'
    _delete(cloud, volume['id'])


def test_cinder_up_twice_then_down_leaves_no_process(tmp_path):
    """tools/cinder.sh on its own: a second up changes nothing, down stops
    every process of the state directory, purge drops its database."""
    state = tmp_path / 'cloud'
    state.mkdir()
    env = dict(cli_cloud.Cloud(state).env, CINDER_PORT=str(free_port()))

    def cinder(action: str) -> str:
        proc = subprocess.run([str(CINDER), action], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, (action, proc.stdout, proc.stderr)
        return proc.stdout

    def processes() -> str:
        return subprocess.run(['pgrep', '-af', str(state / 'cinder')],
                              capture_output=True, text=True).stdout

    try:
        cinder('up')
        pids = {svc: (state / 'cinder' / ('cinder-%s.pid' % svc)).read_text()
                for svc in ('api', 'scheduler', 'volume')}
        cinder('up')
        assert pids == {
            svc: (state / 'cinder' / ('cinder-%s.pid' % svc)).read_text()
            for svc in pids}
        assert 'cinder-volume: running' in cinder('status')
        cinder('down')
        assert processes() == ''
    finally:
        cinder('purge')
    assert processes() == ''
