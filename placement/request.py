"""Reading a placement request: its version, context, JSON body and query."""

import json

import jsonschema
from oslo_utils import uuidutils
import webob

from placement import errors
from placement.microversion import Version

_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks('uuid')
def _is_uuid(value) -> bool:
    # Placement has always taken UUIDs without dashes too (and then
    # stores them in the canonical form), which jsonschema's own check
    # refuses.
    return not isinstance(value, str) or uuidutils.is_uuid_like(value)


def version(req: webob.Request) -> Version:
    return req.environ['placement.microversion']


def context(req: webob.Request):
    return req.environ['placement.context']


def require_version(req: webob.Request, minimum: tuple) -> None:
    """Routes that do not exist below `minimum` answer 404 there."""
    if not version(req).matches(minimum):
        raise errors.NotFound('The resource could not be found.')


def authorize(req: webob.Request, minimum: tuple, action: str):
    """The request's context, once the route exists at the request's
    version (404 below `minimum`) and policy `action` allows the caller
    (403)."""
    require_version(req, minimum)
    ctx = context(req)
    ctx.can(action)
    return ctx


def check_accept(req: webob.Request) -> None:
    """406 unless the client accepts application/json."""
    accept = req.environ.get('HTTP_ACCEPT')
    if accept and not req.accept.acceptable_offers(['application/json']):
        raise errors.NotAcceptable('Only application/json is provided')


def validate(data, schema: dict,
             prefix: str = 'JSON does not validate') -> None:
    """400 unless `data` matches `schema`; the detail is jsonschema's full
    report (which part of the schema failed, and on what)."""
    error = jsonschema.exceptions.best_match(
        _validator(schema).iter_errors(data))
    if error is not None:
        raise errors.BadRequest('%s: %s' % (prefix, error))


# Compiled validators by schema identity: jsonschema.validate() re-checks
# the schema against its metaschema on every call, which costs ~10ms.
_VALIDATORS: dict[int, tuple] = {}


def _validator(schema: dict):
    hit = _VALIDATORS.get(id(schema))
    # Holding the schema in the entry keeps its id from being reused.
    if hit is None or hit[0] is not schema:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        if len(_VALIDATORS) >= 1024:
            _VALIDATORS.clear()
        hit = (schema, cls(schema, format_checker=_FORMATS))
        _VALIDATORS[id(schema)] = hit
    return hit[1]


def json_body(req: webob.Request, schema: dict | None = None):
    """The request body parsed as JSON and validated against `schema`."""
    length = req.environ.get('CONTENT_LENGTH')
    if length and not length.strip().isdigit():
        raise errors.BadRequest('content-length header must be an integer')
    content_type = req.environ.get('CONTENT_TYPE')
    if not content_type:
        if req.content_length:
            raise errors.BadRequest('content-type header required when '
                                    'content-length is set')
        raise errors.UnsupportedMediaType(
            'The media type None is not supported, use application/json')
    media = content_type.split(';')[0].strip().lower()
    if media != 'application/json':
        raise errors.UnsupportedMediaType(
            'The media type %s is not supported, use application/json'
            % media)
    try:
        data = json.loads(req.body)
    except ValueError as exc:
        raise errors.BadRequest('Malformed JSON: %s' % exc)
    if schema is not None:
        validate(data, schema)
    return data


def query(req: webob.Request, schema: dict | None = None) -> dict:
    """The query string as a dict of str -> str; a key given twice is a 400
    unless the schema allows a list for it."""
    params = {}
    for key in req.GET.keys():
        values = req.GET.getall(key)
        params[key] = values if len(values) > 1 else values[0]
    if schema is not None:
        validate(params, schema, 'Invalid query string parameters')
    return params
