"""/os-migrations: the moves of servers (resizes, cold migrations) in
every cell, for admins; and, from 2.23, /servers/{id}/migrations: a
server's live migrations in progress.

This cloud does not live-migrate, so a server never has a live migration
in progress: its list is always empty and showing one is a 404, as
upstream answers for a server not live-migrating.
"""

import datetime
from typing import Any

import webob

from nova.api.compute import common
from nova.api import fault
from nova import cells
from nova.compute import api as compute_api
from nova.db import engines
from nova.db.main import migrations as migrations_db
from nova.db.main import tables
from nova.objects.migration import Migration
from nova import policy
from nova.policies import migrations as rules

# Upstream's live migration statuses that get a link (2.23).
LIVE_IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')
_TYPES = tuple(tables.migrations.c.migration_type.type.enums)


def _filters(req: webob.Request) -> dict[str, Any] | None:
    """The filters upstream honours (None: one that nothing matches);
    other query parameters are ignored, as upstream."""
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
        if req.GET['migration_type'] not in _TYPES:
            return None
        out['migration_type'] = req.GET['migration_type']
    return out


def _in_cell(cctx: Any, filters: dict[str, Any]) -> list[Migration]:
    with engines.cell_reader(cctx.cell, cctx) as conn:
        return migrations_db.list_migrations(conn, filters)


def _view(req: webob.Request, m: Migration) -> dict:
    out = {'id': m.id, 'instance_uuid': m.instance_uuid,
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
    filters = _filters(req)
    found: list[Migration] = []
    if filters is not None:
        targets = [c for c in cells.load_cells(ctx) if not c.is_cell0]
        for result in cells.scatter_gather(ctx, targets, _in_cell,
                                           filters).values():
            if not cells.failed(result):
                found.extend(result)
    found.sort(key=lambda m: (m.created_at or datetime.datetime.min,
                              m.id or 0), reverse=True)
    return common.json_response(
        {'migrations': [_view(req, m) for m in found]})


def _server(req: webob.Request, server_id: str, rule: str) -> None:
    if not common.version(req).matches((2, 23)):
        raise fault.not_found()
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    compute_api.get(ctx, server_id)


def server_index(req: webob.Request, server_id: str) -> webob.Response:
    """2.23: 200 {"migrations": []} (no live migrations here); 404 no
    such server (or before 2.23); 403 not an admin."""
    _server(req, server_id, rules.SERVER_INDEX)
    return common.json_response({'migrations': []})


def server_show(req: webob.Request, server_id: str,
                migration_id: str) -> webob.Response:
    """2.23: always 404, there being no live migration in progress."""
    _server(req, server_id, rules.SERVER_SHOW)
    raise fault.not_found(
        'In-progress live migration %s is not found for server %s.'
        % (migration_id, server_id))
