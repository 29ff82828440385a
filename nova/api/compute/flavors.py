"""/flavors and /flavors/{flavor_id}/os-extra_specs.

Non-admins see the public flavors and the private ones their project was
given; other flavors are 404 to them, as if they did not exist. From
2.55 flavor bodies carry the description (PUT /flavors/{id} changes
it); from 2.61 the full bodies carry the extra specs, for callers whose
policy lets them list extra specs.
"""

from typing import Any

from oslo_utils import strutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import flavors as schema
from nova.api import validation
from nova.compute import flavors as flavors_api
from nova.conf import CONF
from nova import exception
from nova.objects.flavor import Flavor
from nova import policy
from nova.policies import flavors as rules


def _basic(req: webob.Request, flavor: Flavor) -> dict:
    out: dict[str, Any] = {'id': flavor.flavorid, 'name': flavor.name,
           'links': common.links(req, 'flavors', flavor.flavorid)}
    if common.version(req).matches((2, 55)):
        out['description'] = flavor.description
    return out


def _with_specs(req: webob.Request) -> bool:
    """Whether full flavor bodies carry extra specs (2.61, policy)."""
    if not common.version(req).matches((2, 61)):
        return False
    try:
        policy.authorize(common.context(req), rules.SPECS_INDEX)
    except exception.PolicyNotAuthorized:
        return False
    return True


def _detail(req: webob.Request, flavor: Flavor,
            with_specs: bool | None = None) -> dict:
    """The full body; `with_specs` as _with_specs (asked if None)."""
    out = {
        'id': flavor.flavorid,
        'name': flavor.name,
        'ram': flavor.memory_mb,
        'disk': flavor.root_gb,
        # Upstream has always shown a swap of 0 as "" (until 2.75).
        'swap': flavor.swap or '',
        'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeral_gb,
        'OS-FLV-DISABLED:disabled': flavor.disabled,
        'vcpus': flavor.vcpus,
        'os-flavor-access:is_public': flavor.is_public,
        'rxtx_factor': flavor.rxtx_factor or '',
        'links': common.links(req, 'flavors', flavor.flavorid),
    }
    if common.version(req).matches((2, 55)):
        out['description'] = flavor.description
    if _with_specs(req) if with_specs is None else with_specs:
        out['extra_specs'] = dict(flavor.extra_specs)
    return out


# -- listing


def _int_param(req: webob.Request, name: str) -> int | None:
    value = req.GET.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise fault.bad_request('Invalid %s filter [%s]' % (name, value))


def _is_public(value: str | None) -> bool | None:
    if value is None:
        return True
    if value.lower() == 'none':
        return None
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise fault.bad_request('Invalid is_public filter [%s]' % value)


def _list(req: webob.Request, collection: str, view) -> webob.Response:
    ctx = common.context(req)
    sort_key = req.GET.get('sort_key') or 'flavorid'
    if sort_key not in flavors_api.SORT_KEYS:
        raise fault.bad_request('Sort key supplied is invalid: %s' % sort_key)
    sort_dir = req.GET.get('sort_dir') or 'asc'
    if sort_dir not in ('asc', 'desc'):
        raise fault.bad_request(
            "Unknown sort direction, must be 'desc' or 'asc'")
    # Only administrators choose: a non-admin's is_public, even a bad
    # one, is ignored.
    is_public = (_is_public(req.GET.get('is_public')) if ctx.is_admin
                 else True)
    limit = common.limit_param(req, CONF.api.max_limit)
    found = flavors_api.list_flavors(
        ctx, is_public=is_public,
        min_memory_mb=_int_param(req, 'minRam') or 0,
        min_root_gb=_int_param(req, 'minDisk') or 0,
        sort_key=sort_key, sort_dir=sort_dir, limit=limit,
        marker=req.GET.get('marker'))
    body = {'flavors': [view(req, f) for f in found]}
    if limit and len(found) == limit:
        body['flavors_links'] = common.next_link(req, collection,
                                                 found[-1].flavorid)
    return common.json_response(body)


def index(req: webob.Request) -> webob.Response:
    """200: id, name and links of each flavor the caller may use. Query:
    is_public (admins: true|false|none), minRam, minDisk, sort_key,
    sort_dir, limit, marker; 400 on a bad value or an unknown marker."""
    return _list(req, 'flavors', _basic)


def detail(req: webob.Request) -> webob.Response:
    """200: as index, with every field of each flavor."""
    with_specs = _with_specs(req)
    return _list(req, 'flavors/detail',
                 lambda r, f: _detail(r, f, with_specs))


def show(req: webob.Request, flavor_id: str) -> webob.Response:
    """200 with the flavor; 404 if it does not exist (or is private)."""
    flavor = flavors_api.get(common.context(req), flavor_id)
    return common.json_response({'flavor': _detail(req, flavor)})


# -- managing (admins)


