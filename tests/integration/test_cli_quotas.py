"""Key pairs, quotas and limits of the cloud `tools/cloud up` starts,
driven with the real `openstack` and `nova` command line clients as the
operator ("admin") and a user ("demo", project demo)."""

import base64
import hashlib
import uuid

from cryptography.hazmat.primitives import serialization
import pytest

from tests.integration.cli_cloud import CLIError, IMAGE


def _md5(public_key: str) -> str:
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ':'.join(digest[i:i + 2] for i in range(0, 32, 2))


def _named(rows: list[dict], key: str, value: str) -> dict:
    return {row[key]: row[value] for row in rows}


def _quotas(cloud, *args, user='admin') -> dict:
    return _named(cloud.osc('quota', 'show', '--compute', *args, user=user),
                  'Resource', 'Limit')


def _limits(cloud, *args, user='demo') -> dict:
    return _named(cloud.osc('limits', 'show', '--absolute', *args,
                            user=user), 'Name', 'Value')


def test_keypair_create_list_show_delete(cloud, tmp_path):
    name = 'kp-' + uuid.uuid4().hex[:8]
    private = tmp_path / 'id_rsa'
    created = cloud.osc('keypair', 'create', '--private-key', str(private),
                        name, user='demo')
    key = serialization.load_ssh_private_key(private.read_bytes(), None)
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH,
        serialization.PublicFormat.OpenSSH).decode()
    assert created['fingerprint'] == _md5(public)
    listed = _named(cloud.osc('keypair', 'list', user='demo'),
                    'Name', 'Fingerprint')
    assert listed[name] == created['fingerprint']
    shown = cloud.osc('keypair', 'show', name, user='demo')
    assert (shown['name'], shown['user_id'], shown['type']) == (
        name, 'demo', 'ssh')
    assert cloud.osc('keypair', 'show', '--public-key', name, user='demo',
                     parse=False).split() == public.split()
    # Another user does not see it.
    assert name not in _named(cloud.osc('keypair', 'list'), 'Name', 'Type')
    with pytest.raises(CLIError):
        cloud.osc('keypair', 'show', name)
    cloud.osc('keypair', 'delete', name, user='demo', parse=False)
    assert name not in _named(cloud.osc('keypair', 'list', user='demo'),
                              'Name', 'Type')


def test_keypair_import_and_duplicate(cloud, tmp_path):
    name = 'imp-' + uuid.uuid4().hex[:8]
    public = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJWg3y1yaVIckXfTAMm+TZtHb'
              'qVki93Fo6a7+KmWmn50 alice@laptop')
    path = tmp_path / 'key.pub'
    path.write_text(public + '\n')
    created = cloud.osc('keypair', 'create', '--public-key', str(path),
                        name)
    assert created['fingerprint'] == (
        '39:14:7e:54:6f:85:04:37:fb:43:4f:03:c3:30:bb:a3')
    with pytest.raises(CLIError, match="Key pair '%s' already exists" % name):
        cloud.osc('keypair', 'create', '--public-key', str(path), name)
    path.write_text('ssh-rsa not-a-key\n')
    with pytest.raises(CLIError, match='failed to generate fingerprint'):
        cloud.osc('keypair', 'create', '--public-key', str(path), 'bad')
    cloud.osc('keypair', 'delete', name, parse=False)


def test_server_side_x509_generation_with_the_nova_cli(cloud):
    name = 'win-' + uuid.uuid4().hex[:8]
    out = cloud.nova('keypair-add', '--key-type', 'x509', name)
    assert '-----BEGIN PRIVATE KEY-----' in out
    shown = cloud.osc('keypair', 'show', name)
    assert shown['type'] == 'x509'
    cloud.osc('keypair', 'delete', name, parse=False)


def test_quota_set_show_and_the_key_pairs_limit(cloud, tmp_path):
    cloud.osc('quota', 'set', '--instances', '4', '--key-pairs', '2',
              '--cores', '9', 'demo', parse=False)
    try:
        mine = _quotas(cloud, 'demo', user='demo')
        assert (mine['instances'], mine['key-pairs'], mine['cores']) == (
            4, 2, 9)
        assert _quotas(cloud, '--default', 'demo')['instances'] == 10
        # Users may not set quotas.
        with pytest.raises(CLIError, match='os-quota-sets:update'):
            cloud.osc('quota', 'set', '--instances', '40', 'demo',
                      user='demo', parse=False)
        names = ['q%d-%s' % (i, uuid.uuid4().hex[:6]) for i in range(3)]
        for name in names[:2]:
            cloud.osc('keypair', 'create', '--private-key',
                      str(tmp_path / name), name, user='demo')
        with pytest.raises(CLIError,
                           match='Quota exceeded, too many key pairs'):
            cloud.osc('keypair', 'create', '--private-key',
                      str(tmp_path / names[2]), names[2], user='demo')
        for name in names[:2]:
            cloud.osc('keypair', 'delete', name, user='demo', parse=False)
    finally:
        cloud.osc('quota', 'delete', '--compute', 'demo', parse=False)
    assert _quotas(cloud, 'demo')['instances'] == 10


def test_limits_show_absolute_counts_servers(cloud):
    before = _limits(cloud)
    assert (before['max_total_instances'], before['max_total_keypairs'],
            before['max_server_meta']) == (10, 100, 128)
    name = 'lim-' + uuid.uuid4().hex[:8]
    cloud.osc('server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE,
              '--wait', name, user='demo')
    try:
        after = _limits(cloud)
        assert after['total_instances_used'] == (
            before['total_instances_used'] + 1)
        assert after['total_ram_used'] == before['total_ram_used'] + 512
        assert after['total_cores_used'] == before['total_cores_used'] + 1
        # The operator sees the demo project's through --project.
        theirs = _limits(cloud, '--project', 'demo', user='admin')
        assert theirs['total_instances_used'] == after[
            'total_instances_used']
        with pytest.raises(CLIError, match='os-used-limits'):
            _limits(cloud, '--project', 'admin')
        usage = cloud.osc('quota', 'show', '--compute', '--usage', 'demo')
        assert _named(usage, 'Resource', 'In Use')['instances'] == (
            after['total_instances_used'])
    finally:
        cloud.osc('server', 'delete', '--wait', name, user='demo',
                  parse=False)
