"""An in-process client onto the placement WSGI app: no socket, same
middleware stack. For tests and for the all-in-one cloud."""

import json as jsonlib

from oslo_config import cfg
import webob

from placement import deploy


class PlacementDirect:
    """Calls the app the way an HTTP client would; returns webob Responses."""

    def __init__(self, conf: cfg.ConfigOpts, token: str = 'admin',
                 version: str | None = None):
        self.app = deploy.build_app(conf)
        self.token = token
        self.version = version

    def request(self, method: str, path: str, json=None, version=None,
                headers: dict | None = None) -> webob.Response:
        req = webob.Request.blank(path, method=method)
        req.headers['Accept'] = 'application/json'
        if self.token:
            req.headers['X-Auth-Token'] = self.token
        version = version or self.version
        if version:
            req.headers['OpenStack-API-Version'] = 'placement %s' % version
        if json is not None:
            req.headers['Content-Type'] = 'application/json'
            req.body = jsonlib.dumps(json).encode('utf-8')
        for name, value in (headers or {}).items():
            req.headers[name] = value
        return req.get_response(self.app)

    def get(self, path: str, **kw) -> webob.Response:
        return self.request('GET', path, **kw)

    def post(self, path: str, json=None, **kw) -> webob.Response:
        return self.request('POST', path, json=json, **kw)

    def put(self, path: str, json=None, **kw) -> webob.Response:
        return self.request('PUT', path, json=json, **kw)

    def delete(self, path: str, **kw) -> webob.Response:
        return self.request('DELETE', path, **kw)
