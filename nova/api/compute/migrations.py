"""/os-migrations: the moves of servers (resizes, cold and live
migrations, evacuations) in every cell, for admins, a page at a time
from 2.59; and /servers/{id}/migrations: a server's live migrations in
progress (2.23), which an admin may force to complete (2.22) or abort
(2.24; queued or preparing ones too from 2.65).
"""

import datetime
from typing import Any

from oslo_utils import timeutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import server_moves as schema
from nova.api import validation
from nova.compute import migrations as compute
from nova.compute import server_moves
from nova.conf import CONF
from nova import exception
from nova.objects.migration import Migration
from nova import policy
from nova.policies import migrations as rules

# Upstream's live migration statuses that get a link (2.23).
LIVE_IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')


def _time(req: webob.Request, name: str) -> datetime.datetime | None:
    if name not in req.GET:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(
            req.GET[name]))
    except ValueError:
        raise fault.bad_request(
            "Invalid input for query parameters %s. Value: %s. It is not "
            "a valid date-time." % (name, req.GET[name]))


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
    want = common.version(req)
    if want.matches((2, 59)):
        out['changes-since'] = _time(req, 'changes-since')
    if want.matches((2, 66)):
        out['changes-before'] = _time(req, 'changes-before')
        if (out['changes-since'] and out['changes-before']
                and out['changes-since'] > out['changes-before']):
            raise fault.bad_request(
                'The value of changes-since must be less than or equal '
                'to changes-before.')
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
    want = common.version(req)
    if want.matches((2, 23)):
        out['migration_type'] = m.migration_type
        if (m.migration_type == 'live-migration'
                and m.status in LIVE_IN_PROGRESS):
            out['links'] = common.links(
                req, 'servers/%s/migrations' % m.instance_uuid, str(m.id))
    if want.matches((2, 59)):
        out['uuid'] = m.uuid
    return out


def index(req: webob.Request) -> webob.Response:
    """200 {"migrations": [...]} newest first, from every cell but cell0;
    filters: host (either side), source_compute, status, instance_uuid,
    migration_type, changes-since (2.59), changes-before (2.66); limit
    and marker (a migration's uuid) from 2.59, with a next link when the
    page is full. 400 a bad time, an unknown marker; 403 not an
    admin."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.INDEX)
    filters = _filters(req)
    paged = common.version(req).matches((2, 59))
    limit = common.limit_param(req, CONF.api.max_limit) if paged else None
    marker = req.GET.get('marker') if paged else None
    try:
        found = compute.list_migrations(ctx, filters, marker, limit)
    except exception.MarkerNotFound as exc:
        raise fault.bad_request(str(exc))
    body: dict[str, Any] = {'migrations': [_view(req, m) for m in found]}
    if paged and found and len(found) == limit:
        body['migrations_links'] = common.next_link(
            req, 'os-migrations', str(found[-1].uuid))
    return common.json_response(body)


def _server(req: webob.Request, rule: str, since: tuple[int, int]) -> Any:
    if not common.version(req).matches(since):
        raise fault.not_found()
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    return ctx


def _server_view(req: webob.Request, m: Migration) -> dict:
    # This cloud does not measure the copy: the byte counts are unknown.
    out = {'id': m.id, 'server_uuid': m.instance_uuid, 'status': m.status,
           'source_compute': m.source_compute, 'source_node': m.source_node,
           'dest_compute': m.dest_compute, 'dest_host': m.dest_host,
           'dest_node': m.dest_node,
           'memory_total_bytes': None, 'memory_processed_bytes': None,
           'memory_remaining_bytes': None, 'disk_total_bytes': None,
           'disk_processed_bytes': None, 'disk_remaining_bytes': None,
           'created_at': common.usage_time(m.created_at),
           'updated_at': common.usage_time(m.updated_at)}
    if common.version(req).matches((2, 59)):
        out['uuid'] = m.uuid
    return out


def server_index(req: webob.Request, server_id: str) -> webob.Response:
    """2.23: 200 {"migrations": [...]}, the server's live migrations in
    progress; 404 no such server (or before 2.23); 403 not an admin."""
    ctx = _server(req, rules.SERVER_INDEX, (2, 23))
    found = compute.list_live_migrations(ctx, server_id)
    return common.json_response(
        {'migrations': [_server_view(req, m) for m in found]})


def server_show(req: webob.Request, server_id: str,
                migration_id: str) -> webob.Response:
    """2.23: 200 {"migration": {...}}; 404 no such server, or no such
    live migration of it in progress."""
    ctx = _server(req, rules.SERVER_SHOW, (2, 23))
    found = compute.get_live_migration(ctx, server_id, migration_id)
    return common.json_response({'migration': _server_view(req, found)})


def server_action(req: webob.Request, server_id: str,
                  migration_id: str) -> webob.Response:
    """2.22: {"force_complete": null} has the running live migration
    finish now: 202; 400 bad body, no such migration of the server or
    not running; 404 no such server; 409 locked, or the server is not
    live migrating."""
    ctx = _server(req, rules.FORCE_COMPLETE, (2, 22))
    validation.body(req, schema.force_complete)
    try:
        server_moves.force_complete(ctx, server_id, migration_id)
    except exception.MigrationNotFoundForInstance as exc:
        raise fault.bad_request(str(exc))
    return common.empty(202)


def server_abort(req: webob.Request, server_id: str,
                 migration_id: str) -> webob.Response:
    """2.24: abort the live migration: 202; 400 not running (from 2.65:
    neither queued, preparing nor running); 404 no such server or
    migration of it; 409 locked, or the server is not live migrating."""
    ctx = _server(req, rules.DELETE, (2, 24))
    abortable = (server_moves.ABORTABLE_2_65
                 if common.version(req).matches((2, 65))
                 else server_moves.ABORTABLE)
    server_moves.abort(ctx, server_id, migration_id, abortable)
    return common.empty(202)
