"""What create and rebuild take by microversion, with no service running
(rebuilds cast to no one): the rebuild's key_name (2.54) and user_data
(2.57), personality files until 2.57 (held to their quotas), and
trusted image certificates (2.63) on both, shown in server bodies."""

import base64
import datetime
import uuid as uuidlib

import pytest

from nova.compute import states
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.db.main import tables
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from tests.functional.nova.api.conftest import flavor_body

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ALICE = 'alice:p1'
TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)
FILE = {'path': '/etc/motd',
        'contents': base64.b64encode(b'hello').decode()}
USER_DATA = base64.b64encode(b'#!/bin/sh\necho hi\n').decode()


@pytest.fixture
def compute(api_conf):
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    client = direct.ComputeDirect(api_conf, token=ALICE, version='2.53')
    resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    resp = client.post('/v2.1/os-keypairs', json={'keypair': {
        'name': 'k1'}})
    assert resp.status_int == 201
    client.public_key = resp.json['keypair']['public_key']
    yield client
    rpc.cleanup()


@pytest.fixture
def server(compute, two_cells):
    """An active server of alice's in cell1, with key pair k0."""
    return _put(two_cells['cell1'])


def _put(cell, **values):
    uuid = str(uuidlib.uuid4())
    with engines.cell_writer(cell) as conn:
        instances.create(conn, Instance(
            uuid=uuid, project_id='p1', user_id='alice', flavor=TINY,
            display_name='vm', image_ref=values.pop('image_ref', CIRROS),
            vm_state=states.ACTIVE, host='h1', node='n1', key_name='k0',
            key_data='ssh-rsa old', user_data=USER_DATA,
            created_at=datetime.datetime(2018, 1, 1), **values))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, uuid, 'p1', cell_id=cell.id,
                                 user_id='alice')
    return uuid


def _rebuild(compute, uuid, version, status=202, token=ALICE, **args):
    resp = compute.post(S + '/%s/action' % uuid, version=version,
                        token=token,
                        json={'rebuild': dict(imageRef=CIRROS, **args)})
    assert resp.status_int == status, resp.text
    return resp


def _stored(cell, uuid):
    with engines.cell_reader(cell) as conn:
        return instances.get(conn, uuid)


def _ready(compute, uuid):
    """Back to active, as the compute would leave it after a rebuild."""
    from nova.db import engines as e
    from nova import cells
    from nova import context
    ctx = context.get_admin_context()
    for cell in cells.load_cells(ctx):
        if cell.is_cell0:
            continue
        with e.cell_writer(cell) as conn:
            conn.execute(tables.instances.update().where(
                tables.instances.c.uuid == uuid).values(task_state=None))


# -- 2.54: key_name


def test_rebuild_sets_and_unsets_the_key_pair(compute, server, two_cells):
    cell1 = two_cells['cell1']
    resp = _rebuild(compute, server, '2.54', key_name='k1')
    assert resp.json['server']['key_name'] == 'k1'
    stored = _stored(cell1, server)
    assert (stored.key_name, stored.key_data) == ('k1', compute.public_key)
    _ready(compute, server)
    resp = _rebuild(compute, server, '2.54', key_name=None)
    assert resp.json['server']['key_name'] is None
    stored = _stored(cell1, server)
    assert (stored.key_name, stored.key_data) == (None, None)
    _ready(compute, server)
    # Left out: the key pair stays.
    _rebuild(compute, server, '2.54', key_name='k1')
    _ready(compute, server)
    assert _rebuild(compute, server, '2.54').json['server'][
        'key_name'] == 'k1'


def test_rebuild_unknown_key_pair_is_400(compute, server, two_cells):
    resp = _rebuild(compute, server, '2.54', 400, key_name='nope')
    assert resp.json == {'badRequest': {
        'code': 400, 'message': 'Invalid key_name provided.'}}
    # Another user's key pair is unknown too.
    resp = compute.post('/v2.1/os-keypairs', token='bob:p1', json={
        'keypair': {'name': 'bobs'}})
    assert resp.status_int == 201
    _rebuild(compute, server, '2.54', 400, key_name='bobs')
    assert _stored(two_cells['cell1'], server).key_name == 'k0'


@pytest.mark.parametrize('key_name', ['', ' padded', 'x' * 256, 5])
def test_rebuild_bad_key_name_is_400(compute, server, key_name):
    _rebuild(compute, server, '2.54', 400, key_name=key_name)


def test_rebuild_key_name_before_2_54_is_400(compute, server):
    resp = _rebuild(compute, server, '2.53', 400, key_name='k1')
    assert "'key_name' was unexpected" in resp.json['badRequest']['message']


# -- 2.57: user_data, no personality


def test_rebuild_sets_and_unsets_user_data(compute, server, two_cells):
    new = base64.b64encode(b'new').decode()
    resp = _rebuild(compute, server, '2.57', token='admin', user_data=new)
    assert resp.json['server']['OS-EXT-SRV-ATTR:user_data'] == new
    assert _stored(two_cells['cell1'], server).user_data == new
    _ready(compute, server)
    _rebuild(compute, server, '2.57', user_data=None)
    assert _stored(two_cells['cell1'], server).user_data is None


@pytest.mark.parametrize('version, args', [
    ('2.56', {'user_data': USER_DATA}),
    ('2.57', {'user_data': 'not base64!'}),
    ('2.57', {'user_data': 5}),
    ('2.57', {'personality': [FILE]}),
])
def test_rebuild_bad_user_data_or_personality_is_400(compute, server,
                                                      version, args):
    _rebuild(compute, server, version, 400, **args)


