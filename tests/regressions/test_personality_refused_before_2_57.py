"""Creating a server with personality files was a 400 at every version.

Symptom: POST /servers with "personality": [{"path", "contents"}] (as
clients did before 2.57) answered 400 "Additional properties are not
allowed ('personality' was unexpected)", where upstream accepts the
files until 2.57, holding them to the injected_file* quotas.

Cause: the create schema never listed personality.

Fix: 5d0c9d5 ("microversions 2.54, 2.57, 2.63: ..."): the create (and
rebuild) schemas take personality until 2.57, checked against the
injected_files, injected_file_path_bytes and injected_file_content_bytes
limits (403 over them).
"""

import base64

from tests.functional.nova.api.conftest import flavor_body


def test_personality_is_accepted_before_2_57(compute, api_conf):
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    try:
        resp = compute.post('/v2.1/flavors', json=flavor_body('m1', '1'))
        assert resp.status_int == 200, resp.text
        server = {'name': 'vm', 'flavorRef': '1', 'networks': 'none',
                  'imageRef': '155d900f-4e14-4e4c-a73d-069cbf4541e6',
                  'personality': [{'path': '/etc/motd', 'contents':
                                   base64.b64encode(b'hi').decode()}]}
        resp = compute.post('/v2.1/servers', json={'server': server},
                            version='2.56')
        assert resp.status_int == 202, resp.text
        resp = compute.post('/v2.1/servers', json={'server': server},
                            version='2.57')
        assert resp.status_int == 400, resp.text
    finally:
        rpc.cleanup()
        api_conf.clear_override('transport_url')
