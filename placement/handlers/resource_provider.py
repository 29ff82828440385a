"""Handlers for /resource_providers and /resource_providers/{uuid}."""

import webob

from placement import query
from placement import request
from placement import response
from placement.objects import resource_provider as rp_obj
from placement.policies import resource_provider as policies
from placement.schemas import resource_provider as schemas


def provider_url(req: webob.Request, uuid: str) -> str:
    return '%s/resource_providers/%s' % (req.script_name, uuid)


def _links(req: webob.Request, uuid: str, want) -> list[dict]:
    base = provider_url(req, uuid)
    rels = ['self', 'inventories', 'usages']
    if want.matches((1, 1)):
        rels.append('aggregates')
    if want.matches((1, 6)):
        rels.append('traits')
    if want.matches((1, 11)):
        rels.append('allocations')
    return [{'rel': rel, 'href': base if rel == 'self' else
             '%s/%s' % (base, rel)} for rel in rels]


def _serialize(req: webob.Request, provider: rp_obj.Provider, want) -> dict:
    body = {
        'uuid': provider.uuid,
        'name': provider.name,
        'generation': provider.generation,
        'links': _links(req, provider.uuid, want),
    }
    if want.matches((1, 14)):
        body['parent_provider_uuid'] = provider.parent_uuid
        body['root_provider_uuid'] = provider.root_uuid
    return body


def _provider_response(req: webob.Request, provider: rp_obj.Provider,
                       status: int = 200) -> webob.Response:
    return response.json_response(
        req, _serialize(req, provider, request.version(req)), status=status,
        last_modified=provider.last_modified)


def _list_filters(req: webob.Request, want) -> rp_obj.ListFilters:
    # A repeated key counts once (its last value) except where the
    # parsers below take every value.
    params = dict(req.GET.items())
    request.validate(params, schemas.list_query(want),
                     'Invalid query string parameters')
    filters = rp_obj.ListFilters(name=params.get('name'),
                                 uuid=params.get('uuid'),
                                 in_tree=params.get('in_tree'))
    if 'resources' in params:
        filters.resources = query.parse_resources(params['resources'], want)
    if 'required' in params:
        filters.traits = query.parse_required(req.GET.getall('required'),
                                              want)
    if 'member_of' in params:
        filters.member_of = query.parse_member_of(
            req.GET.getall('member_of'), want)
    return filters


def list_resource_providers(req: webob.Request) -> webob.Response:
    """GET /resource_providers: 200 with the providers that match every
    filter (name, uuid; member_of 1.3; resources 1.4; in_tree 1.14;
    required 1.18). 400 for a parameter the microversion lacks, or a
    malformed value or unknown resource class or trait."""
    ctx = request.context(req)
    ctx.can(policies.LIST)
    want = request.version(req)
    providers = rp_obj.list_providers(ctx, _list_filters(req, want))
    body = {'resource_providers': [_serialize(req, p, want)
                                   for p in providers]}
    return response.json_response(req, body, last_modified=response.newest(
        *(p.last_modified for p in providers)))


def create_resource_provider(req: webob.Request) -> webob.Response:
    """POST /resource_providers: 201 with a Location and no body before
    1.20; 200 with the provider (and the Location) from 1.20.
    400 for a bad body or parent; 409 (placement.duplicate_name) when the
    name or uuid is taken."""
    ctx = request.context(req)
    ctx.can(policies.CREATE)
    want = request.version(req)
    data = request.json_body(
        req, schemas.CREATE_1_14 if want.matches((1, 14)) else schemas.CREATE)
    provider = rp_obj.create(ctx, data['name'], data.get('uuid'),
                             data.get('parent_provider_uuid'))
    if want.matches((1, 20)):
        resp = _provider_response(req, provider)
    else:
        resp = response.empty_response(201)
    resp.location = provider_url(req, provider.uuid)
    return resp


def get_resource_provider(req: webob.Request, uuid: str) -> webob.Response:
    """GET /resource_providers/{uuid}: 200 with the provider, 404 if none."""
    ctx = request.context(req)
    ctx.can(policies.SHOW)
    return _provider_response(req, rp_obj.show(ctx, uuid))


def update_resource_provider(req: webob.Request,
                             uuid: str) -> webob.Response:
    """PUT /resource_providers/{uuid}: 200 with the renamed (from 1.14,
    possibly re-parented) provider. 400 for a bad body or parent (changing
    an existing parent needs 1.37); 404 if no such provider; 409
    (placement.duplicate_name) when another provider has the name."""
    ctx = request.context(req)
    ctx.can(policies.UPDATE)
    want = request.version(req)
    data = request.json_body(
        req, schemas.UPDATE_1_14 if want.matches((1, 14)) else schemas.UPDATE)
    provider = rp_obj.update(
        ctx, uuid, data['name'],
        data.get('parent_provider_uuid', rp_obj.UNSET),
        allow_reparent=want.matches((1, 37)))
    return _provider_response(req, provider)


def delete_resource_provider(req: webob.Request,
                             uuid: str) -> webob.Response:
    """DELETE /resource_providers/{uuid}: 204. 404 if no such provider;
    409 placement.resource_provider.inuse when it has allocations,
    placement.resource_provider.cannot_delete_parent when it has
    children."""
    ctx = request.context(req)
    ctx.can(policies.DELETE)
    rp_obj.delete(ctx, uuid)
    return response.empty_response(204)
