"""/servers/{server_id}/metadata: a server's key/value metadata.

Changing it needs the server active, paused, suspended or stopped with no
task under way (409 otherwise, or when locked); more items than the
metadata_items quota is a 403.
"""

import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import server_metadata as schema
from nova.api import validation
from nova.compute import api as compute_api
from nova import policy
from nova.policies import server_metadata as rules


def _metadata(req: webob.Request, server_id: str, rule: str) -> dict:
    ctx = common.context(req)
    server = compute_api.get(ctx, server_id)
    policy.authorize(ctx, rule, {'project_id': server.instance.project_id,
                                 'user_id': server.instance.user_id})
    return server.instance.metadata


def index(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"metadata": {...}}; 404 no such server."""
    return common.json_response(
        {'metadata': _metadata(req, server_id, rules.INDEX)})


def show(req: webob.Request, server_id: str, key: str) -> webob.Response:
    """200 {"meta": {key: value}}; 404 no such server or key."""
    metadata = _metadata(req, server_id, rules.SHOW)
    if key not in metadata:
        raise fault.not_found('Metadata item was not found')
    return common.json_response({'meta': {key: metadata[key]}})


def create(req: webob.Request, server_id: str) -> webob.Response:
    """200 with all the metadata after merging the body's items."""
    body = validation.body(req, schema.create)
    _metadata(req, server_id, rules.CREATE)
    merged = compute_api.set_metadata(common.context(req), server_id,
                                      body['metadata'], replace=False)
    return common.json_response({'metadata': merged})


def update_all(req: webob.Request, server_id: str) -> webob.Response:
    """200 with the body's metadata, which replaces all of it."""
    body = validation.body(req, schema.update_all)
    _metadata(req, server_id, rules.UPDATE_ALL)
    result = compute_api.set_metadata(common.context(req), server_id,
                                      body['metadata'], replace=True)
    return common.json_response({'metadata': result})


def update(req: webob.Request, server_id: str, key: str) -> webob.Response:
    """200 {"meta": {key: value}}; 400 if the body names another key."""
    body = validation.body(req, schema.update)
    if key not in body['meta']:
        raise fault.bad_request('Request body and URI mismatch')
    _metadata(req, server_id, rules.UPDATE)
    compute_api.set_metadata(common.context(req), server_id, body['meta'],
                             replace=False)
    return common.json_response({'meta': body['meta']})


def delete(req: webob.Request, server_id: str, key: str) -> webob.Response:
    """204; 404 no such server or key."""
    metadata = _metadata(req, server_id, rules.DELETE)
    if key not in metadata:
        raise fault.not_found('Metadata item was not found')
    compute_api.delete_metadata_key(common.context(req), server_id, key)
    return common.empty(204)
