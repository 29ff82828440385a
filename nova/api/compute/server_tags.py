"""/servers/{server_id}/tags (2.26+; 404 before): a server's tags.

Changing them needs the server in a stable, scheduled state (409
otherwise: e.g. while it is still being built).
"""

import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.api import fault
from nova.api.schemas import server_tags as schema
from nova.api.schemas import servers as server_schema
from nova.api import validation
from nova.compute import api as compute_api
from nova.policies import server_tags as rules


def _tags(req: webob.Request, server_id: str, rule: str) -> list[str]:
    if not common.version(req).matches((2, 26)):
        raise fault.not_found()
    return servers.get_authorized(common.context(req), rule,
                                  server_id).instance.tags


def index(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"tags": [...]}."""
    return common.json_response(
        {'tags': _tags(req, server_id, rules.INDEX)})


def show(req: webob.Request, server_id: str, tag: str) -> webob.Response:
    """204 if the server has the tag, 404 if not."""
    if tag not in _tags(req, server_id, rules.SHOW):
        raise fault.not_found('Server %s has no tag %s' % (server_id, tag))
    return common.empty(204)


def update(req: webob.Request, server_id: str, tag: str) -> webob.Response:
    """201 (tag added, Location header) or 204 (it was there); 400 a bad
    tag or one too many."""
    _tags(req, server_id, rules.UPDATE)
    validation.validate(tag, server_schema.TAG)
    added = compute_api.add_tag(common.context(req), server_id, tag)
    resp = common.empty(201 if added else 204)
    resp.headers['Location'] = '%s/servers/%s/tags/%s' % (
        req.application_url, server_id, tag)
    return resp


def update_all(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"tags": [...]}: the body's tags replace the server's."""
    body = validation.body(req, schema.update_all)
    _tags(req, server_id, rules.UPDATE_ALL)
    tags = compute_api.set_tags(common.context(req), server_id,
                                body['tags'])
    return common.json_response({'tags': tags})


def delete(req: webob.Request, server_id: str, tag: str) -> webob.Response:
    """204; 404 the server has no such tag."""
    _tags(req, server_id, rules.DELETE)
    compute_api.delete_tag(common.context(req), server_id, tag)
    return common.empty(204)


def delete_all(req: webob.Request, server_id: str) -> webob.Response:
    """204: the server has no tags left."""
    _tags(req, server_id, rules.DELETE_ALL)
    compute_api.set_tags(common.context(req), server_id, [])
    return common.empty(204)
