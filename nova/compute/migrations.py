"""Server moves as os-migrations lists them: resizes and cold migrations
from every cell but cell0; and a server's live migrations in progress.

This cloud does not live-migrate, so a server never has a live
migration in progress: its list is always empty and asking for one is
LiveMigrationNotInProgress, as upstream answers for a server not
live-migrating.
"""

import datetime
from typing import Any, NoReturn

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


def list_migrations(ctx: Any, filters: dict[str, Any]) -> list[Migration]:
    """The migrations of the cells that answer, newest first, matching
    `filters` (host: either side, source_compute, status: a list,
    instance_uuid, migration_type: none match an unknown type)."""
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
    return found


def list_live_migrations(ctx: Any, server_id: str) -> list[Migration]:
    """The server's live migrations in progress: none.
    InstanceNotFound (404) if there is no such server."""
    compute_api.get(ctx, server_id)
    return []


def get_live_migration(ctx: Any, server_id: str,
                       migration_id: str) -> NoReturn:
    """Always raises: InstanceNotFound (404) if there is no such server,
    else LiveMigrationNotInProgress (404)."""
    compute_api.get(ctx, server_id)
    raise exception.LiveMigrationNotInProgress(migration_id=migration_id,
                                               instance_id=server_id)
