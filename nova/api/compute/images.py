"""/images: the image proxy onto the image service (until 2.35; from
2.36 every route answers 404)."""

from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova.conf import CONF
from nova import exception
from nova import image as image_api

# Glance v2 status -> the proxy's status.
_STATUS = {'queued': 'SAVING', 'saving': 'SAVING', 'active': 'ACTIVE',
           'killed': 'ERROR', 'deleted': 'DELETED',
           'pending_delete': 'DELETED', 'deactivated': 'ERROR',
           'uploading': 'SAVING', 'importing': 'SAVING'}
# Query parameters the list passes on as filters.
_FILTERS = ('name', 'status', 'changes-since', 'server', 'type',
            'minRam', 'minDisk')


def _check_version(req: webob.Request) -> None:
    if common.version(req).matches((2, 36)):
        raise fault.not_found()


def _basic(req: webob.Request, image: dict) -> dict:
    return {'id': image['id'], 'name': image.get('name'),
            'links': common.links(req, 'images', image['id'])}


def _detail(req: webob.Request, image: dict) -> dict:
    status = _STATUS.get((image.get('status') or '').lower(), 'UNKNOWN')
    out = _basic(req, image)
    out['links'].append({'rel': 'alternate',
                         'type': 'application/vnd.openstack.image',
                         'href': '%s/images/%s' % (
                             common.root_url(req), image['id'])})
    out.update({
        'minRam': image.get('min_ram') or 0,
        'minDisk': image.get('min_disk') or 0,
        'metadata': {k: v for k, v in image.get('properties', {}).items()
                     if isinstance(v, (str, int, float, bool))},
        'created': _time(image.get('created_at')),
        'updated': _time(image.get('updated_at')),
        'status': status,
        'progress': {'ACTIVE': 100, 'SAVING': 25}.get(status, 0),
        'OS-EXT-IMG-SIZE:size': image.get('size'),
    })
    return out


def _time(value: Any) -> str | None:
    # Glance says 2017-01-01T00:00:00Z already; keep it as given.
    return value if isinstance(value, str) or value is None else (
        common.isotime(value))


def _matches(image: dict, query: webob.multidict.MultiDict) -> bool:
    for key in _FILTERS:
        value = query.get(key)
        if value is None:
            continue
        if key == 'name' and image.get('name') != value:
            return False
        if key == 'status' and _STATUS.get(
                (image.get('status') or '').lower(), '') != value.upper():
            return False
        if key == 'minRam' and (image.get('min_ram') or 0) < _int(value):
            return False
        if key == 'minDisk' and (image.get('min_disk') or 0) < _int(value):
            return False
    return True


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise fault.bad_request('Invalid filter value %s' % value)


def _list(req: webob.Request, collection: str, view) -> webob.Response:
    _check_version(req)
    ctx = common.context(req)
    images = sorted((i for i in image_api.API().list(ctx)
                     if _matches(i, req.GET)),
                    key=lambda i: (i.get('created_at') or '', i['id']),
                    reverse=True)
    marker = req.GET.get('marker')
    if marker:
        ids = [i['id'] for i in images]
        if marker not in ids:
            raise fault.bad_request('marker [%s] not found' % marker)
        images = images[ids.index(marker) + 1:]
    limit = common.limit_param(req, CONF.api.max_limit)
    page = images[:limit]
    body: dict[str, Any] = {'images': [view(req, i) for i in page]}
    if limit and len(page) == limit and len(images) > limit:
        body['images_links'] = common.next_link(req, collection,
                                                page[-1]['id'])
    return common.json_response(body)


def index(req: webob.Request) -> webob.Response:
    """200: id, name and links of each image (filters name, status,
    minRam, minDisk; limit, marker)."""
    return _list(req, 'images', _basic)


def detail(req: webob.Request) -> webob.Response:
    """200: as index, each image in full."""
    return _list(req, 'images/detail', _detail)


def show(req: webob.Request, image_id: str) -> webob.Response:
    """200 with the image; 404 if there is none."""
    _check_version(req)
    try:
        image = image_api.API().get(common.context(req), image_id)
    except exception.ImageNotFound:
        raise fault.not_found('Image not found.')
    return common.json_response({'image': _detail(req, image)})


def delete(req: webob.Request, image_id: str) -> webob.Response:
    """204; 403 not allowed (a local catalog is read-only), 404 none."""
    _check_version(req)
    try:
        image_api.API().delete(common.context(req), image_id)
    except exception.ImageNotFound:
        raise fault.not_found('Image not found.')
    return common.empty(204)
