"""Authentication middleware: noauth2 for development, and the context
built from whatever identity headers the auth layer left."""

from oslo_log import log as logging
import webob

from placement import context
from placement import errors
from placement import fault

LOG = logging.getLogger(__name__)


class NoAuth2:
    """The token is `USER[:PROJECT]`; user "admin" also gets the admin role.
    Identity headers the client set itself (roles, project, system scope)
    are kept, so tests can act as any persona."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        token = environ.get('HTTP_X_AUTH_TOKEN')
        if not token:
            exc = errors.Unauthorized('An X-Auth-Token header is required.')
            return fault.render(exc, environ)(environ, start_response)
        user_id, _sep, project_id = token.partition(':')
        project_id = project_id or user_id
        environ['HTTP_X_USER_ID'] = user_id
        if not environ.get('HTTP_OPENSTACK_SYSTEM_SCOPE'):
            environ.setdefault('HTTP_X_PROJECT_ID', project_id)
        roles = [r.strip() for r in environ.get('HTTP_X_ROLES', '').split(',')
                 if r.strip()]
        if user_id == 'admin' and 'admin' not in roles:
            roles.append('admin')
        environ['HTTP_X_ROLES'] = ','.join(roles)
        environ['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        return self.app(environ, start_response)


class RootBypass:
    """The version document at / is public: it skips authentication."""

    def __init__(self, app, authed_app):
        self.app = app
        self.authed_app = authed_app

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '') in ('', '/'):
            return self.app(environ, start_response)
        return self.authed_app(environ, start_response)


class ContextMiddleware:
    """Builds the RequestContext from the identity headers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        if (req.path_info not in ('', '/') and
                environ.get('HTTP_X_IDENTITY_STATUS') not in (None,
                                                              'Confirmed')):
            exc = errors.Unauthorized('The request you have made requires '
                                      'authentication.')
            return fault.render(exc, environ)(environ, start_response)
        ctx = context.RequestContext.from_environ(environ)
        environ['placement.context'] = ctx
        return self.app(environ, start_response)
