"""Request body validation (nova.api.validation): what the schemas accept,
what they refuse, and the 400 message naming the bad field."""

import pytest
import webob

from nova.api import fault
from nova.api import middleware
from nova.api import schemas
from nova.api.schemas import flavors
from nova.api import validation

SIZE = {'type': 'object',
        'properties': {'size': schemas.integer(1, 100),
                       'name': schemas.NAME,
                       'on': schemas.BOOLEAN,
                       'data': {'type': 'string', 'format': 'base64'}},
        'additionalProperties': False}


def _flavor(**values):
    body = {'name': 'small', 'ram': 512, 'vcpus': 1, 'disk': 0}
    body.update(values)
    return {'flavor': body}


def _refused(data, schema=SIZE, legacy_v2=False):
    with pytest.raises(fault.HTTPError) as caught:
        validation.validate(data, schema, legacy_v2)
    assert caught.value.status == 400
    return caught.value.message


@pytest.mark.parametrize('data', [
    {}, {'size': 1}, {'size': 100}, {'size': '1'}, {'size': '100'},
    {'name': 'a b'}, {'name': 'x' * 255}, {'on': True}, {'on': 'off'},
    {'on': 'YES'}, {'data': 'aGVsbG8='}, {'data': ''},
])
def test_accepted(data):
    assert validation.validate(data, SIZE) is None


def test_below_minimum():
    assert _refused({'size': 0}) == (
        'Invalid input for field/attribute size. Value: 0. 0 is less than '
        'the minimum of 1')


def test_numeric_strings_are_bounded_too():
    assert _refused({'size': '0'}) == (
        'Invalid input for field/attribute size. Value: 0. 0 is less than '
        'the minimum of 1')
    assert _refused({'size': '101'}) == (
        'Invalid input for field/attribute size. Value: 101. 101 is '
        'greater than the maximum of 100')


def test_wrong_type():
    assert _refused({'size': 1.5}) == (
        "Invalid input for field/attribute size. Value: 1.5. 1.5 is not of "
        "type 'integer', 'string'")


def test_not_digits():
    assert _refused({'size': '1a'}) == (
        "Invalid input for field/attribute size. Value: 1a. '1a' does not "
        "match '^[0-9]*$'")
    assert _refused({'size': '-1'}) == (
        "Invalid input for field/attribute size. Value: -1. '-1' does not "
        "match '^[0-9]*$'")


def test_empty_string_is_no_number():
    assert _refused({'size': ''}) == (
        "Invalid input for field/attribute size. Value: . '' should be "
        "non-empty")


@pytest.mark.parametrize('name', [' lead', 'trail ', 'tab\there', ''])
def test_bad_names(name):
    message = _refused({'name': name})
    assert message.startswith(
        'Invalid input for field/attribute name. Value: %s. ' % name)


def test_name_format_message():
    assert _refused({'name': ' x'}) == (
        "Invalid input for field/attribute name. Value:  x. ' x' is not a "
        "'name'")


def test_name_too_long():
    assert _refused({'name': 'x' * 256}).endswith(' is too long')


def test_boolean_spellings_only():
    assert _refused({'on': 'nope'}).startswith(
        'Invalid input for field/attribute on. Value: nope. ')


def test_base64_format():
    assert _refused({'data': 'not base64!'}) == (
        "Invalid input for field/attribute data. Value: not base64!. "
        "'not base64!' is not a 'base64'")


def test_unknown_key_is_refused_but_ignored_on_v2():
    assert _refused({'size': 1, 'colour': 'red'}) == (
        "Additional properties are not allowed ('colour' was unexpected)")
    assert validation.validate({'size': 1, 'colour': 'red'}, SIZE,
                               legacy_v2=True) is None
    # The legacy relaxation is of unknown keys only.
    assert _refused({'size': 0, 'colour': 'red'}, legacy_v2=True).startswith(
        'Invalid input for field/attribute size. Value: 0. ')


def test_flavor_create_accepts_upstream_bodies():
    validation.validate(_flavor(), flavors.create)
    validation.validate(_flavor(ram='1024', vcpus='2', disk='10',
                                id='f1', swap=0, rxtx_factor=1.5,
                                **{'os-flavor-access:is_public': 'false'}),
                        flavors.create)


def test_flavor_create_missing_field_names_the_object():
    body = {'flavor': {'name': 'small', 'vcpus': 1, 'disk': 0}}
    assert _refused(body, flavors.create) == (
        'Invalid input for field/attribute flavor. Value: {"name": "small",'
        ' "vcpus": 1, "disk": 0}. \'ram\' is a required property')


def test_flavor_create_without_flavor():
    assert _refused({}, flavors.create) == "'flavor' is a required property"


def test_flavor_create_unknown_key_names_the_object():
    assert _refused(_flavor(colour='red'), flavors.create).endswith(
        ". Additional properties are not allowed ('colour' was unexpected)")


def test_flavor_ram_above_an_int_column():
    assert _refused(_flavor(ram=2147483648), flavors.create) == (
        'Invalid input for field/attribute ram. Value: 2147483648. '
        '2147483648 is greater than the maximum of 2147483647')


def test_list_values_are_shown_as_json():
    schema = {'type': 'object', 'properties': {'ids': {
        'type': 'array', 'maxItems': 1}}}
    assert _refused({'ids': ['a', 'b']}, schema) == (
        'Invalid input for field/attribute ids. Value: ["a", "b"]. '
        "['a', 'b'] is too long")


# -- body()


def _req(body, content_type='application/json', legacy_v2=False):
    req = webob.Request.blank('/v2.1/flavors', method='POST', body=body)
    if content_type is None:
        req.environ.pop('CONTENT_TYPE', None)
    else:
        req.environ['CONTENT_TYPE'] = content_type
    if legacy_v2:
        req.environ[middleware.LEGACY_V2_KEY] = True
    return req


def test_body_parses_and_checks():
    assert validation.body(_req(b'{"size": "7"}'), SIZE) == {'size': '7'}
    assert validation.body(
        _req(b'{"size": 7}', 'application/json; charset=UTF-8'),
        SIZE) == {'size': 7}
    assert validation.body(
        _req(b'{}', 'application/vnd.openstack.compute+json'), SIZE) == {}
    assert validation.body(_req(b'{"size": 7}', None), SIZE) == {'size': 7}


def test_empty_body_reads_as_an_empty_object():
    assert validation.body(_req(b''), SIZE) == {}
    with pytest.raises(fault.HTTPError) as caught:
        validation.body(_req(b''), flavors.create)
    assert (caught.value.status, caught.value.message) == (
        400, "'flavor' is a required property")


def test_body_not_json():
    with pytest.raises(fault.HTTPError) as caught:
        validation.body(_req(b'{"size": '), SIZE)
    assert (caught.value.status, caught.value.message) == (
        400, 'Malformed request body')


def test_body_of_another_type_is_415():
    with pytest.raises(fault.HTTPError) as caught:
        validation.body(_req(b'size=7', 'application/x-www-form-urlencoded'),
                        SIZE)
    assert (caught.value.status, caught.value.message) == (
        415, 'Unsupported Content-Type')


def test_body_on_v2_ignores_unknown_keys():
    assert validation.body(_req(b'{"size": 7, "x": 1}', legacy_v2=True),
                           SIZE) == {'size': 7, 'x': 1}
