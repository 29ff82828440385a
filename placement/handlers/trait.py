"""Handlers for /traits and /resource_providers/{uuid}/traits (1.6+)."""

import webob

from placement import errors
from placement import request
from placement import response
from placement.objects import trait as trait_obj
from placement.policies import trait as policies
from placement.schemas import trait as schemas

_TRAITS_VERSION = (1, 6)
_BAD_NAME = ('The trait is invalid. A valid trait must be no longer than '
             '255 characters, start with the prefix "CUSTOM_" and use '
             'following characters: "A"-"Z", "0"-"9" and "_"')


def _empty(req: webob.Request, status: int,
           last_modified) -> webob.Response:
    """A bodiless answer that still carries the 1.15 caching headers."""
    resp = response.empty_response(status)
    response.set_cache_headers(req, resp, last_modified)
    return resp


def _parse_name_filter(value: str) -> dict:
    """{'names': [...]} for "in:A,B", {'prefix': P} for "startswith:P"."""
    op, sep, operand = value.partition(':')
    if sep and op == 'in':
        return {'names': [n for n in operand.split(',') if n]}
    if sep and op == 'startswith':
        return {'prefix': operand}
    raise errors.BadRequest(
        'Badly formatted name parameter. Expected name query string '
        'parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. '
        'Got: "%s"' % value)


def _parse_associated(value: str) -> bool:
    if value not in ('true', 'false'):
        raise errors.BadRequest('The query parameter "associated" only '
                                'accepts "true" or "false"')
    return value == 'true'


def list_traits(req: webob.Request) -> webob.Response:
    """GET /traits[?name=in:A,B|startswith:P][&associated=true|false]:
    200 {"traits": [names]}; 400 for a malformed or unknown parameter."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.LIST)
    params = request.query(req, schemas.LIST_TRAITS_QUERY)
    filters = {}
    if 'name' in params:
        filters.update(_parse_name_filter(params['name']))
    if 'associated' in params:
        filters['associated'] = _parse_associated(params['associated'])
    names, changed = trait_obj.list_traits(ctx, **filters)
    return response.json_response(req, {'traits': names},
                                  last_modified=changed)


def get_trait(req: webob.Request, name: str) -> webob.Response:
    """GET /traits/{name}: 204 when the trait exists, 404 when not."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.SHOW)
    changed = trait_obj.changed_at(ctx, name)
    return _empty(req, 204, changed)


def put_trait(req: webob.Request, name: str) -> webob.Response:
    """PUT /traits/{name}: 201 when the custom trait was created, 204 when
    it already existed; 400 for a name that is not a valid CUSTOM_ one."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.UPDATE)
    try:
        request.validate(name, schemas.CUSTOM_TRAIT)
    except errors.BadRequest:
        raise errors.BadRequest(_BAD_NAME)
    created, changed = trait_obj.ensure(ctx, name)
    resp = _empty(req, 201 if created else 204, changed)
    resp.location = '%s/traits/%s' % (req.script_name, name)
    return resp


def delete_trait(req: webob.Request, name: str) -> webob.Response:
    """DELETE /traits/{name}: 204; 404 for an unknown trait, 400 for a
    standard one, 409 while a resource provider has it."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.DELETE)
    trait_obj.delete(ctx, name)
    return response.empty_response(204)


def _provider_traits_response(req: webob.Request,
                              found: trait_obj.ProviderTraits
                              ) -> webob.Response:
    return response.json_response(
        req, {'traits': found.names,
              'resource_provider_generation': found.generation},
        last_modified=found.updated)


def list_traits_for_resource_provider(req: webob.Request,
                                      uuid: str) -> webob.Response:
    """GET /resource_providers/{uuid}/traits: 200 with the provider's
    traits and generation; 404 for an unknown provider."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.RP_LIST)
    found = trait_obj.provider_traits(ctx, uuid)
    return _provider_traits_response(req, found)


def update_traits_for_resource_provider(req: webob.Request,
                                        uuid: str) -> webob.Response:
    """PUT /resource_providers/{uuid}/traits: replace the provider's traits;
    200 with them and the new generation. 400 for a bad body or unknown
    traits, 404 for an unknown provider, 409 (placement.concurrent_update)
    when resource_provider_generation is not the provider's current one."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.RP_UPDATE)
    body = request.json_body(req, schemas.SET_PROVIDER_TRAITS)
    found = trait_obj.set_provider_traits(
        ctx, uuid, body['traits'],
        body['resource_provider_generation'])
    return _provider_traits_response(req, found)


def delete_traits_for_resource_provider(req: webob.Request,
                                        uuid: str) -> webob.Response:
    """DELETE /resource_providers/{uuid}/traits: remove all the provider's
    traits; 204. 404 for an unknown provider, 409 when another request
    changed the provider at the same time."""
    ctx = request.authorize(req, _TRAITS_VERSION, policies.RP_DELETE)
    trait_obj.set_provider_traits(ctx, uuid, [], None)
    return response.empty_response(204)
