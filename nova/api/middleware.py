"""The filters of nova-api's PasteDeploy pipelines (etc/nova/api-paste.ini):
request ids, noauth2 or the keystone context, and microversions."""

import json

from oslo_middleware import request_id
import webob

from nova.api import fault
from nova.api import microversion
from nova import context
from nova import policy

CONTEXT_KEY = 'nova.context'
VERSION_KEY = 'nova.api_version'
LEGACY_V2_KEY = 'nova.legacy_v2'


class ComputeRequestId(request_id.RequestId):
    """x-openstack-request-id, and x-compute-request-id as nova always sent."""
    compat_headers = ['x-compute-request-id']


# Catalog entries a request keeps: the services Nova calls with the
# caller's token.
_CATALOG_TYPES = ('volumev3', 'block-storage', 'image', 'network')


def _context_from_environ(environ: dict) -> context.RequestContext:
    ctx = context.RequestContext.from_environ(environ)
    ctx.remote_address = environ.get('REMOTE_ADDR')
    catalog = environ.get('HTTP_X_SERVICE_CATALOG')
    if catalog:
        ctx.service_catalog = [s for s in json.loads(catalog)
                               if s.get('type') in _CATALOG_TYPES]
    ctx.is_admin = policy.check_is_admin(ctx)
    return ctx


class _Middleware:
    """A filter in front of `app`, the rest of the pipeline."""

    def __init__(self, app) -> None:
        self.app = app


class NoAuth2(_Middleware):
    """Development auth: the token `USER[:PROJECT]` is taken at its word
    (PROJECT defaults to USER); the user "admin" has the admin role. A
    request without a token gets one back, as upstream's noauth2 does."""

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        token = req.headers.get('X-Auth-Token')
        if not token:
            user = req.headers.get('X-Auth-User', 'admin')
            project = req.headers.get('X-Auth-Project-Id', 'admin')
            resp = webob.Response(status=204)
            resp.headers['X-Auth-Token'] = '%s:%s' % (user, project)
            resp.headers['X-Server-Management-Url'] = (
                req.url.rstrip('/') + '/' + project)
            resp.content_type = 'text/plain'
            return resp(environ, start_response)
        user_id, _sep, project_id = token.partition(':')
        environ['HTTP_X_USER_ID'] = user_id
        environ['HTTP_X_PROJECT_ID'] = project_id or user_id
        environ['HTTP_X_ROLES'] = 'admin' if user_id == 'admin' else ''
        environ['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        environ[CONTEXT_KEY] = _context_from_environ(environ)
        return self.app(environ, start_response)


class KeystoneContext(_Middleware):
    """The context from the identity headers keystonemiddleware set."""

    def __call__(self, environ, start_response):
        if environ.get('HTTP_X_IDENTITY_STATUS') != 'Confirmed':
            return fault.render(401, 'Authentication required')(
                environ, start_response)
        environ[CONTEXT_KEY] = _context_from_environ(environ)
        return self.app(environ, start_response)


class LegacyV2(_Middleware):
    """Marks requests to /v2: no microversions, extra body keys ignored."""

    def __call__(self, environ, start_response):
        environ[LEGACY_V2_KEY] = True
        return self.app(environ, start_response)


class Microversion(_Middleware):
    """Negotiates the request's version and stamps every response with it,
    errors included (which it renders itself, for that reason)."""

    def __call__(self, environ, start_response):
        if environ.get(LEGACY_V2_KEY):
            environ[VERSION_KEY] = microversion.LEGACY_V2
            return self.app(environ, start_response)
        try:
            version = microversion.from_environ(environ)
        except microversion.InvalidVersion as exc:
            return fault.render(400, str(exc))(environ, start_response)
        except microversion.UnacceptableVersion as exc:
            return fault.render(406, str(exc))(environ, start_response)
        environ[VERSION_KEY] = version
        stamped = _stamped(start_response, version)
        try:
            return self.app(environ, stamped)
        # Every error becomes a fault.
        except Exception as exc:  # noqa: BLE001
            return fault.from_exception(exc, environ)(environ, stamped)


def _stamped(start_response, version: microversion.Version):
    added = microversion.response_headers(version)
    names = {name.lower() for name, _ in added}

    def stamp(status, headers, exc_info=None):
        headers = [h for h in headers if h[0].lower() not in names]
        return start_response(status, headers + added, exc_info)
    return stamp


def _filter(cls):
    def factory(global_conf, **local_conf):
        return cls
    return factory


noauth2_factory = _filter(NoAuth2)
keystone_context_factory = _filter(KeystoneContext)
legacy_v2_factory = _filter(LegacyV2)
microversion_factory = _filter(Microversion)
