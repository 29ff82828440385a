"""An in-process client onto a service's WSGI app: no socket, the whole
middleware stack. For tests and for the all-in-one cloud."""

import json as jsonlib
from typing import Any

import webob


class DirectClient:
    """Calls `app` the way an HTTP client would; returns webob Responses.

    `token` is sent as X-Auth-Token (noauth2: "USER[:PROJECT]"); `version`
    as `OpenStack-API-Version: <service_type> X.Y`. Paths are full URL
    paths. `host_url` None keeps webob's default host (localhost:80).
    """

    def __init__(self, app: Any, service_type: str,
                 token: str | None = 'admin', version: str | None = None,
                 host_url: str | None = None) -> None:
        self.app = app
        self.service_type = service_type
        self.token = token
        self.version = version
        self.host_url = host_url

    def request(self, method: str, path: str, json: Any = None,
                version: str | None = None, token: str | None = None,
                headers: dict | None = None) -> webob.Response:
        """One request; `version` and `token` override the client's."""
        req = webob.Request.blank(path, method=method,
                                  base_url=self.host_url)
        req.headers['Accept'] = 'application/json'
        token = token if token is not None else self.token
        if token:
            req.headers['X-Auth-Token'] = token
        version = version or self.version
        if version:
            req.headers['OpenStack-API-Version'] = '%s %s' % (
                self.service_type, version)
        if json is not None:
            req.headers['Content-Type'] = 'application/json'
            req.body = jsonlib.dumps(json).encode('utf-8')
        for name, value in (headers or {}).items():
            req.headers[name] = value
        return req.get_response(self.app)

    def get(self, path: str, **kw: Any) -> webob.Response:
        return self.request('GET', path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> webob.Response:
        return self.request('POST', path, json=json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> webob.Response:
        return self.request('PUT', path, json=json, **kw)

    def delete(self, path: str, **kw: Any) -> webob.Response:
        return self.request('DELETE', path, **kw)
