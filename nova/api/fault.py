"""The compute API's errors and the one place their body is produced:

    {"itemNotFound": {"code": 404, "message": "Flavor 7 could not be found."}}

The key is upstream's fault name for the status (computeFault for the rest).
A NovaException with a 4xx code becomes that fault with its message; any
other exception is a logged 500 whose message says nothing of the cause.
"""

import json

from oslo_log import log as logging
import webob

from nova import exception

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

_STATUS_TEXT = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
    404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
    409: 'Conflict', 413: 'Request Entity Too Large',
    415: 'Unsupported Media Type', 429: 'Too Many Requests',
    500: 'Internal Server Error', 501: 'Not Implemented',
    503: 'Service Unavailable',
}

INTERNAL_ERROR = ('The server has either erred or is incapable of '
                  'performing the requested operation.')


class HTTPError(Exception):
    """An error response: status, a message for the user, extra headers."""

    def __init__(self, status: int, message: str,
                 headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def bad_request(message: str) -> HTTPError:
    return HTTPError(400, message)


def not_found(message: str = 'The resource could not be found.') -> HTTPError:
    return HTTPError(404, message)


# Things a request body names that turn out not to exist: the body is
# bad (400), not the URL (404); upstream's words where it had its own.
REFERENCE_ERRORS: dict[type[Exception], str | None] = {
    exception.FlavorNotFound: 'Invalid flavorRef provided.',
    exception.ImageNotFound: 'Can not find requested image',
    exception.KeypairNotFound: 'Invalid key_name provided.',
    exception.InstanceGroupNotFound: None,
    exception.VolumeTypeNotFound: None,
}


def bad_reference(exc: Exception) -> HTTPError:
    """The 400 for one of REFERENCE_ERRORS."""
    for cls, message in REFERENCE_ERRORS.items():
        if isinstance(exc, cls):
            return bad_request(message or str(exc))
    raise TypeError('%r is not a reference error' % exc)


def render(status: int, message: str,
           headers: dict | None = None) -> webob.Response:
    name = FAULT_NAMES.get(status, 'computeFault')
    resp = webob.Response(status='%d %s' % (status,
                                            _STATUS_TEXT.get(status, '')))
    resp.content_type = 'application/json'
    resp.charset = None
    resp.body = json.dumps({name: {'code': status,
                                   'message': message}}).encode('utf-8')
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def from_exception(exc: Exception, environ: dict) -> webob.Response:
    """The fault response for any exception a request raised."""
    if isinstance(exc, HTTPError):
        return render(exc.status, exc.message, exc.headers)
    if isinstance(exc, exception.NovaException) and (
            exc.code < 500 or exc.code == 503):
        # A 503 says what is unavailable: the caller may retry later.
        return render(exc.code, str(exc))
    LOG.exception('Unexpected error serving %s %s',
                  environ.get('REQUEST_METHOD'), environ.get('PATH_INFO'))
    return render(500, INTERNAL_ERROR)


class FaultWrapper:
    """Turns whatever a request raised into a fault response."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        # Every error becomes a fault.
        except Exception as exc:  # noqa: BLE001
            return from_exception(exc, environ)(environ, start_response)


def filter_factory(global_conf, **local_conf):
    return FaultWrapper
