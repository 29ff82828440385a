"""The version documents: GET / lists the API versions, GET /v2.1 and
GET /v2 describe one (and so do GET /v2.1/ and GET /v2/, through the
API's route table). They need no authentication."""

import copy
import json
import re
from typing import Any

import webob

from nova.api import fault
from nova.api import microversion
from nova.api import middleware

_DESCRIBED_BY = {'rel': 'describedby', 'type': 'text/html',
                 'href': 'http://docs.openstack.org/'}

VERSIONS: dict[str, dict[str, Any]] = {
    'v2.0': {
        'id': 'v2.0', 'status': 'SUPPORTED',
        'version': '', 'min_version': '',
        'updated': '2011-01-21T11:33:21Z',
        'links': [_DESCRIBED_BY],
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.compute+json;version=2'}],
    },
    'v2.1': {
        'id': 'v2.1', 'status': 'CURRENT',
        'version': str(microversion.MAX_VERSION),
        'min_version': str(microversion.MIN_VERSION),
        'updated': '2013-07-23T11:33:21Z',
        'links': [_DESCRIBED_BY],
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.compute+json;version=2.1'}],
    },
}
_PATHS = {'v2.0': 'v2/', 'v2.1': 'v2.1/'}


def _json(data: dict) -> webob.Response:
    resp = webob.Response(status=200)
    resp.content_type = 'application/json'
    resp.charset = None
    resp.body = json.dumps(data).encode('utf-8')
    return resp


def _root_url(req: webob.Request) -> str:
    """The URL the API is served under, without any version segment."""
    url = req.application_url
    return re.sub(r'/v2(\.1)?/?$', '', url) + '/'


def versions_list(req: webob.Request) -> webob.Response:
    """200: every version with its self link."""
    root = _root_url(req)
    out = []
    for key in sorted(VERSIONS):
        doc = {k: v for k, v in VERSIONS[key].items()
               if k not in ('links', 'media-types')}
        doc['links'] = [{'rel': 'self', 'href': root + _PATHS[key]}]
        out.append(doc)
    return _json({'versions': out})


def version_show(req: webob.Request, key: str) -> webob.Response:
    """200: one version with its links and media types."""
    doc = copy.deepcopy(VERSIONS[key])
    doc['links'].insert(0, {'rel': 'self',
                            'href': _root_url(req) + _PATHS[key]})
    return _json({'version': doc})


def show_root(req: webob.Request) -> webob.Response:
    """GET /v2.1/ and GET /v2/ (the API's own root): the version the
    request is served as, v2.0 for the legacy v2 path."""
    legacy = req.environ.get(middleware.LEGACY_V2_KEY)
    return version_show(req, 'v2.0' if legacy else 'v2.1')


class _App:
    def __init__(self, respond) -> None:
        self.respond = respond

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        if req.path_info not in ('', '/'):
            resp = fault.render(404, 'The resource could not be found.')
        elif req.method not in ('GET', 'HEAD'):
            resp = fault.render(405, 'The method %s is not allowed for this '
                                'resource.' % req.method, {'Allow': 'GET'})
        else:
            resp = self.respond(req)
        return resp(environ, start_response)


def list_factory(global_conf, **local_conf):
    """Paste app: the versions list."""
    return _App(versions_list)


def show_factory(global_conf, version='v2.1', **local_conf):
    """Paste app: one version's document (`version = v2.0 | v2.1`)."""
    return _App(lambda req: version_show(req, version))
