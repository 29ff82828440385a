"""/os-keypairs through the paste pipeline: generate and import, the
views by microversion (2.1, 2.2, 2.10, 2.35), quota, policy, errors."""

import base64
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
import pytest
import sqlalchemy as sa

from tests.functional.nova.api.conftest import flavor_body

K = '/v2.1/os-keypairs'
ALICE = 'alice:p1'
BOB = 'bob:p1'
# A fixed public key (ed25519) and the MD5 fingerprint ssh-keygen gives.
PUBLIC = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJWg3y1yaVIckXfTAMm+TZtHb'
          'qVki93Fo6a7+KmWmn50 alice@laptop')
PUBLIC_MD5 = '39:14:7e:54:6f:85:04:37:fb:43:4f:03:c3:30:bb:a3'


def _md5(public_key: str) -> str:
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ':'.join(digest[i:i + 2] for i in range(0, 32, 2))


def _create(compute, name, version='2.53', token=ALICE, status=201,
            **extra):
    resp = compute.post(K, json={'keypair': dict(name=name, **extra)},
                        version=version, token=token)
    assert resp.status_int == status, resp.text
    return resp.json.get('keypair') if status < 300 else resp.json


def test_generate_ssh_answers_the_private_key_once(compute):
    kp = _create(compute, 'gen')
    assert set(kp) == {'name', 'public_key', 'fingerprint', 'user_id',
                       'private_key', 'type'}
    assert (kp['name'], kp['user_id'], kp['type']) == ('gen', 'alice', 'ssh')
    assert kp['public_key'].startswith('ssh-rsa ')
    assert kp['public_key'].endswith(' Generated-by-Nova')
    assert kp['fingerprint'] == _md5(kp['public_key'])
    private = serialization.load_pem_private_key(
        kp['private_key'].encode(), password=None)
    derived = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert kp['public_key'].split()[:2] == derived.decode().split()
    shown = compute.get(K + '/gen', version='2.53', token=ALICE).json
    assert 'private_key' not in shown['keypair']
    assert shown['keypair']['public_key'] == kp['public_key']


def test_import_ssh_key(compute):
    kp = _create(compute, 'laptop', public_key=PUBLIC)
    assert kp == {'name': 'laptop', 'public_key': PUBLIC, 'type': 'ssh',
                  'fingerprint': PUBLIC_MD5, 'user_id': 'alice'}


def test_x509_generated_and_imported(compute):
    kp = _create(compute, 'winrm', type='x509')
    cert = x509.load_pem_x509_certificate(kp['public_key'].encode())
    assert cert.subject.rfc4514_string() == 'CN=alice'
    assert kp['fingerprint'] == ':'.join(
        '%02x' % b for b in cert.fingerprint(hashes.SHA1()))
    assert kp['private_key'].startswith('-----BEGIN PRIVATE KEY-----')
    again = _create(compute, 'winrm2', type='x509',
                    public_key=kp['public_key'])
    assert again['fingerprint'] == kp['fingerprint']
    assert 'private_key' not in again
    resp = compute.post(K, version='2.53', token=ALICE, json={'keypair': {
        'name': 'bad', 'type': 'x509', 'public_key': PUBLIC}})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'].startswith(
        'Keypair data is invalid: failed to generate X509 fingerprint.')


def test_show_view(compute):
    _create(compute, 'k', public_key=PUBLIC)
    kp = compute.get(K + '/k', version='2.53', token=ALICE).json['keypair']
    assert set(kp) == {'name', 'public_key', 'fingerprint', 'type', 'id',
                       'user_id', 'deleted', 'deleted_at', 'created_at',
                       'updated_at'}
    assert (kp['user_id'], kp['deleted'], kp['deleted_at'],
            kp['updated_at']) == ('alice', False, None, None)
    assert isinstance(kp['id'], int)
    assert len(kp['created_at']) == 26  # 2017-01-01T00:00:00.000000


def test_version_2_1_has_no_type_and_old_status_codes(compute):
    kp = _create(compute, 'old', version='2.1', status=200,
                 public_key=PUBLIC)
    assert 'type' not in kp
    listed = compute.get(K, version='2.1', token=ALICE).json
    assert listed == {'keypairs': [{'keypair': {
        'name': 'old', 'public_key': PUBLIC, 'fingerprint': _md5(PUBLIC)}}]}
    assert 'type' not in compute.get(K + '/old', version='2.1',
                                     token=ALICE).json['keypair']
    # type is 2.2's: a 400 before it.
    resp = compute.post(K, version='2.1', token=ALICE, json={
        'keypair': {'name': 'x', 'type': 'ssh'}})
    assert resp.status_int == 400
    resp = compute.delete(K + '/old', version='2.1', token=ALICE)
    assert resp.status_int == 202
    _create(compute, 'new', version='2.2', public_key=PUBLIC)
    assert compute.get(K, version='2.2', token=ALICE).json['keypairs'][0][
        'keypair']['type'] == 'ssh'
    assert compute.delete(K + '/new', version='2.2',
                          token=ALICE).status_int == 204


