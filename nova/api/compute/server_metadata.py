"""/servers/{server_id}/metadata: a server's key/value metadata.

Changing it needs the server active, paused, suspended or stopped with no
task under way (409 otherwise, or when locked); more items than the
metadata_items quota is a 403.
"""

import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.api import fault
from nova.api.schemas import server_metadata as schema
from nova.api import validation
from nova.compute import api as compute_api
from nova.policies import server_metadata as rules


def _metadata(req: webob.Request, server_id: str, rule: str) -> dict:
    return servers.get_authorized(common.context(req), rule,
                                  server_id).instance.metadata


def _set(req: webob.Request, server_id: str, body_schema: dict, rule: str,
         replace: bool) -> webob.Response:
    """200 with all the metadata once the body's items are merged in
    (or, with `replace`, have replaced it)."""
    body = validation.body(req, body_schema)
    _metadata(req, server_id, rule)
    result = compute_api.set_metadata(common.context(req), server_id,
                                      body['metadata'], replace=replace)
    return common.json_response({'metadata': result})


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
    return _set(req, server_id, schema.create, rules.CREATE, replace=False)


def update_all(req: webob.Request, server_id: str) -> webob.Response:
    """200 with the body's metadata, which replaces all of it."""
    return _set(req, server_id, schema.update_all, rules.UPDATE_ALL,
                replace=True)


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
