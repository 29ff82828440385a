"""/os-volumes: the volume proxy onto Cinder (until 2.35; from 2.36 every
route answers 404). Volumes as Nova's v2 API showed them; 404 for a
volume Cinder does not know, 400 what Cinder refuses, 503 no Cinder."""

from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import volumes as schema
from nova.api import validation
from nova import policy
from nova.policies import volumes as rules
from nova.volume import cinder as volume_api


def _authorized(req: webob.Request, rule: str) -> Any:
    if common.version(req).matches((2, 36)):
        raise fault.not_found()
    ctx = common.context(req)
    policy.authorize(ctx, rule, {'project_id': ctx.project_id,
                                 'user_id': ctx.user_id})
    return ctx


def _attachments(volume: dict) -> list[dict]:
    # Upstream's proxy shows an unattached volume with one empty entry.
    return [{'id': volume['id'], 'volumeId': volume['id'],
             'serverId': a.get('server_id'), 'device': a.get('device')}
            for a in volume.get('attachments') or []] or [{}]


def _view(volume: dict, detailed: bool = True) -> dict:
    out = {'id': volume['id'], 'status': volume.get('status'),
           'size': volume.get('size'),
           'availabilityZone': volume.get('availability_zone'),
           'createdAt': volume.get('created_at'),
           'displayName': volume.get('name'),
           'displayDescription': volume.get('description'),
           'volumeType': volume.get('volume_type'),
           'snapshotId': volume.get('snapshot_id'),
           'metadata': volume.get('metadata') or {}}
    out['attachments'] = _attachments(volume) if detailed else [{}]
    return out


def index(req: webob.Request) -> webob.Response:
    """200 {"volumes": [...]}: the caller's volumes."""
    ctx = _authorized(req, rules.LIST)
    return common.json_response({'volumes': [
        _view(v) for v in volume_api.list_volumes(ctx)]})


def detail(req: webob.Request) -> webob.Response:
    """200 {"volumes": [...]}, as index."""
    ctx = _authorized(req, rules.DETAIL)
    return common.json_response({'volumes': [
        _view(v) for v in volume_api.list_volumes(ctx)]})


def show(req: webob.Request, volume_id: str) -> webob.Response:
    """200 {"volume": {...}}; 404 if Cinder does not know it."""
    ctx = _authorized(req, rules.SHOW)
    return common.json_response({'volume': _view(volume_api.get(
        ctx, volume_id))})


def create(req: webob.Request) -> webob.Response:
    """200 {"volume": {...}}: Cinder is making it ('creating')."""
    ctx = _authorized(req, rules.CREATE)
    wanted = validation.body(req, schema.create)['volume']
    made = volume_api.create(
        ctx, int(wanted['size']), wanted.get('display_name'),
        snapshot_id=wanted.get('snapshot_id'),
        volume_type=wanted.get('volume_type'),
        description=wanted.get('display_description'),
        metadata=wanted.get('metadata'),
        availability_zone=wanted.get('availability_zone'))
    return common.json_response({'volume': _view(made)})


def delete(req: webob.Request, volume_id: str) -> webob.Response:
    """202; 404 if Cinder does not know the volume."""
    ctx = _authorized(req, rules.DELETE)
    volume_api.get(ctx, volume_id)
    volume_api.delete(ctx, volume_id)
    return common.empty(202)
