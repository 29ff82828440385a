"""Handlers for /resource_providers/{uuid}/aggregates (1.1+)."""

from typing import Any

import webob

from placement import request
from placement import response
from placement.objects import aggregate as agg_obj
from placement.objects import resource_provider as rp_obj
from placement.policies import aggregate as policies
from placement.schemas import aggregate as schemas


def _aggregates_response(req: webob.Request, provider: rp_obj.Provider,
                         uuids: list[str]) -> webob.Response:
    body: dict[str, Any] = {'aggregates': uuids}
    if request.version(req).matches((1, 19)):
        body['resource_provider_generation'] = provider.generation
    return response.json_response(req, body)


def get_aggregates(req: webob.Request, uuid: str) -> webob.Response:
    """GET: 200 {aggregates: [uuid...]} (with resource_provider_generation
    from 1.19); 404 if no such provider, or below 1.1."""
    request.require_version(req, (1, 1))
    ctx = request.context(req)
    ctx.can(policies.LIST)
    provider, uuids = agg_obj.list_for_provider(ctx, uuid)
    return _aggregates_response(req, provider, uuids)


def set_aggregates(req: webob.Request, uuid: str) -> webob.Response:
    """PUT: 200 with the provider's new aggregates, which replace the old.
    The body is a list of uuids before 1.19, and from 1.19
    {aggregates, resource_provider_generation}: 409 concurrent_update when
    that generation is stale, and a success bumps it. 400 for a bad body;
    404 if no such provider, or below 1.1."""
    request.require_version(req, (1, 1))
    ctx = request.context(req)
    ctx.can(policies.UPDATE)
    with_generation = request.version(req).matches((1, 19))
    # An unknown provider is a 404 whatever the body says.
    rp_obj.show(ctx, uuid)
    data = request.json_body(
        req, schemas.SET_1_19 if with_generation else schemas.AGGREGATES)
    if with_generation:
        uuids, generation = (data['aggregates'],
                             data['resource_provider_generation'])
    else:
        uuids, generation = data, None
    provider = agg_obj.set_for_provider(ctx, uuid, uuids, generation)
    return _aggregates_response(req, provider, uuids)