def test_key_pairs_are_per_user(compute):
    _create(compute, 'mine', public_key=PUBLIC)
    assert compute.get(K, token=BOB).json == {'keypairs': []}
    resp = compute.get(K + '/mine', version='2.53', token=BOB)
    assert resp.status_int == 404
    assert resp.json == {'itemNotFound': {
        'code': 404, 'message': 'Keypair mine not found for user bob'}}
    # Bob may use the same name for his own.
    _create(compute, 'mine', token=BOB, public_key=PUBLIC)
    assert compute.delete(K + '/mine', version='2.2',
                          token=BOB).status_int == 204
    assert compute.get(K + '/mine', token=ALICE).status_int == 200


def test_admin_reaches_other_users_key_pairs_from_2_10(compute):
    kp = _create(compute, 'forbob', token='admin', user_id='bob',
                 public_key=PUBLIC)
    assert kp['user_id'] == 'bob'
    assert compute.get(K + '/forbob', token=BOB).status_int == 200
    names = compute.get(K + '?user_id=bob', version='2.10').json['keypairs']
    assert [k['keypair']['name'] for k in names] == ['forbob']
    # Before 2.10 user_id is ignored in the query, refused in the body.
    assert compute.get(K + '?user_id=bob', version='2.9').json == {
        'keypairs': []}
    assert compute.get(K + '/forbob?user_id=bob',
                       version='2.9').status_int == 404
    resp = compute.post(K, version='2.9', json={'keypair': {
        'name': 'x', 'user_id': 'bob'}})
    assert resp.status_int == 400
    assert compute.get(K + '/forbob?user_id=bob',
                       version='2.10').status_int == 200
    assert compute.delete(K + '/forbob?user_id=bob',
                          version='2.10').status_int == 204
    assert compute.get(K + '/forbob', token=BOB).status_int == 404


@pytest.mark.parametrize('method,path,body', [
    ('get', K + '?user_id=alice', None),
    ('get', K + '/k?user_id=alice', None),
    ('delete', K + '/k?user_id=alice', None),
    ('post', K, {'keypair': {'name': 'x', 'user_id': 'alice'}}),
])
def test_other_users_key_pairs_are_403_to_non_admins(compute, method, path,
                                                     body):
    _create(compute, 'k', public_key=PUBLIC)
    kw = {'json': body} if body else {}
    resp = getattr(compute, method)(path, version='2.10', token=BOB, **kw)
    assert resp.status_int == 403
    assert resp.json['forbidden']['message'] == (
        'Policy doesn\'t allow os_compute_api:os-keypairs:%s to be '
        'performed.' % {'get': 'show' if '/k' in path else 'index',
                        'delete': 'delete', 'post': 'create'}[method])
    assert compute.get(K + '/k', token=ALICE).status_int == 200


def test_duplicate_name_is_409(compute):
    _create(compute, 'dup', public_key=PUBLIC)
    resp = compute.post(K, version='2.53', token=ALICE,
                        json={'keypair': {'name': 'dup'}})
    assert resp.status_int == 409
    assert resp.json == {'conflictingRequest': {
        'code': 409, 'message': "Key pair 'dup' already exists."}}


@pytest.mark.parametrize('keypair,message', [
    ({}, "'name' is a required property"),
    ({'name': ''}, 'Invalid input for field/attribute name.'),
    ({'name': 'x' * 256}, 'Invalid input for field/attribute name.'),
    ({'name': ' lead'}, 'Invalid input for field/attribute name.'),
    ({'name': 'a/b'}, 'Keypair data is invalid: Keypair name contains '
     'unsafe characters'),
    ({'name': 'dot.ted'}, 'Keypair data is invalid: Keypair name contains '
     'unsafe characters'),
    ({'name': 'k', 'public_key': 'ssh-rsa notakey'},
     'Keypair data is invalid: failed to generate fingerprint'),
    ({'name': 'k', 'public_key': ''},
     'Keypair data is invalid: failed to generate fingerprint'),
    ({'name': 'k', 'public_key': '-----BEGIN RSA PRIVATE KEY-----\nMIIE'},
     'Keypair data is invalid: failed to generate fingerprint'),
    ({'name': 'k', 'public_key': 'ssh-foo AAAAB3NzaC1yc2E='},
     'Keypair data is invalid: failed to generate fingerprint'),
    ({'name': 'k', 'type': 'rsa'}, 'Invalid input for field/attribute type.'),
    ({'name': 'k', 'colour': 'red'}, 'Additional properties are not '
     'allowed'),
])
def test_bad_create_is_400(compute, keypair, message):
    resp = compute.post(K, version='2.53', token=ALICE,
                        json={'keypair': keypair})
    assert resp.status_int == 400, resp.text
    assert message in resp.json['badRequest']['message']
    assert compute.get(K, token=ALICE).json == {'keypairs': []}


def test_missing_body_is_400(compute):
    resp = compute.post(K, version='2.53', token=ALICE, json={})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == (
        "'keypair' is a required property")


