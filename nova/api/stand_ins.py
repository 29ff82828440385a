"""Stand-ins for the services an all-in-one cloud runs without, so that
the openstack CLI works against it under noauth2 (nova-all-in-one mounts
them at /identity and /image, where devstack serves the real ones):

- /identity: Keystone's v3 version document (the CLI discovers the
  identity API's version before many compute commands) and projects: under
  noauth2 every project exists, named as its id (`quota show/set PROJECT`
  and `limits show --project` look the project up). Nothing else of
  Keystone is served (noauth2 needs no tokens).
- /image: a read-only Glance v2 (version documents, GET /v2/images with
  the name, status, visibility, limit and marker filters, GET
  /v2/images/ID, the image schema) over nova.image's backend, the local
  catalog by default. GET /v2/images/ID/file serves an image's data when
  the catalog ships a file for it, images/ID.DISK_FORMAT beside the
  catalog (etc/nova/images/: cirros is an empty qcow2 of 16 KiB, the
  catalog's size and checksums are its own); Cinder downloads it to
  create a volume from the image.
"""

import json
from pathlib import Path
from typing import Any

import webob

from nova import exception
from nova import image as image_api

_IDENTITY_VERSION = {
    'id': 'v3.8', 'status': 'stable', 'updated': '2017-02-22T00:00:00Z',
    'media-types': [{'base': 'application/json',
                     'type': 'application/vnd.openstack.identity-v3+json'}],
}
_IMAGE_VERSION = 'v2.5'
_FILTERS = ('name', 'status', 'visibility', 'id')
_NULLABLE_STRING = {'type': ['null', 'string']}
_NULLABLE_INT = {'type': ['null', 'integer']}
# The image schema glanceclient fetches before it shows an image: the
# attributes Glance itself defines (is_base), so that Cinder tells them
# from custom properties. Anything else must be a string, as in Glance.
_IMAGE_SCHEMA = {
    'name': 'image',
    'properties': {
        **{key: _NULLABLE_STRING for key in (
            'id', 'name', 'status', 'visibility', 'owner', 'disk_format',
            'container_format', 'checksum', 'os_hash_algo',
            'os_hash_value', 'created_at', 'updated_at', 'self', 'file',
            'schema')},
        **{key: _NULLABLE_INT for key in (
            'size', 'virtual_size', 'min_disk', 'min_ram')},
        'protected': {'type': 'boolean'},
        'os_hidden': {'type': 'boolean'},
        'tags': {'type': 'array', 'items': {'type': 'string'}},
    },
    'additionalProperties': {'type': 'string'},
}


def _json(body: Any, status: int = 200) -> webob.Response:
    return webob.Response(status=status, content_type='application/json',
                          charset='utf-8', body=json.dumps(body).encode())


def _not_found(req: webob.Request) -> webob.Response:
    return _json({'error': {'code': 404, 'title': 'Not Found',
                            'message': 'No %s here.' % req.path}}, 404)


def _project(req: webob.Request, project_id: str) -> dict:
    return {'id': project_id, 'name': project_id, 'domain_id': 'default',
            'enabled': True, 'is_domain': False, 'parent_id': 'default',
            'description': '', 'links': {'self': '%s/v3/projects/%s' % (
                req.application_url.rstrip('/'), project_id)}}


def identity_app(environ, start_response):
    """Keystone's version documents at / and /v3, any project by id or
    name at /v3/projects, 404 elsewhere."""
    req = webob.Request(environ)
    base = req.application_url.rstrip('/')
    version = dict(_IDENTITY_VERSION, links=[
        {'rel': 'self', 'href': base + '/v3/'}])
    path = req.path_info.rstrip('/')
    if req.method != 'GET':
        resp = _json({'error': {'code': 405, 'title': 'Not Allowed',
                                'message': 'Read-only stand-in.'}}, 405)
    elif path == '':
        resp = _json({'versions': {'values': [version]}}, 300)
    elif path == '/v3':
        resp = _json({'version': version})
    elif path.startswith('/v3/projects/') and path.count('/') == 3:
        resp = _json({'project': _project(req, path.split('/')[3])})
    elif path == '/v3/projects' and req.GET.get('name'):
        resp = _json({'projects': [_project(req, req.GET['name'])],
                      'links': {'self': req.url, 'next': None,
                                'previous': None}})
    else:
        resp = _not_found(req)
    return resp(environ, start_response)


