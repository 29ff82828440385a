"""An in-process client onto the compute API's WSGI app: no socket, the
whole paste pipeline. For tests and for the all-in-one cloud."""

from oslo_config import cfg

from nova.api import wsgi
from servicekit import direct


class ComputeDirect(direct.DirectClient):
    """Calls the app the way an HTTP client would; returns webob Responses.

    `token` is sent as X-Auth-Token (noauth2: "USER[:PROJECT]"); `version`
    as OpenStack-API-Version: compute X.Y. Paths are full URL paths
    ("/v2.1/flavors").
    """

    def __init__(self, conf: cfg.ConfigOpts, token: str | None = 'admin',
                 version: str | None = None,
                 host_url: str = 'http://localhost') -> None:
        super().__init__(wsgi.build_app(conf), 'compute', token=token,
                         version=version, host_url=host_url)
