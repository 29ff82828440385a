"""Handlers for /resource_providers/{uuid}/usages and /usages."""

import webob

from placement import request
from placement import response
from placement.objects import usage as usage_obj
from placement.policies import usage as policies
from placement.schemas import usage as schemas


def list_usages(req: webob.Request, uuid: str) -> webob.Response:
    """GET /resource_providers/{uuid}/usages: 200
    {resource_provider_generation, usages: {class: amount}} covering every
    class the provider has inventory of; 404 if no such provider."""
    ctx = request.context(req)
    ctx.can(policies.PROVIDER_USAGES)
    provider, usages = usage_obj.for_provider(ctx, uuid)
    return response.json_response(req, {
        'resource_provider_generation': provider.generation,
        'usages': usages})


def get_total_usages(req: webob.Request) -> webob.Response:
    """GET /usages?project_id=[&user_id=] (1.9; 404 before): 200 {usages:
    {class: amount}}; from 1.38 {usages: {consumer type: {consumer_count,
    class: amount}}}, optionally for one consumer_type (or "all",
    "unknown"). 400 for a missing project_id or any other bad parameter;
    403 unless the caller may see that project's usages."""
    request.require_version(req, (1, 9))
    want = request.version(req)
    by_type = want.matches((1, 38))
    params = request.query(req, schemas.TOTAL_USAGES_QUERY_1_38 if by_type
                           else schemas.TOTAL_USAGES_QUERY)
    ctx = request.context(req)
    ctx.can(policies.TOTAL_USAGES, {'project_id': params['project_id']})
    usages: dict[str, int] | dict[str, dict[str, int]]
    if by_type:
        usages = usage_obj.for_project_by_type(
            ctx, params['project_id'], params.get('user_id'),
            params.get('consumer_type'))
    else:
        usages = usage_obj.for_project(ctx, params['project_id'],
                                       params.get('user_id'))
    return response.json_response(req, {'usages': usages})
