"""Handler for POST /reshaper."""

import webob

from placement import request
from placement import response
from placement.handlers import allocation as alloc_handler
from placement.objects import reshaper as reshaper_obj
from placement.objects import resource_provider as rp_obj
from placement.policies import reshaper as policies
from placement.schemas import reshaper as schemas


def reshape(req: webob.Request) -> webob.Response:
    """POST /reshaper (1.30): set the complete inventories of some
    providers and the complete allocations of some consumers in one
    transaction.

    204 on success. 400: malformed body, unknown provider (code
    placement.resource_provider.not_found) or resource class. 409: a stale
    resource_provider_generation or consumer_generation
    (placement.concurrent_update), inventory removed while still allocated
    (placement.inventory.inuse), or allocations that do not fit the new
    inventory ("Unable to allocate inventory ...").
    """
    request.require_version(req, (1, 30))
    ctx = request.context(req)
    ctx.can(policies.RESHAPE)
    want = request.version(req)
    data = request.json_body(req, schemas.reshape(want))
    inventories = [
        reshaper_obj.NewInventory(
            rp_obj.canonical_uuid(rp_uuid),
            entry['resource_provider_generation'], entry['inventories'])
        for rp_uuid, entry in data['inventories'].items()]
    consumers = alloc_handler.consumers_from_body(data['allocations'], want)
    reshaper_obj.reshape(ctx, inventories, consumers)
    return response.empty_response(204)
