"""HTTP errors raised by placement handlers, each rendered in one place
(placement.fault) as {"errors": [{status, title, detail, request_id, code}]}.

Callers branch on `code` (microversion 1.23 and later), never on text.
"""

# Error codes a client may branch on.
DEFAULT = 'placement.undefined_code'
INVENTORY_INUSE = 'placement.inventory.inuse'
CONCURRENT_UPDATE = 'placement.concurrent_update'
DUPLICATE_NAME = 'placement.duplicate_name'
PROVIDER_IN_USE = 'placement.resource_provider.inuse'
PROVIDER_CANNOT_DELETE_PARENT = (
    'placement.resource_provider.cannot_delete_parent')
RESOURCE_PROVIDER_NOT_FOUND = 'placement.resource_provider.not_found'
ILLEGAL_DUPLICATE_QUERYPARAM = 'placement.query.duplicate_key'
QUERYPARAM_BAD_VALUE = 'placement.query.bad_value'
QUERYPARAM_MISSING_VALUE = 'placement.query.missing_value'


class HTTPError(Exception):
    status = 500
    title = 'Internal Server Error'
    # The fixed first sentence of the detail, as upstream's WSGI stack says it.
    explanation = ('The server has either erred or is incapable of '
                   'performing the requested operation.')

    def __init__(self, detail: str = '', code: str | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.code = code or DEFAULT
        self.headers = headers or {}

    def explain(self, environ: dict) -> str:
        return self.explanation


class BadRequest(HTTPError):
    status = 400
    title = 'Bad Request'
    explanation = ('The server could not comply with the request since it '
                   'is either malformed or otherwise incorrect.')


class Unauthorized(HTTPError):
    status = 401
    title = 'Unauthorized'
    explanation = ('This server could not verify that you are authorized to '
                   'access the document you requested.')


class Forbidden(HTTPError):
    status = 403
    title = 'Forbidden'
    explanation = 'Access was denied to this resource.'


class NotFound(HTTPError):
    status = 404
    title = 'Not Found'
    explanation = 'The resource could not be found.'


class MethodNotAllowed(HTTPError):
    status = 405
    title = 'Method Not Allowed'

    def explain(self, environ: dict) -> str:
        return 'The method %s is not allowed for this resource.' % (
            environ.get('REQUEST_METHOD'))


class NotAcceptable(HTTPError):
    status = 406
    title = 'Not Acceptable'

    def explain(self, environ: dict) -> str:
        return ('The resource could not be generated that was acceptable '
                'to your browser (content of type %s.' % (
                    environ.get('HTTP_ACCEPT')))


class Conflict(HTTPError):
    status = 409
    title = 'Conflict'
    explanation = ('There was a conflict when trying to complete your '
                   'request.')


class UnsupportedMediaType(HTTPError):
    status = 415
    title = 'Unsupported Media Type'

    def explain(self, environ: dict) -> str:
        return ('The request media type %s is not supported by this '
                'server.' % environ.get('CONTENT_TYPE'))


class ServiceUnavailable(HTTPError):
    status = 503
    title = 'Service Unavailable'
    explanation = ('The server is currently unavailable. Please try again '
                   'at a later time.')
