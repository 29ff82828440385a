"""OS-DCF:diskConfig was always MANUAL.

Symptom: a server created with "OS-DCF:diskConfig": "AUTO" was answered
AUTO by create but shown MANUAL ever after, and update and rebuild
ignored the attribute; upstream keeps it (instance auto_disk_config),
shows it, and refuses AUTO (400) for an image whose auto_disk_config
property is "disabled"; unset, the image's property decides.

Cause: create echoed the request and the views wrote MANUAL; nothing
stored the choice.

Fix: 1bc121c ("servers: OS-DCF:diskConfig kept ..."):
Instance.auto_disk_config (1.2, the instances column upstream has), set
by create (compute.create. auto_disk_config), update and rebuild, shown
by every view.
"""

import json

from tests.functional.nova.api import test_servers
from tests.functional.nova.api.test_servers import compute  # noqa: F401
from tests.functional.nova.api import test_servers_cloud

S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
NO_AUTO = '6e1b0a3c-8c5d-4c1e-9d55-0c8f5a2b7d11'
AUTO = '0b8c2f4e-3d6a-4a57-8f0e-2c9d7e6b5a40'


def _disk_config(resp):
    return resp.json['server']['OS-DCF:diskConfig']


def test_disk_config_is_kept_and_shown(compute):  # noqa: F811
    uuid = test_servers._boot(compute, **{'OS-DCF:diskConfig': 'AUTO'}).json[
        'server']['id']
    assert _disk_config(compute.get(S + '/' + uuid)) == 'AUTO'
    resp = compute.put(S + '/' + uuid, json={'server': {
        'OS-DCF:diskConfig': 'MANUAL'}})
    assert resp.status_int == 200, resp.text
    assert _disk_config(resp) == 'MANUAL'
    assert _disk_config(compute.get(S + '/' + uuid)) == 'MANUAL'
    plain = test_servers._boot(compute)
    assert _disk_config(plain) == 'MANUAL'


def test_image_property_decides_and_can_refuse(compute, api_conf,  # noqa
                                               tmp_path):
    from nova.image import _SHIPPED
    images = json.loads((_SHIPPED / 'images.json').read_text())
    base = images[0]
    images += [dict(base, id=NO_AUTO, name='no-auto',
                    properties={'auto_disk_config': 'disabled'}),
               dict(base, id=AUTO, name='auto',
                    properties={'auto_disk_config': 'true'})]
    catalog = tmp_path / 'images.json'
    catalog.write_text(json.dumps(images))
    api_conf.set_override('local_catalog', str(catalog), group='glance')
    try:
        resp = test_servers._boot(compute, imageRef=NO_AUTO, status=400,
                                  **{'OS-DCF:diskConfig': 'AUTO'})
        assert resp.json['badRequest']['message'] == (
            'Requested image %s has automatic disk resize disabled.'
            % NO_AUTO)
        assert _disk_config(test_servers._boot(
            compute, imageRef=NO_AUTO)) == 'MANUAL'
        assert _disk_config(test_servers._boot(
            compute, imageRef=AUTO)) == 'AUTO'
        assert _disk_config(test_servers._boot(
            compute, imageRef=AUTO, **{'OS-DCF:diskConfig': 'MANUAL'})) \
            == 'MANUAL'
    finally:
        api_conf.clear_override('local_catalog', group='glance')


def test_rebuild_sets_disk_config(cloud_api):
    cloud, client = cloud_api
    uuid = test_servers_cloud._boot(client)
    test_servers_cloud._wait(client, uuid, 'ACTIVE')
    resp = client.post(S + '/%s/action' % uuid, json={'rebuild': {
        'imageRef': CIRROS, 'OS-DCF:diskConfig': 'AUTO'}})
    assert resp.status_int == 202, resp.text
    assert _disk_config(resp) == 'AUTO'
    server = test_servers_cloud._wait(client, uuid, 'ACTIVE')
    assert server['OS-DCF:diskConfig'] == 'AUTO'
