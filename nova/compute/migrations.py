"""Server moves as os-migrations lists them: from every cell but cell0,
newest first, a page at a time from 2.59; and a server's live
migrations in progress, which an admin may force to complete or abort
(nova.compute.server_moves)."""

import datetime
from typing import Any

from nova import cells
from nova.compute import api as compute_api
from nova.db import engines
from nova.db.main import migrations as db
from nova.db.main import tables
from nova import exception
from nova.objects.migration import Migration

_TYPES = tables.MIGRATION_TYPES


def _in_cell(cctx: Any, filters: dict[str, Any]) -> list[Migration]:
    with engines.cell_reader(cctx.cell, cctx) as conn:
        return db.list_migrations(conn, filters)


def list_migrations(ctx: Any, filters: dict[str, Any],
                    marker: str | None = None,
                    limit: int | None = None) -> list[Migration]:
    """The migrations of the cells that answer, newest first, matching
    `filters` (host: either side, source_compute, status: a list,
    instance_uuid, migration_type: none match an unknown type,
    changes-since, changes-before); those after the migration whose uuid
    is `marker` (MarkerNotFound if none), at most `limit`."""
    if 'migration_type' in filters and (
            filters['migration_type'] not in _TYPES):
        # The column is an enum: an unknown type matches nothing.
        return []
    targets = [c for c in cells.load_cells(ctx) if not c.is_cell0]
    found: list[Migration] = []
    for result in cells.scatter_gather(ctx, targets, _in_cell,
                                       filters).values():
        if not cells.failed(result):
            found.extend(result)
    found.sort(key=lambda m: (m.created_at or datetime.datetime.min,
                              m.id or 0), reverse=True)
    if marker is not None:
        after = [i for i, m in enumerate(found) if m.uuid == marker]
        if not after:
            raise exception.MarkerNotFound(marker=marker)
        found = found[after[0] + 1:]
    return found if limit is None else found[:limit]


def list_live_migrations(ctx: Any, server_id: str) -> list[Migration]:
    """The server's live migrations in progress, newest first.
    InstanceNotFound (404) if there is no such server."""
    server = compute_api.get(ctx, server_id)
    if not server.scheduled:
        return []
    with engines.cell_reader(server.cell, ctx) as conn:
        found = db.list_migrations(conn, {
            'instance_uuid': server_id, 'migration_type': 'live-migration'})
    return [m for m in found if m.status not in db.DONE_STATUSES]


def get_live_migration(ctx: Any, server_id: str,
                       migration_id: str) -> Migration:
    """The server's live migration `migration_id` in progress:
    InstanceNotFound (404) if there is no such server,
    LiveMigrationNotInProgress (404) if it has no such one."""
    for migration in list_live_migrations(ctx, server_id):
        if str(migration.id) == migration_id:
            return migration
    raise exception.LiveMigrationNotInProgress(migration_id=migration_id,
                                               instance_id=server_id)
