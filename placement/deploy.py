"""The placement WSGI middleware stack, outermost first:

request id -> CORS -> fault wrapper -> auth (skipped for /) -> context ->
microversion -> router -> handler
"""

from collections.abc import Callable
from typing import Any

from keystonemiddleware import auth_token
from oslo_config import cfg
from oslo_middleware import cors
from oslo_middleware import request_id

from placement import auth
from placement import fault
from placement import routes

# A WSGI application: each layer below wraps the one before.
WSGIApp = Callable[..., Any]


def build_app(conf: cfg.ConfigOpts) -> WSGIApp:
    inner: WSGIApp = fault.MicroversionMiddleware(routes.Router())
    inner = auth.ContextMiddleware(inner)
    if conf.api.auth_strategy == 'noauth2':
        authed = auth.NoAuth2(inner)
    else:
        authed = auth_token.AuthProtocol(
            inner, {'oslo_config_project': 'placement',
                    'oslo_config_config': conf})
    app: WSGIApp = auth.RootBypass(inner, authed)
    app = fault.FaultWrapper(app)
    if conf.cors.allowed_origin:
        app = cors.CORS(app, conf)
    app = request_id.RequestId(app)
    return app