def create(req: webob.Request) -> webob.Response:
    """200 with the new flavor; 400 bad body, 403 not admin, 409 a flavor
    with that name or id exists."""
    values = validation.body(
        req, schema.create_schema(common.version(req)))['flavor']
    ctx = common.context(req)
    policy.authorize(ctx, rules.MANAGE_CREATE)
    flavorid = values.get('id')
    flavor = flavors_api.create(
        ctx, values['name'], memory_mb=int(values['ram']),
        vcpus=int(values['vcpus']), root_gb=int(values['disk']),
        ephemeral_gb=int(values.get('OS-FLV-EXT-DATA:ephemeral', 0)),
        swap=int(values.get('swap', 0)),
        rxtx_factor=float(values.get('rxtx_factor', 1.0)),
        is_public=strutils.bool_from_string(
            values.get('os-flavor-access:is_public', True), strict=True),
        flavorid=str(flavorid) if flavorid is not None else None,
        description=values.get('description'))
    return common.json_response({'flavor': _detail(req, flavor)})


def update(req: webob.Request, flavor_id: str) -> webob.Response:
    """2.55+ (404 before): set the description, 200 with the flavor; 400
    bad body, 403 not admin, 404 no such flavor."""
    if not common.version(req).matches((2, 55)):
        raise fault.not_found()
    body = validation.body(req, schema.update)
    ctx = common.context(req)
    policy.authorize(ctx, rules.MANAGE_UPDATE)
    flavor = flavors_api.update_description(
        ctx, flavor_id, body['flavor']['description'])
    return common.json_response({'flavor': _detail(req, flavor)})


def delete(req: webob.Request, flavor_id: str) -> webob.Response:
    """202; 403 not admin, 404 no such flavor."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.MANAGE_DELETE)
    flavors_api.delete(ctx, flavor_id)
    return common.empty(202)


# -- extra specs


def list_extra_specs(req: webob.Request, flavor_id: str) -> webob.Response:
    """200 {"extra_specs": {...}}; 404 no such flavor."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.SPECS_INDEX)
    flavor = flavors_api.get(ctx, flavor_id)
    return common.json_response({'extra_specs': flavor.extra_specs})


def show_extra_spec(req: webob.Request, flavor_id: str,
                    key: str) -> webob.Response:
    """200 {key: value}; 404 no such flavor or key."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.SPECS_SHOW)
    value = flavors_api.get_extra_spec(ctx, flavor_id, key)
    return common.json_response({key: value})


def create_extra_specs(req: webob.Request, flavor_id: str) -> webob.Response:
    """200 echoing the body; keys not named stay as they were. 400 bad
    body, 403 not admin, 404 no such flavor."""
    body = validation.body(req, schema.extra_specs_create)
    ctx = common.context(req)
    policy.authorize(ctx, rules.SPECS_CREATE)
    flavors_api.update_extra_specs(ctx, flavor_id, body['extra_specs'])
    return common.json_response(body)


def update_extra_spec(req: webob.Request, flavor_id: str,
                      key: str) -> webob.Response:
    """200 echoing the body {key: value}; 400 if the body names another
    key, 403 not admin, 404 no such flavor."""
    body = validation.body(req, schema.extra_spec_update)
    ctx = common.context(req)
    policy.authorize(ctx, rules.SPECS_UPDATE)
    if key not in body:
        raise fault.bad_request('Request body and URI mismatch')
    flavors_api.update_extra_specs(ctx, flavor_id, body)
    return common.json_response(body)


def delete_extra_spec(req: webob.Request, flavor_id: str,
                      key: str) -> webob.Response:
    """200 (empty body, as upstream); 403 not admin, 404 no such flavor
    or key."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.SPECS_DELETE)
    flavors_api.delete_extra_spec(ctx, flavor_id, key)
    return common.empty(200)


# -- access to private flavors


def _access_list(flavor: Flavor, projects: list[str]) -> webob.Response:
    return common.json_response({'flavor_access': [
        {'flavor_id': flavor.flavorid, 'tenant_id': p} for p in projects]})


def list_access(req: webob.Request, flavor_id: str) -> webob.Response:
    """200 {"flavor_access": [{flavor_id, tenant_id}]}; 404 for a public
    flavor (it has no list) or one the caller cannot see."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.ACCESS_INDEX)
    return _access_list(*flavors_api.list_access(ctx, flavor_id))


def action(req: webob.Request, flavor_id: str) -> webob.Response:
    """addTenantAccess / removeTenantAccess: 200 with the new access list;
    403 not admin, 404 no flavor (or no such access to remove), 409
    access exists already or (2.7+) the flavor is public."""
    body = validation.body(req, {'oneOf': list(
        schema.ACCESS_ACTIONS.values())})
    ctx = common.context(req)
    name, args = next(iter(body.items()))
    adding = name == 'addTenantAccess'
    policy.authorize(ctx, rules.ACCESS_ADD if adding else rules.ACCESS_REMOVE)
    if adding:
        # From 2.7 a public flavor is refused; before, the grant is kept
        # though it changes nothing.
        granted = flavors_api.add_access(
            ctx, flavor_id, args['tenant'],
            public_allowed=not common.version(req).matches((2, 7)))
    else:
        granted = flavors_api.remove_access(ctx, flavor_id, args['tenant'])
    return _access_list(*granted)
