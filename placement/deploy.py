"""The placement WSGI middleware stack, outermost first:

request id -> CORS -> fault wrapper -> auth (skipped for /) -> context ->
microversion -> router -> handler
"""

from keystonemiddleware import auth_token
from oslo_config import cfg
from oslo_middleware import cors
from oslo_middleware import request_id

from placement import auth
from placement import fault
from placement import routes


def build_app(conf: cfg.ConfigOpts):
    inner = fault.MicroversionMiddleware(routes.Router())
    inner = auth.ContextMiddleware(inner)
    if conf.api.auth_strategy == 'noauth2':
        authed = auth.NoAuth2(inner)
    else:
        authed = auth_token.AuthProtocol(
            inner, {'oslo_config_project': 'placement',
                    'oslo_config_config': conf})
    app = auth.RootBypass(inner, authed)
    app = fault.FaultWrapper(app)
    if conf.cors.allowed_origin:
        app = cors.CORS(app, conf)
    app = request_id.RequestId(app)
    return app
