"""An in-process client onto the placement WSGI app: no socket, same
middleware stack. For tests and for the all-in-one cloud."""

from oslo_config import cfg

from placement import deploy
from servicekit import direct


class PlacementDirect(direct.DirectClient):
    """Calls the app the way an HTTP client would; returns webob Responses."""

    def __init__(self, conf: cfg.ConfigOpts, token: str = 'admin',
                 version: str | None = None) -> None:
        super().__init__(deploy.build_app(conf), 'placement', token=token,
                         version=version)