def _glance_view(image: dict) -> dict:
    # Glance v2 shows custom properties as top-level keys.
    view = {k: v for k, v in image.items() if k != 'properties'}
    view.update(image.get('properties') or {})
    view.setdefault('visibility', 'public')
    view.setdefault('tags', [])
    view['self'] = '/v2/images/%s' % image['id']
    view['file'] = '/v2/images/%s/file' % image['id']
    view['schema'] = '/v2/schemas/image'
    return view


def _list(req: webob.Request, images: list[dict]) -> webob.Response:
    for key in _FILTERS:
        if key in req.GET:
            images = [i for i in images if str(i.get(key)) == req.GET[key]]
    if 'marker' in req.GET:
        ids = [i['id'] for i in images]
        if req.GET['marker'] not in ids:
            return _json({'error': {'code': 400, 'title': 'Bad Request',
                                    'message': 'marker not found'}}, 400)
        images = images[ids.index(req.GET['marker']) + 1:]
    body: dict[str, Any] = {'first': '/v2/images',
                            'schema': '/v2/schemas/images'}
    limit = req.GET.get('limit')
    if limit is not None and limit.isdigit() and len(images) > int(limit):
        images = images[:int(limit)]
        body['next'] = '/v2/images?limit=%s&marker=%s' % (
            limit, images[-1]['id'])
    body['images'] = images
    return _json(body)


def _image_file(req: webob.Request, backend, ctx,
                image_id: str) -> webob.Response:
    """The data of a local catalog image that has a file (404 for any
    other), with the headers Glance sends."""
    try:
        image = backend.get(ctx, image_id)
    except exception.ImageNotFound:
        return _not_found(req)
    if not isinstance(backend, image_api.LocalCatalog):
        return _not_found(req)
    path = Path(backend.path).parent / 'images' / ('%s.%s' % (
        image['id'], image.get('disk_format')))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _not_found(req)
    resp = webob.Response(status=200,
                          content_type='application/octet-stream',
                          body=data)
    if image.get('checksum'):
        resp.headers['Content-MD5'] = image['checksum']
    return resp


def image_app(environ, start_response):
    """A read-only Glance v2 over nova.image.API()."""
    req = webob.Request(environ)
    base = req.application_url.rstrip('/')
    path = req.path_info.rstrip('/')
    parts = path.split('/')[1:]
    ctx = environ.get('nova.context')
    backend = image_api.API()
    if req.method != 'GET':
        resp = _json({'error': {'code': 405, 'title': 'Not Allowed',
                                'message': 'Read-only image catalog.'}},
                     405)
    elif path in ('', '/v2', '/versions'):
        # glanceclient reads /versions to learn which calls it may make.
        resp = _json({'versions': [{
            'id': _IMAGE_VERSION, 'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': base + '/v2/'}]}]},
            300 if path == '' else 200)
    elif path == '/v2/schemas/image':
        resp = _json(_IMAGE_SCHEMA)
    elif (len(parts) == 4 and parts[:2] == ['v2', 'images'] and
          parts[3] == 'file'):
        resp = _image_file(req, backend, ctx, parts[2])
    elif parts == ['v2', 'images']:
        resp = _list(req, [_glance_view(i)
                           for i in backend.list(ctx)])
    elif len(parts) == 3 and parts[:2] == ['v2', 'images']:
        try:
            resp = _json(_glance_view(backend.get(ctx, parts[2])))
        except exception.ImageNotFound:
            resp = _not_found(req)
    else:
        resp = _not_found(req)
    return resp(environ, start_response)


class Mounted:
    """`app` with the stand-ins under /identity and /image.

    The image stand-in also answers under /v2.1/v2/images: novaclient
    looks images up at "<its endpoint>/v2/images", and with a token
    endpoint (admin_token) its endpoint for every service is the compute
    API's.
    """

    def __init__(self, app) -> None:
        self.app = app
        # (mount point, paths it takes, app)
        self.mounts = [('/identity', '/identity', identity_app),
                       ('/image', '/image', image_app),
                       ('/v2.1', '/v2.1/v2/images', image_app)]

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        for prefix, taken, app in self.mounts:
            if path == taken or path.startswith(taken + '/'):
                environ['SCRIPT_NAME'] = (environ.get('SCRIPT_NAME', '') +
                                          prefix)
                environ['PATH_INFO'] = path[len(prefix):]
                return app(environ, start_response)
        return self.app(environ, start_response)
