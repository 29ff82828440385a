"""Handlers for /allocations, /allocations/{consumer_uuid} and
/resource_providers/{uuid}/allocations."""

import webob

from placement import conf
from placement import errors
from placement import request
from placement import response
from placement.microversion import Version
from placement.objects import allocation as alloc_obj
from placement.objects import resource_provider as rp_obj
from placement.policies import allocation as policies
from placement.schemas import allocation as schemas


def list_for_consumer(req: webob.Request,
                      consumer_uuid: str) -> webob.Response:
    """GET /allocations/{consumer_uuid}: 200 with the consumer's allocations
    by provider (with each provider's generation), plus project_id and
    user_id (1.12), consumer_generation (1.28) and consumer_type (1.38) when
    it has any. An unknown consumer is {"allocations": {}}, not a 404."""
    ctx = request.context(req)
    ctx.can(policies.LIST)
    want = request.version(req)
    view = alloc_obj.for_consumer(ctx, _lenient_uuid(consumer_uuid))
    body: dict = {'allocations': view.allocations}
    if view.allocations and want.matches((1, 12)):
        body['project_id'] = view.project_id
        body['user_id'] = view.user_id
        if want.matches((1, 28)):
            body['consumer_generation'] = view.generation
        if want.matches((1, 38)):
            body['consumer_type'] = view.consumer_type
    return response.json_response(req, body, last_modified=view.last_modified)


def set_allocations_for_consumer(req: webob.Request,
                                 consumer_uuid: str) -> webob.Response:
    """PUT /allocations/{consumer_uuid}: replace the consumer's allocations.

    204 on success. 400: malformed body or consumer uuid, an unknown
    resource class or provider. 409: a class missing from the provider's
    inventory, an amount beyond capacity or outside min/max/step
    ("Unable to allocate inventory ..."); or, with code
    placement.concurrent_update, a consumer_generation (1.28) that is not
    the consumer's (null for a new one), or providers that kept changing
    under concurrent writers. From 1.28 an empty allocations dict removes
    them all.
    """
    ctx = request.context(req)
    ctx.can(policies.UPDATE)
    want = request.version(req)
    try:
        consumer_uuid = rp_obj.canonical_uuid(consumer_uuid)
    except ValueError:
        raise errors.BadRequest('Malformed consumer_uuid: %s' % consumer_uuid)
    data = request.json_body(req, schemas.put_allocations(want))
    if not want.matches((1, 12)):
        data['allocations'] = _from_list(data['allocations'])
    alloc_obj.replace_all(ctx, [_consumer(consumer_uuid, data, want)])
    return response.empty_response(204)


def set_allocations(req: webob.Request) -> webob.Response:
    """POST /allocations (1.13): replace the allocations of several
    consumers at once, all or nothing; an empty allocations dict removes a
    consumer's allocations. 204 on success; 400 and 409 as for
    PUT /allocations/{consumer_uuid}."""
    request.require_version(req, (1, 13))
    ctx = request.context(req)
    ctx.can(policies.MANAGE)
    want = request.version(req)
    data = request.json_body(req, schemas.consumers(want))
    alloc_obj.replace_all(ctx, consumers_from_body(data, want))
    return response.empty_response(204)


def delete_allocations(req: webob.Request,
                       consumer_uuid: str) -> webob.Response:
    """DELETE /allocations/{consumer_uuid}: 204 once the consumer's
    allocations (and its record) are gone; 404 when it has none."""
    ctx = request.context(req)
    ctx.can(policies.DELETE)
    alloc_obj.delete_for_consumer(ctx, _lenient_uuid(consumer_uuid))
    return response.empty_response(204)


def list_for_resource_provider(req: webob.Request,
                               uuid: str) -> webob.Response:
    """GET /resource_providers/{uuid}/allocations: 200 with the provider's
    allocations keyed by consumer and its generation; 404 for an unknown
    provider."""
    ctx = request.context(req)
    ctx.can(policies.RP_ALLOC_LIST)
    view = alloc_obj.for_provider(ctx, uuid)
    return response.json_response(
        req, {'allocations': view.allocations,
              'resource_provider_generation': view.generation},
        last_modified=view.last_modified)


def consumers_from_body(data: dict,
                        want: Version) -> list[alloc_obj.ConsumerAllocations]:
    """The consumers of a validated {consumer_uuid: body} document (POST
    /allocations, and the allocations of POST /reshaper)."""
    return [_consumer(rp_obj.canonical_uuid(uuid), body, want)
            for uuid, body in data.items()]


def _consumer(consumer_uuid: str, body: dict,
              want: Version) -> alloc_obj.ConsumerAllocations:
    """One consumer's validated dict-format body as the object layer
    takes it. Before 1.8 the body names no project or user: the consumer
    gets the configured placeholders for "incomplete" consumers."""
    options = conf.CONF.placement
    return alloc_obj.ConsumerAllocations(
        uuid=consumer_uuid,
        project_id=body.get('project_id',
                            options.incomplete_consumer_project_id),
        user_id=body.get('user_id', options.incomplete_consumer_user_id),
        resources={rp_obj.canonical_uuid(rp_uuid): entry['resources']
                   for rp_uuid, entry in body['allocations'].items()},
        generation=body.get('consumer_generation'),
        check_generation=want.matches((1, 28)),
        consumer_type=body.get('consumer_type'))


def _from_list(items: list) -> dict:
    """The list format (before 1.12) in the dict format's shape; a
    provider listed twice has its amounts added up."""
    by_provider: dict = {}
    for item in items:
        resources = by_provider.setdefault(
            item['resource_provider']['uuid'], {'resources': {}})['resources']
        for name, amount in item['resources'].items():
            resources[name] = resources.get(name, 0) + amount
    return by_provider


def _lenient_uuid(value: str) -> str:
    """The canonical form of a consumer uuid, or the value as given when
    it is no uuid at all (it then matches nothing)."""
    try:
        return rp_obj.canonical_uuid(value)
    except ValueError:
        return value
