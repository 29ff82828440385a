"""An unknown server action answered 404.

Symptom: POST /servers/{id}/action {"fly": null} answered 404; upstream
answers 400 "There is no such action: fly" (before looking the server
up).

Cause: the action dispatcher raised not_found for a body naming no
known action.

Fix: 4daac6e ("API differences from upstream: ..."): it raises
bad_request.
"""

import uuid as uuidlib


def test_unknown_action_is_400(compute):
    for server in (str(uuidlib.uuid4()), 'nope'):
        resp = compute.post('/v2.1/servers/%s/action' % server,
                            json={'fly': None})
        assert resp.status_int == 400, resp.text
        assert resp.json == {'badRequest': {
            'code': 400, 'message': 'There is no such action: fly'}}
    # A known action on a missing server is still the lookup's 404.
    resp = compute.post('/v2.1/servers/%s/action' % uuidlib.uuid4(),
                        json={'os-stop': None})
    assert resp.status_int == 404, resp.text
