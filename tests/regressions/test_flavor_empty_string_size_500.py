"""POST /flavors with "ram": "", "vcpus": "" or "disk": "" answered 500.

Symptom: the OpenAPI fuzzer (tests/functional/nova/api/test_openapi_fuzz.py)
got a 500 from flavor create for empty-string sizes.

Cause: schemas.integer() accepted a string matching '^[0-9]*$', which ""
matches; "minimum" skips strings that are no number, so "" passed
validation and reached int('') in the handler.

Fix: 2e14937 ("Compute API surface: ..."): schemas.integer() requires
minLength 1, as upstream, so "" is a 400 naming the field.
"""

from tests.functional.nova.api.conftest import flavor_body


def test_empty_string_sizes_are_400_not_500(compute):
    resp = compute.post('/v2.1/flavors', json=flavor_body(
        'f', ram='', vcpus='', disk=''))
    assert resp.status_int == 400, resp.text
    message = resp.json['badRequest']['message']
    assert message.startswith('Invalid input for field/attribute '), message
    assert 'Value: . ' in message
    # A string of digits is still accepted.
    resp = compute.post('/v2.1/flavors', json=flavor_body('f', disk='0'))
    assert resp.status_int == 200, resp.text
