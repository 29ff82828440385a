"""/os-keypairs: a user's key pairs, generated here (the private key is
shown once, in the create answer) or imported from a public key.

By microversion: 2.2 adds the key's type (ssh or x509), answers create
with 201 and delete with 204; 2.10 lets an administrator act on another
user's key pairs (user_id in the create body or the query); 2.35 pages
the list (limit, marker by name).
"""

import webob

from nova.api.compute import common
from nova.api.schemas import keypairs as schema
from nova.api import validation
from nova.compute import keypairs as keypairs_api
from nova.conf import CONF
from nova.objects.keypair import KeyPair
from nova.objects.keypair import TYPE_SSH
from nova import policy
from nova.policies import keypairs as rules


def _view(kp: KeyPair, typed: bool) -> dict:
    view = {'name': kp.name, 'public_key': kp.public_key,
            'fingerprint': kp.fingerprint}
    if typed:
        view['type'] = kp.type
    return view


def _owner(req: webob.Request, rule: str) -> str:
    """The user whose key pairs are meant (2.10: ?user_id=, else the
    caller), once the caller may act on them."""
    ctx = common.context(req)
    user_id = ctx.user_id
    if common.version(req).matches((2, 10)):
        user_id = req.GET.get('user_id') or user_id
    _authorize(ctx, rule, user_id)
    return user_id


def _authorize(ctx, rule: str, user_id: str) -> None:
    policy.authorize(ctx, rule, {'user_id': user_id,
                                 'project_id': ctx.project_id})


def index(req: webob.Request) -> webob.Response:
    """200 {"keypairs": [{"keypair": {...}}], "keypairs_links" (2.35, when
    a page is full)}; 400 for a bad limit or an unknown marker."""
    want = common.version(req)
    user_id = _owner(req, rules.INDEX)
    limit = marker = None
    if want.matches((2, 35)):
        limit = common.limit_param(req, CONF.api.max_limit)
        marker = req.GET.get('marker')
    found = keypairs_api.list_keypairs(common.context(req), user_id, limit,
                                       marker)
    typed = want.matches((2, 2))
    body = {'keypairs': [{'keypair': _view(kp, typed)} for kp in found]}
    if limit and len(found) == limit:
        body['keypairs_links'] = common.next_link(req, 'os-keypairs',
                                                  found[-1].name)
    return common.json_response(body)


def show(req: webob.Request, keypair_name: str) -> webob.Response:
    """200 {"keypair": {...}} with its id, user and timestamps; 404."""
    user_id = _owner(req, rules.SHOW)
    kp = keypairs_api.get(common.context(req), user_id, keypair_name)
    view = _view(kp, common.version(req).matches((2, 2)))
    # Key pairs are never soft-deleted here: a live one reads as such.
    view.update(id=kp.id, user_id=kp.user_id, deleted=False,
                deleted_at=None, created_at=common.usage_time(kp.created_at),
                updated_at=common.usage_time(kp.updated_at))
    return common.json_response({'keypair': view})


def delete(req: webob.Request, keypair_name: str) -> webob.Response:
    """202 (2.1) or 204; 404 if the user has no key pair of that name."""
    user_id = _owner(req, rules.DELETE)
    keypairs_api.delete(common.context(req), user_id, keypair_name)
    return common.empty(204 if common.version(req).matches((2, 2)) else 202)


def create(req: webob.Request) -> webob.Response:
    """Generate (answering the private key once) or import a key pair.

    200 (2.1) or 201 {"keypair": {...}}; 400 for a bad name or key, 403
    over the key_pairs quota or for another user without the right, 409
    if the user already has a key pair of that name."""
    ctx = common.context(req)
    want = common.version(req)
    body = validation.body(req, schema.create_v210 if want.matches((2, 10))
                           else schema.create_v22 if want.matches((2, 2))
                           else schema.create)
    params = body['keypair']
    user_id = params.get('user_id') or ctx.user_id
    _authorize(ctx, rules.CREATE, user_id)
    kp, private_key = keypairs_api.create(
        ctx, user_id, params['name'], params.get('type', TYPE_SSH),
        params.get('public_key'))
    view = _view(kp, want.matches((2, 2)))
    view['user_id'] = user_id
    if private_key is not None:
        view['private_key'] = private_key
    return common.json_response({'keypair': view},
                                201 if want.matches((2, 2)) else 200)