def test_delete_unknown_is_404(compute):
    resp = compute.delete(K + '/nope', token=ALICE)
    assert resp.status_int == 404
    assert resp.json['itemNotFound']['message'] == (
        'Keypair nope not found for user alice')


def test_quota_is_per_user(compute, api_conf):
    api_conf.set_override('key_pairs', 2, group='quota')
    _create(compute, 'a', public_key=PUBLIC)
    _create(compute, 'b', public_key=PUBLIC)
    resp = compute.post(K, version='2.53', token=ALICE,
                        json={'keypair': {'name': 'c'}})
    assert resp.status_int == 403
    assert resp.json == {'forbidden': {
        'code': 403, 'message': 'Quota exceeded, too many key pairs.'}}
    # Bob, in the same project, has his own count.
    _create(compute, 'c', token=BOB, public_key=PUBLIC)
    # A user quota set for Alice (within the project's) raises her limit.
    resp = compute.put('/v2.1/os-quota-sets/p1', json={
        'quota_set': {'key_pairs': 5}})
    assert resp.status_int == 200, resp.text
    resp = compute.put('/v2.1/os-quota-sets/p1?user_id=alice', json={
        'quota_set': {'key_pairs': 3}})
    assert resp.status_int == 200, resp.text
    _create(compute, 'c', public_key=PUBLIC)
    _create(compute, 'd', status=403, public_key=PUBLIC)
    compute.delete(K + '/a', token=ALICE)
    _create(compute, 'd', public_key=PUBLIC)


def test_quota_recheck_removes_the_loser(compute, api_conf, monkeypatch):
    """A create that passed the first count while another took the last
    place is undone when its recheck finds the user over."""
    from nova.compute import keypairs
    api_conf.set_override('key_pairs', 1, group='quota')
    real = keypairs._check_quota
    calls = []

    def racing(ctx, user_id, delta):
        calls.append(delta)
        if delta == 1 and len(calls) == 1:
            # Between our count and our insert, another request wins.
            _create(compute, 'winner', public_key=PUBLIC)
            return
        real(ctx, user_id, delta)

    monkeypatch.setattr(keypairs, '_check_quota', racing)
    resp = compute.post(K, version='2.53', token=ALICE,
                        json={'keypair': {'name': 'loser',
                                          'public_key': PUBLIC}})
    assert resp.status_int == 403
    names = [k['keypair']['name']
             for k in compute.get(K, token=ALICE).json['keypairs']]
    assert names == ['winner']


def test_paging_from_2_35(compute, api_conf):
    for name in ('k1', 'k2', 'k3', 'k4', 'k5'):
        _create(compute, name, public_key=PUBLIC)

    def names(query, version='2.35'):
        body = compute.get(K + query, version=version, token=ALICE).json
        return [k['keypair']['name'] for k in body['keypairs']], body

    page, body = names('?limit=2')
    assert page == ['k1', 'k2']
    assert body['keypairs_links'] == [{
        'rel': 'next',
        'href': 'http://localhost/v2.1/os-keypairs?limit=2&marker=k2'}]
    page, body = names('?limit=2&marker=k4')
    assert page == ['k5'] and 'keypairs_links' not in body
    # Before 2.35 limit and marker mean nothing.
    page, body = names('?limit=2&marker=k4', version='2.34')
    assert len(page) == 5 and 'keypairs_links' not in body
    api_conf.set_override('max_limit', 3, group='api')
    page, body = names('')
    assert page == ['k1', 'k2', 'k3'] and 'keypairs_links' in body
    for query, message in [('?marker=nope', 'Marker nope could not be '
                            'found.'),
                           ('?limit=x', 'limit param must be an integer'),
                           ('?limit=-1', 'limit param must be positive')]:
        resp = compute.get(K + query, version='2.35', token=ALICE)
        assert resp.status_int == 400
        assert resp.json['badRequest']['message'] == message


def test_server_create_with_key_name(compute, api, api_conf):
    """key_name must name one of the caller's key pairs; the server keeps
    its name and public key."""
    from nova.db.api import tables
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    compute.post('/v2.1/flavors', json=flavor_body('m1.tiny', '1'))
    _create(compute, 'boot', public_key=PUBLIC)
    server = {'name': 'vm', 'flavorRef': '1', 'networks': 'none',
              'imageRef': '155d900f-4e14-4e4c-a73d-069cbf4541e6'}
    resp = compute.post('/v2.1/servers', version='2.37', token=BOB,
                        json={'server': dict(server, key_name='boot')})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == 'Invalid key_name provided.'
    resp = compute.post('/v2.1/servers', version='2.37', token=ALICE,
                        json={'server': dict(server, key_name='boot')})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    shown = compute.get('/v2.1/servers/' + uuid, token=ALICE).json['server']
    assert shown['key_name'] == 'boot'
    with api.connect() as conn:
        (instance,) = conn.execute(sa.select(
            tables.build_requests.c.instance)).scalars()
    assert PUBLIC in instance
    rpc.cleanup()
