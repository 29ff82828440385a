"""DELETE /flavors/{id}/os-extra_specs/{key} answered 202.

Symptom: deleting a flavor extra spec answered 202 Accepted; upstream
answers 200 OK (with an empty body), and clients that check the status
(tempest's flavor extra specs client) failed.

Cause: the handler returned 202, as flavor delete does.

Fix: 4daac6e ("API differences from upstream: ..."): delete_extra_spec
answers 200.
"""

from tests.functional.nova.api.conftest import flavor_body


def test_extra_spec_delete_is_200(compute):
    assert compute.post('/v2.1/flavors', json=flavor_body(
        'f', '1')).status_int == 200
    specs = '/v2.1/flavors/1/os-extra_specs'
    compute.post(specs, json={'extra_specs': {'hw:cpu_policy': 'shared'}})
    resp = compute.delete(specs + '/hw:cpu_policy')
    assert resp.status_int == 200, resp.text
    assert resp.body == b''
    assert compute.get(specs + '/hw:cpu_policy').status_int == 404
