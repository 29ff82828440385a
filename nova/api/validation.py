"""Request bodies: parsed as JSON and checked against the route's schema
(Draft 4, as upstream), 400 with upstream's wording naming the bad field:

    Invalid input for field/attribute ram. Value: 0. 0 is less than the
    minimum of 1

As upstream, "minimum"/"maximum" also bound numeric strings ("ram": "512"
is accepted, "0" is not), and /v2 ignores keys a schema does not know.
"""

import base64
import binascii
import json
import re

import jsonschema
import webob

from nova.api import fault
from nova.api import middleware

_JSON_TYPES = ('application/json', 'application/vnd.openstack.compute+json')

_FORMATS = jsonschema.FormatChecker()
# Printable, without leading or trailing whitespace.
_NAME_RE = re.compile(r'^(?!\s)[^\x00-\x1f\x7f]*(?<!\s)$')


@_FORMATS.checks('name')
def _is_name(value) -> bool:
    return not isinstance(value, str) or bool(_NAME_RE.match(value))


@_FORMATS.checks('base64')
def _is_base64(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


def _numeric(check):
    def validate(validator, bound, instance, schema):
        if isinstance(instance, str):
            try:
                instance = float(instance)
            except ValueError:
                return
            if instance.is_integer():
                instance = int(instance)
        yield from check(validator, bound, instance, schema)
    return validate


_BASE = jsonschema.Draft4Validator
_Strict = jsonschema.validators.extend(_BASE, {
    'minimum': _numeric(_BASE.VALIDATORS['minimum']),
    'maximum': _numeric(_BASE.VALIDATORS['maximum'])})
_Relaxed = jsonschema.validators.extend(
    _Strict, {'additionalProperties': lambda *args: iter(())})


def _message(error: jsonschema.ValidationError) -> str:
    if error.path:
        return ('Invalid input for field/attribute %s. Value: %s. %s'
                % (error.path[-1], _value(error.instance), error.message))
    return error.message


def _value(instance) -> str:
    return json.dumps(instance) if isinstance(instance, (dict, list)) else (
        str(instance))


def validate(data, schema: dict, legacy_v2: bool = False) -> None:
    cls = _Relaxed if legacy_v2 else _Strict
    error = jsonschema.exceptions.best_match(
        cls(schema, format_checker=_FORMATS).iter_errors(data))
    if error is not None:
        raise fault.bad_request(_message(error))


def body(req: webob.Request, schema: dict):
    """The JSON body (an empty body reads as {}) checked against schema."""
    content_type = req.environ.get('CONTENT_TYPE')
    if content_type and content_type.split(';')[0].strip().lower() not in (
            _JSON_TYPES):
        raise fault.HTTPError(415, 'Unsupported Content-Type')
    data = {}
    if req.body:
        try:
            data = json.loads(req.body)
        except ValueError:
            raise fault.bad_request('Malformed request body')
    validate(data, schema, bool(req.environ.get(middleware.LEGACY_V2_KEY)))
    return data
