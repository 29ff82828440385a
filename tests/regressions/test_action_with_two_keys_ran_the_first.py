"""A server action body with several keys ran one of them.

Symptom: POST /servers/{id}/action {"os-stop": null, "os-start": null}
stopped the server (the first known key won), and {} was refused with a
schema message; upstream answers both with 400 "Malformed request body:
too many body keys" and does nothing.

Cause: the dispatcher took the first key it knew and ignored the rest.

Fix: the commit that adds this file: the body must hold exactly one key.
"""

import uuid as uuidlib


def test_an_action_body_holds_exactly_one_key(compute):
    path = '/v2.1/servers/%s/action' % uuidlib.uuid4()
    for body in ({'os-stop': None, 'os-start': None}, {},
                 {'os-stop': None, 'fly': None}):
        resp = compute.post(path, json=body)
        assert resp.status_int == 400, (body, resp.text)
        assert resp.json == {'badRequest': {
            'code': 400,
            'message': 'Malformed request body: too many body keys'}}
