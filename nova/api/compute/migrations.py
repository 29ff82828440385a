"""/os-migrations: the moves of servers (resizes, cold migrations) in
every cell, for admins; and, from 2.23, /servers/{id}/migrations: a
server's live migrations in progress (never any here:
nova.compute.migrations).
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova.compute import migrations as compute
from nova.objects.migration import Migration
from nova import policy
from nova.policies import migrations as rules

# Upstream's live migration statuses that get a link (2.23).
LIVE_IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')


def _filters(req: webob.Request) -> dict[str, Any]:
    """The filters upstream honours; other query parameters are ignored,
    as upstream."""
    out: dict[str, Any] = {}
    if req.GET.getall('status'):
        out['status'] = req.GET.getall('status')
    if 'host' in req.GET:
        out['host'] = req.GET['host']
    elif 'source_compute' in req.GET:
        out['source_compute'] = req.GET['source_compute']
    if 'instance_uuid' in req.GET:
        out['instance_uuid'] = req.GET['instance_uuid']
    if 'migration_type' in req.GET:
        out['migration_type'] = req.GET['migration_type']
    return out


def _view(req: webob.Request, m: Migration) -> dict:
    out: dict[str, Any] = {'id': m.id, 'instance_uuid': m.instance_uuid,
           'source_compute': m.source_compute,
           'dest_compute': m.dest_compute, 'source_node': m.source_node,
           'dest_node': m.dest_node, 'dest_host': m.dest_host,
           'status': m.status,
           'old_instance_type_id': m.old_instance_type_id,
           'new_instance_type_id': m.new_instance_type_id,
           'created_at': common.usage_time(m.created_at),
           'updated_at': common.usage_time(m.updated_at)}
    if common.version(req).matches((2, 23)):
        out['migration_type'] = m.migration_type
        if (m.migration_type == 'live-migration'
                and m.status in LIVE_IN_PROGRESS):
            out['links'] = common.links(
                req, 'servers/%s/migrations' % m.instance_uuid, str(m.id))
    return out


def index(req: webob.Request) -> webob.Response:
    """200 {"migrations": [...]} newest first, from every cell but cell0;
    filters: host (either side), source_compute, status, instance_uuid,
    migration_type. 403 not an admin."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.INDEX)
    found = compute.list_migrations(ctx, _filters(req))
    return common.json_response(
        {'migrations': [_view(req, m) for m in found]})


def _server(req: webob.Request, rule: str) -> Any:
    if not common.version(req).matches((2, 23)):
        raise fault.not_found()
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    return ctx


def server_index(req: webob.Request, server_id: str) -> webob.Response:
    """2.23: 200 {"migrations": []} (no live migrations here); 404 no
    such server (or before 2.23); 403 not an admin."""
    ctx = _server(req, rules.SERVER_INDEX)
    found = compute.list_live_migrations(ctx, server_id)
    return common.json_response(
        {'migrations': [_view(req, m) for m in found]})


def server_show(req: webob.Request, server_id: str,
                migration_id: str) -> webob.Response:
    """2.23: always 404, there being no live migration in progress."""
    ctx = _server(req, rules.SERVER_SHOW)
    compute.get_live_migration(ctx, server_id, migration_id)
