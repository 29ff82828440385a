"""An in-process client onto the compute API's WSGI app: no socket, the
whole paste pipeline. For tests and for the all-in-one cloud."""

import json as jsonlib

from oslo_config import cfg
import webob

from nova.api import wsgi


class ComputeDirect:
    """Calls the app the way an HTTP client would; returns webob Responses.

    `token` is sent as X-Auth-Token (noauth2: "USER[:PROJECT]"); `version`
    as OpenStack-API-Version: compute X.Y. Paths are full URL paths
    ("/v2.1/flavors").
    """

    def __init__(self, conf: cfg.ConfigOpts, token: str | None = 'admin',
                 version: str | None = None,
                 host_url: str = 'http://localhost') -> None:
        self.app = wsgi.build_app(conf)
        self.token = token
        self.version = version
        self.host_url = host_url

    def request(self, method: str, path: str, json=None,
                version: str | None = None, token: str | None = None,
                headers: dict | None = None) -> webob.Response:
        req = webob.Request.blank(path, method=method,
                                  base_url=self.host_url)
        req.headers['Accept'] = 'application/json'
        token = token if token is not None else self.token
        if token:
            req.headers['X-Auth-Token'] = token
        version = version or self.version
        if version:
            req.headers['OpenStack-API-Version'] = 'compute %s' % version
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
