"""Handlers for /resource_providers/{uuid}/inventories[/{resource_class}].

Every write bumps the provider generation; those that take a
resource_provider_generation answer 409 placement.concurrent_update when it
is stale.
"""

import webob

from placement import errors
from placement import request
from placement import response
from placement.handlers.resource_provider import provider_url
from placement.objects import inventory as inv_obj
from placement.policies import inventory as policies
from placement.schemas import inventory as schemas


def _reserved_may_equal_total(req: webob.Request) -> bool:
    # 1.26: an inventory may be entirely reserved.
    return request.version(req).matches((1, 26))


def _one_response(req: webob.Request, generation: int,
                  inventory: inv_obj.Inventory,
                  status: int = 200) -> webob.Response:
    body = dict(inventory.fields(), resource_provider_generation=generation)
    return response.json_response(req, body, status=status,
                                  last_modified=inventory.last_modified)


def _all_response(req: webob.Request, generation: int,
                  inventories: dict[str, inv_obj.Inventory]
                  ) -> webob.Response:
    body = {'resource_provider_generation': generation,
            'inventories': {name: inv.fields()
                            for name, inv in inventories.items()}}
    return response.json_response(req, body, last_modified=response.newest(
        *(inv.last_modified for inv in inventories.values())))


def get_inventories(req: webob.Request, uuid: str) -> webob.Response:
    """GET .../inventories: 200 {resource_provider_generation,
    inventories: {class: inventory}}; 404 if no such provider."""
    ctx = request.context(req)
    ctx.can(policies.LIST)
    provider, inventories = inv_obj.list_for_provider(ctx, uuid)
    return _all_response(req, provider.generation, inventories)


def create_inventory(req: webob.Request, uuid: str) -> webob.Response:
    """POST .../inventories: 201 with the new inventory and its Location.
    400 for a bad body, unknown class or reserved over total; 404 if no
    such provider; 409 if the provider already has that class."""
    ctx = request.context(req)
    ctx.can(policies.CREATE)
    data = request.json_body(req, schemas.CREATE)
    rc_name = data['resource_class']
    provider, inventory = inv_obj.create(ctx, uuid, rc_name, data,
                                         _reserved_may_equal_total(req))
    resp = _one_response(req, provider.generation, inventory, status=201)
    resp.location = '%s/inventories/%s' % (provider_url(req, uuid), rc_name)
    return resp


def set_inventories(req: webob.Request, uuid: str) -> webob.Response:
    """PUT .../inventories: 200 with the provider's new inventories, which
    replace all the old ones. 400 for a bad body, unknown class or reserved
    over total; 404 if no such provider; 409 concurrent_update on a stale
    generation, inventory.inuse when a removed class has allocations."""
    ctx = request.context(req)
    ctx.can(policies.UPDATE)
    data = request.json_body(req, schemas.SET_ALL)
    provider, inventories = inv_obj.replace(
        ctx, uuid, data['resource_provider_generation'],
        data['inventories'], _reserved_may_equal_total(req))
    return _all_response(req, provider.generation, inventories)


def delete_inventories(req: webob.Request, uuid: str) -> webob.Response:
    """DELETE .../inventories (1.5; 405 before): 204 with every inventory
    gone. 404 if no such provider; 409 inventory.inuse when any has
    allocations."""
    ctx = request.context(req)
    ctx.can(policies.DELETE)
    if not request.version(req).matches((1, 5)):
        raise errors.MethodNotAllowed(headers={'allow': 'GET, POST, PUT'})
    inv_obj.delete_all(ctx, uuid)
    return response.empty_response(204)


def get_inventory(req: webob.Request, uuid: str,
                  resource_class: str) -> webob.Response:
    """GET .../inventories/{class}: 200 with the inventory and the provider
    generation; 404 if the provider or that inventory is missing."""
    ctx = request.context(req)
    ctx.can(policies.SHOW)
    provider, inventory = inv_obj.show(ctx, uuid, resource_class)
    return _one_response(req, provider.generation, inventory)


def update_inventory(req: webob.Request, uuid: str,
                     resource_class: str) -> webob.Response:
    """PUT .../inventories/{class}: 200 with the changed inventory. 400 for
    a bad body, reserved over total, or when the provider has no inventory
    of that class; 404 if no such provider; 409 concurrent_update on a
    stale generation."""
    ctx = request.context(req)
    ctx.can(policies.UPDATE)
    data = request.json_body(req, schemas.UPDATE)
    provider, inventory = inv_obj.update(
        ctx, uuid, resource_class, data['resource_provider_generation'],
        data, _reserved_may_equal_total(req))
    return _one_response(req, provider.generation, inventory)


def delete_inventory(req: webob.Request, uuid: str,
                     resource_class: str) -> webob.Response:
    """DELETE .../inventories/{class}: 204. 404 if the provider or that
    inventory is missing; 409 inventory.inuse when it has allocations."""
    ctx = request.context(req)
    ctx.can(policies.DELETE)
    inv_obj.delete(ctx, uuid, resource_class)
    return response.empty_response(204)
