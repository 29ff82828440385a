"""Handlers for /resource_classes (1.2+)."""

import webob

from placement import request
from placement import response
from placement.objects import resource_class as rc_obj
from placement.policies import resource_class as policies
from placement.schemas import resource_class as schemas

_CLASSES_VERSION = (1, 2)
# From 1.7, PUT /resource_classes/{name} creates the class (no body).
_PUT_CREATES_VERSION = (1, 7)


def _url(req: webob.Request, name: str) -> str:
    return '%s/resource_classes/%s' % (req.script_name, name)


def _view(req: webob.Request, name: str) -> dict:
    return {'name': name, 'links': [{'rel': 'self', 'href': _url(req, name)}]}


def _created(req: webob.Request, name: str, status: int = 201
             ) -> webob.Response:
    resp = response.empty_response(status)
    resp.location = _url(req, name)
    return resp


def list_resource_classes(req: webob.Request) -> webob.Response:
    """GET /resource_classes: 200 with every class, standard and custom."""
    ctx = request.authorize(req, _CLASSES_VERSION, policies.LIST)
    names = rc_obj.list_names(ctx)
    # Standard classes have no timestamps, so the list is always "now".
    return response.json_response(
        req, {'resource_classes': [_view(req, name) for name in names]})


def create_resource_class(req: webob.Request) -> webob.Response:
    """POST /resource_classes {"name": "CUSTOM_..."}: 201 with a Location;
    400 for a name that is not CUSTOM_*, 409 (placement.duplicate_name)
    when the class exists."""
    ctx = request.authorize(req, _CLASSES_VERSION, policies.CREATE)
    name = request.json_body(req, schemas.NAMED)['name']
    rc_obj.create(ctx, name)
    return _created(req, name)


def get_resource_class(req: webob.Request, name: str) -> webob.Response:
    """GET /resource_classes/{name}: 200 with the class; 404 if unknown."""
    ctx = request.authorize(req, _CLASSES_VERSION, policies.SHOW)
    changed = rc_obj.changed_at(ctx, name)
    return response.json_response(req, _view(req, name),
                                  last_modified=changed)


def update_resource_class(req: webob.Request, name: str) -> webob.Response:
    """PUT /resource_classes/{name}.

    From 1.7, without a body: 201 when the custom class was created, 204
    when it existed; 400 for a name that is not CUSTOM_*.
    Before 1.7, {"name": new}: rename a custom class, 200 with it; 400 for
    a standard class or a bad name, 404 when unknown, 409
    (placement.duplicate_name) when the new name is taken.
    """
    ctx = request.authorize(req, _CLASSES_VERSION, policies.UPDATE)
    if request.version(req).matches(_PUT_CREATES_VERSION):
        request.validate({'name': name}, schemas.NAMED)
        created = rc_obj.ensure(ctx, name)
        return _created(req, name, 201 if created else 204)
    new_name = request.json_body(req, schemas.NAMED)['name']
    rc_obj.rename(ctx, name, new_name)
    return response.json_response(req, _view(req, new_name),
                                  cache_headers=False)


def delete_resource_class(req: webob.Request, name: str) -> webob.Response:
    """DELETE /resource_classes/{name}: 204; 400 for a standard class, 404
    when unknown, 409 while inventories or allocations use it."""
    ctx = request.authorize(req, _CLASSES_VERSION, policies.DELETE)
    rc_obj.delete(ctx, name)
    return response.empty_response(204)
