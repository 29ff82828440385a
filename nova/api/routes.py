"""The whole compute API route table (below /v2.1 or /v2): path -> method
-> handler. Every path may also start with the caller's project id, as
before microversion 2.18.

A path that matches with a method it lacks is a 405 naming the methods it
has; a path that matches nothing is a 404.
"""

import re

import webob

from nova.api import fault
from nova.api import middleware
from nova.api.compute import flavors, versions

ROUTES = [
    ('/', {'GET': versions.show_v21}),
    ('/flavors', {
        'GET': flavors.index,
        'POST': flavors.create}),
    ('/flavors/detail', {'GET': flavors.detail}),
    ('/flavors/{flavor_id}', {
        'GET': flavors.show,
        'DELETE': flavors.delete}),
    ('/flavors/{flavor_id}/os-extra_specs', {
        'GET': flavors.list_extra_specs,
        'POST': flavors.create_extra_specs}),
    ('/flavors/{flavor_id}/os-extra_specs/{key}', {
        'GET': flavors.show_extra_spec,
        'PUT': flavors.update_extra_spec,
        'DELETE': flavors.delete_extra_spec}),
]


def _compile(template: str) -> re.Pattern:
    pattern = re.sub(r'\{(\w+)\}', r'(?P<\1>[^/]+)', template)
    return re.compile('^' + pattern + '$')


_COMPILED = [(_compile(path), methods) for path, methods in ROUTES]
_PROJECT_PREFIX = re.compile(r'^/(?P<project_id>[^/]+)(?P<rest>/.*)$')


def _match(path: str):
    for pattern, methods in _COMPILED:
        match = pattern.match(path)
        if match:
            return methods, match.groupdict()
    return None, None


class Router:
    """Dispatches to the handler for path and method."""

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        path = req.path_info or '/'
        methods, params = _match(path)
        if methods is None:
            prefixed = _PROJECT_PREFIX.match(path)
            if prefixed:
                methods, params = _match(prefixed['rest'])
            if methods is None:
                raise fault.not_found()
            _check_project(req, prefixed['project_id'])
        handler = methods.get(req.method)
        if handler is None:
            raise fault.HTTPError(
                405, 'The method %s is not allowed for this resource.'
                % req.method, headers={'Allow': ', '.join(sorted(methods))})
        return handler(req, **params)(environ, start_response)


def _check_project(req: webob.Request, project_id: str) -> None:
    ctx = req.environ[middleware.CONTEXT_KEY]
    if project_id != ctx.project_id:
        raise fault.bad_request(
            "Malformed request URL: URL's project_id '%s' doesn't match "
            "Context's project_id '%s'" % (project_id, ctx.project_id))


def app_factory(global_conf, **local_conf):
    return Router()
