"""Reproducers of the errors the OpenAPI fuzzing and the policy matrix
found (test_openapi_fuzz.py, test_policy_matrix.py), one per bug."""

import uuid as uuidlib

from tests.functional.nova.api.conftest import flavor_body


def test_empty_string_sizes_are_400_not_500(compute):
    # "" matched the digits-only pattern and reached int(): a 500.
    resp = compute.post('/v2.1/flavors', json=flavor_body(
        'f', ram='', vcpus='', disk=''))
    assert resp.status_int == 400, resp.text
    message = resp.json['badRequest']['message']
    assert message.startswith('Invalid input for field/attribute '), message
    assert 'Value: . ' in message
    resp = compute.post('/v2.1/flavors', json=flavor_body('f', disk='0'))
    assert resp.status_int == 200, resp.text


def test_migrate_is_refused_before_the_server_is_looked_up(compute):
    # A non-admin got 404 (the lookup came first); upstream's admin-only
    # rule answers 403 whatever the server.
    resp = compute.post('/v2.1/servers/%s/action' % uuidlib.uuid4(),
                        json={'migrate': None}, token='bob:p2')
    assert resp.status_int == 403, resp.text
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-migrate-server:migrate to "
        "be performed.")
    resp = compute.post('/v2.1/servers/%s/action' % uuidlib.uuid4(),
                        json={'migrate': None})
    assert resp.status_int == 404, resp.text