def test_rebuild_personality_until_2_57(compute, server, api_conf):
    _rebuild(compute, server, '2.56', personality=[FILE])
    _ready(compute, server)
    _rebuild(compute, server, '2.56', 400,
             personality=[{'path': '/x', 'contents': 'not base64!'}])
    api_conf.set_override('injected_files', 1, group='quota')
    resp = _rebuild(compute, server, '2.56', 403,
                    personality=[FILE, dict(FILE, path='/etc/issue')])
    assert resp.json == {'forbidden': {
        'code': 403, 'message': 'Personality file limit exceeded'}}


def _boot(compute, version, status=202, **extra):
    server = {'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
              'networks': 'none'}
    server.update(extra)
    resp = compute.post(S, json={'server': server}, version=version)
    assert resp.status_int == status, resp.text
    return resp


def test_create_personality_until_2_57(compute, api_conf):
    _boot(compute, '2.56', personality=[FILE])
    resp = _boot(compute, '2.57', 400, personality=[FILE])
    assert "'personality' was unexpected" in resp.json['badRequest'][
        'message']


@pytest.mark.parametrize('option, value, files, message', [
    ('injected_files', 1, [FILE, FILE], 'Personality file limit exceeded'),
    ('injected_file_path_length', 5, [FILE],
     'Personality file path exceeds maximum 5'),
    ('injected_file_content_bytes', 4, [FILE],
     'Personality file content exceeds maximum 4'),
])
def test_create_personality_quotas_are_403(compute, api_conf, option, value,
                                           files, message):
    api_conf.set_override(option, value, group='quota')
    resp = _boot(compute, '2.56', 403, personality=files)
    assert resp.json == {'forbidden': {'code': 403, 'message': message}}


# -- 2.63: trusted image certificates


def test_create_with_trusted_certs(compute):
    uuid = _boot(compute, '2.63', trusted_image_certificates=[
        'cert-a', 'cert-b']).json['server']['id']
    shown = compute.get(S + '/' + uuid, version='2.63').json['server']
    assert shown['trusted_image_certificates'] == ['cert-a', 'cert-b']
    assert 'trusted_image_certificates' not in compute.get(
        S + '/' + uuid, version='2.62').json['server']
    (listed,) = compute.get(S + '/detail', version='2.63').json['servers']
    assert listed['trusted_image_certificates'] == ['cert-a', 'cert-b']
    uuid = _boot(compute, '2.63').json['server']['id']
    assert compute.get(S + '/' + uuid, version='2.63').json['server'][
        'trusted_image_certificates'] is None


def test_create_takes_the_configured_default_certs(compute, api_conf):
    api_conf.set_override('verify_glance_signatures', True, 'glance')
    api_conf.set_override('enable_certificate_validation', True, 'glance')
    api_conf.set_override('default_trusted_certificate_ids', ['d1'],
                          'glance')
    try:
        uuid = _boot(compute, '2.63').json['server']['id']
        assert compute.get(S + '/' + uuid, version='2.63').json['server'][
            'trusted_image_certificates'] == ['d1']
    finally:
        for name in ('verify_glance_signatures',
                     'enable_certificate_validation',
                     'default_trusted_certificate_ids'):
            api_conf.clear_override(name, 'glance')


@pytest.mark.parametrize('version, certs', [
    ('2.62', ['a']),
    ('2.63', []),
    ('2.63', ['a', 'a']),
    ('2.63', ['']),
    ('2.63', 'a'),
    ('2.63', [1]),
    ('2.63', ['c%d' % i for i in range(51)]),
])
def test_create_bad_trusted_certs_is_400(compute, version, certs):
    _boot(compute, version, 400, trusted_image_certificates=certs)


def test_create_volume_backed_with_trusted_certs_is_400(compute):
    resp = _boot(compute, '2.63', 400, imageRef='',
                 trusted_image_certificates=['a'],
                 block_device_mapping_v2=[{
                     'source_type': 'image', 'uuid': CIRROS,
                     'destination_type': 'volume', 'volume_size': 1,
                     'boot_index': 0}])
    assert resp.json['badRequest']['message'] == (
        'Image certificate validation is not supported when booting from '
        'volume')


def test_rebuild_sets_and_resets_trusted_certs(compute, server, two_cells,
                                               api_conf):
    resp = _rebuild(compute, server, '2.63',
                    trusted_image_certificates=['a', 'b'])
    assert resp.json['server']['trusted_image_certificates'] == ['a', 'b']
    assert _stored(two_cells['cell1'], server).trusted_certs == ['a', 'b']
    _ready(compute, server)
    # Left out: unchanged.
    assert _rebuild(compute, server, '2.63').json['server'][
        'trusted_image_certificates'] == ['a', 'b']
    _ready(compute, server)
    resp = _rebuild(compute, server, '2.63',
                    trusted_image_certificates=None)
    assert resp.json['server']['trusted_image_certificates'] is None
    _ready(compute, server)
    _rebuild(compute, server, '2.62', 400,
             trusted_image_certificates=['a'])


def test_rebuild_volume_backed_with_trusted_certs_is_400(compute,
                                                         two_cells):
    cell1 = two_cells['cell1']
    uuid = _put(cell1, image_ref='')
    with engines.cell_writer(cell1) as conn:
        conn.execute(tables.block_device_mapping.insert().values(
            instance_uuid=uuid, source_type='volume',
            destination_type='volume', boot_index=0,
            volume_id=str(uuidlib.uuid4()), deleted=0))
    resp = _rebuild(compute, uuid, '2.63', 400,
                    trusted_image_certificates=['a'])
    assert resp.json['badRequest']['message'] == (
        'Image certificate validation is not supported for volume-backed '
        'servers.')
