"""/servers/{server_id}/os-volume_attachments: a server's Cinder volumes.

POST attaches (200 with the attachment; the compute connects the volume
afterwards, so the volume is 'reserved' or 'attaching' until it is
'in-use'), DELETE detaches (202), PUT swaps the volume for another
(202, admin). 404: no such server, volume or attachment; 400: the volume
cannot be attached (in use and not multiattach, already attached here, a
bad device) or is the boot volume; 409: the server's state or lock
forbids it, or its host cannot share a multiattach volume.
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.api.schemas import volume_attachments as schema
from nova.api import validation
from nova.compute import volumes
from nova.objects.block_device import BlockDeviceMapping
from nova.policies import volume_attachments as rules
from nova import policy


def _view(req: webob.Request, bdm: BlockDeviceMapping) -> dict[str, Any]:
    out = {'id': bdm.volume_id, 'volumeId': bdm.volume_id,
           'serverId': bdm.instance_uuid, 'device': bdm.device_name}
    if common.version(req).matches((2, 70)):
        out['tag'] = bdm.tag
    return out


def index(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"volumeAttachments": [...]}, paged with limit and offset."""
    ctx = common.context(req)
    server = servers.get_authorized(ctx, rules.INDEX, server_id)
    found = volumes.list_for_server(ctx, server_id, server)
    offset = common.count_param(req, 'offset') or 0
    limit = common.count_param(req, 'limit')
    page = found[offset:None if limit is None else offset + limit]
    return common.json_response(
        {'volumeAttachments': [_view(req, b) for b in page]})


def show(req: webob.Request, server_id: str,
         volume_id: str) -> webob.Response:
    """200 {"volumeAttachment": {...}}; 404 if the volume is not
    attached to the server."""
    ctx = common.context(req)
    server = servers.get_authorized(ctx, rules.SHOW, server_id)
    bdm = volumes.get(ctx, server_id, volume_id, server)
    return common.json_response({'volumeAttachment': _view(req, bdm)})


def create(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"volumeAttachment": {...}} with the device picked."""
    ctx = common.context(req)
    version = common.version(req)
    body = validation.body(req, schema.create_schema(version))
    wanted = body['volumeAttachment']
    servers.get_authorized(ctx, rules.CREATE, server_id)
    bdm = volumes.attach(ctx, server_id, wanted['volumeId'],
                         device=wanted.get('device'),
                         tag=wanted.get('tag'),
                         multiattach_allowed=version.matches((2, 60)))
    return common.json_response({'volumeAttachment': _view(req, bdm)})


def delete(req: webob.Request, server_id: str,
           volume_id: str) -> webob.Response:
    """202: the compute detaches the volume."""
    ctx = common.context(req)
    servers.get_authorized(ctx, rules.DELETE, server_id)
    volumes.detach(ctx, server_id, volume_id)
    return common.empty(202)


def update(req: webob.Request, server_id: str,
           volume_id: str) -> webob.Response:
    """202: the compute swaps the attached volume `volume_id` for
    volumeAttachment.volumeId. 404: no such server, or `volume_id` is
    not attached to it; 400: the new volume does not exist, is attached
    or smaller; 409: the server's state or lock."""
    ctx = common.context(req)
    body = validation.body(req, schema.update_schema())
    # An admin's: policy before the lookup, so others get its 403.
    policy.authorize(ctx, rules.SWAP)
    volumes.swap(ctx, server_id, volume_id,
                 body['volumeAttachment']['volumeId'])
    return common.empty(202)
