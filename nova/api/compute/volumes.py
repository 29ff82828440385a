"""/os-volumes and /os-snapshots: the volume and snapshot proxies onto
Cinder (until 2.35; from 2.36 every route answers 404). Both as Nova's
v2 API showed them; 404 for what Cinder does not know, 400 what Cinder
refuses, 503 no Cinder."""

from collections.abc import Callable
from typing import Any

from oslo_utils import strutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import snapshots as snapshot_schema
from nova.api.schemas import volumes as schema
from nova.api import validation
from nova import policy
from nova.policies import volumes as rules
from nova.volume import cinder as volume_api


def _authorized(req: webob.Request, rule: str) -> Any:
    """The caller's context once `rule` allows it on its own project."""
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


def _view(volume: dict) -> dict:
    out = {'id': volume['id'], 'status': volume.get('status'),
           'size': volume.get('size'),
           'availabilityZone': volume.get('availability_zone'),
           'createdAt': volume.get('created_at'),
           'displayName': volume.get('name'),
           'displayDescription': volume.get('description'),
           'volumeType': volume.get('volume_type'),
           'snapshotId': volume.get('snapshot_id'),
           'metadata': volume.get('metadata') or {}}
    out['attachments'] = _attachments(volume)
    return out


def _lister(name: str, rule: str, key: str,
            fetch: Callable[[Any], list[dict]],
            view: Callable[[dict], dict]) -> Callable:
    """A handler answering 200 {key: [...]}: the caller's volumes or
    snapshots (the proxy's index and detail show the same)."""
    def handler(req: webob.Request) -> webob.Response:
        ctx = _authorized(req, rule)
        return common.json_response({key: [view(x) for x in fetch(ctx)]})
    handler.__name__ = handler.__qualname__ = name
    return handler


# -- /os-volumes

index = _lister('index', rules.LIST, 'volumes', volume_api.list_volumes,
                _view)
detail = _lister('detail', rules.DETAIL, 'volumes',
                 volume_api.list_volumes, _view)


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


# -- /os-snapshots


def _snapshot(snapshot: dict) -> dict:
    return {'id': snapshot['id'], 'volumeId': snapshot.get('volume_id'),
            'status': snapshot.get('status'), 'size': snapshot.get('size'),
            'createdAt': snapshot.get('created_at'),
            'displayName': snapshot.get('name'),
            'displayDescription': snapshot.get('description')}


snapshot_index = _lister('snapshot_index', rules.SNAPSHOT_LIST,
                         'snapshots', volume_api.list_snapshots, _snapshot)
snapshot_detail = _lister('snapshot_detail', rules.SNAPSHOT_DETAIL,
                          'snapshots', volume_api.list_snapshots, _snapshot)


def snapshot_show(req: webob.Request, snapshot_id: str) -> webob.Response:
    """200 {"snapshot": {...}}; 404 if Cinder does not know it."""
    ctx = _authorized(req, rules.SNAPSHOT_SHOW)
    return common.json_response({'snapshot': _snapshot(
        volume_api.get_snapshot(ctx, snapshot_id))})


def snapshot_create(req: webob.Request) -> webob.Response:
    """200 {"snapshot": {...}}; 400 a volume in use without force."""
    ctx = _authorized(req, rules.SNAPSHOT_CREATE)
    wanted = validation.body(req, snapshot_schema.create)['snapshot']
    force = strutils.bool_from_string(wanted.get('force', False),
                                      strict=False)
    made = volume_api.create_snapshot(
        ctx, wanted['volume_id'], force, wanted.get('display_name'),
        wanted.get('display_description'))
    return common.json_response({'snapshot': _snapshot(made)})


def snapshot_delete(req: webob.Request, snapshot_id: str) -> webob.Response:
    """202; 404 if Cinder does not know the snapshot."""
    ctx = _authorized(req, rules.SNAPSHOT_DELETE)
    volume_api.delete_snapshot(ctx, snapshot_id)
    return common.empty(202)
