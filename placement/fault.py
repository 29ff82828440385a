"""Turning errors into responses: the one place placement's error body
format is produced."""

import html
import json

from oslo_log import log as logging
import webob

from placement import errors
from placement import microversion

LOG = logging.getLogger(__name__)


def _wants_html(environ: dict) -> bool:
    accept = environ.get('HTTP_ACCEPT', '')
    if not accept or 'application/json' in accept or accept.startswith('*/*'):
        return False
    return 'text/html' in accept


def render(exc: errors.HTTPError, environ: dict) -> webob.Response:
    """The response for an HTTPError, JSON unless the client asked for HTML."""
    explanation = exc.explain(environ)
    detail = '%s\n\n %s  ' % (explanation, exc.detail) if exc.detail else (
        explanation)
    resp = webob.Response(status=exc.status)
    for name, value in exc.headers.items():
        resp.headers[name] = value
    if _wants_html(environ):
        resp.content_type = 'text/html'
        resp.charset = 'UTF-8'
        resp.text = ('<html><head><title>%(s)d %(t)s</title></head><body>'
                     '<h1>%(s)d %(t)s</h1>%(d)s</body></html>' % {
                         's': exc.status, 't': html.escape(exc.title),
                         'd': html.escape(detail).replace('\n', '<br />')})
        return resp
    error = {'status': exc.status, 'title': exc.title, 'detail': detail,
             'request_id': environ.get('openstack.request_id', '')}
    version = environ.get('placement.microversion')
    if version is not None and version.matches((1, 23)):
        error['code'] = exc.code
    resp.content_type = 'application/json'
    resp.charset = None
    resp.body = json.dumps({'errors': [error]}).encode('utf-8')
    return resp


class FaultWrapper:
    """Outermost catch: an unexpected exception becomes a logged 500, never a
    traceback on the wire."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except errors.HTTPError as exc:
            return render(exc, environ)(environ, start_response)
        except Exception:
            LOG.exception('Unexpected error handling %s %s',
                          environ.get('REQUEST_METHOD'),
                          environ.get('PATH_INFO'))
            error = errors.HTTPError('An unexpected error occurred; the '
                                     'service log has the details.')
            return render(error, environ)(environ, start_response)


class MicroversionMiddleware:
    """Negotiates the request's microversion and stamps every response,
    errors included, with the version it was served at."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            version = microversion.from_header(
                environ.get('HTTP_OPENSTACK_API_VERSION'))
        except microversion.InvalidVersion as exc:
            resp = render(errors.BadRequest(str(exc)), environ)
        except microversion.UnacceptableVersion as exc:
            resp = render(errors.NotAcceptable(str(exc)), environ)
        else:
            environ['placement.microversion'] = version
            try:
                return self.app(environ, _stamped(start_response, version))
            except errors.HTTPError as exc:
                resp = render(exc, environ)
            return resp(environ, _stamped(start_response, version))
        return resp(environ, start_response)


def _stamped(start_response, version):
    def stamp(status, headers, exc_info=None):
        headers = [h for h in headers
                   if h[0].lower() not in ('openstack-api-version', 'vary')]
        headers.append(('openstack-api-version', 'placement %s' % (version,)))
        headers.append(('vary', 'openstack-api-version'))
        return start_response(status, headers, exc_info)
    return stamp
