"""Counted quotas: usage is counted where it lives, never stored.

A server uses quota from the moment the API accepts it: while it is a
build request in the API database, then as a live instance in whichever
cell holds it (cell0 included: failed builds count until deleted). A
server seen both as a build request and as a cell instance (the conductor
creates the instance before deleting the build request) counts once.

Limits, most specific first: the user's row in project_user_quotas (only
for check_deltas' user check and get_limits with a user), the project's
row in quotas, the 'default' quota class, then the [quota] options. -1 is
unlimited.
"""

from collections.abc import Mapping
from typing import Any

from oslo_log import log as logging
import sqlalchemy as sa

from nova import cells
from nova.conf import CONF
from nova.db.api import build_requests
from nova.db.api import tables
from nova.db import engines
from nova.db.main import instances
from nova import exception

LOG = logging.getLogger(__name__)

#: Resources whose usage is counted from instances.
COUNTED = ('instances', 'cores', 'ram')
#: Every resource with a limit.
RESOURCES = COUNTED + ('metadata_items', 'key_pairs', 'server_groups',
                       'server_group_members')
DEFAULT_CLASS = 'default'
UNLIMITED = -1


def _rows(conn: sa.engine.Connection, table: sa.Table,
          *where: Any) -> dict[str, int]:
    return {resource: limit for resource, limit in conn.execute(
        sa.select(table.c.resource, table.c.hard_limit).where(*where))}


def _limits(ctx: Any, project_id: str,
            user_id: str | None) -> tuple[dict[str, int], dict[str, int]]:
    """(project limits, user limits: the project's with the user's own
    rows on top; the project's if user_id is None)."""
    with engines.api_reader(ctx) as conn:
        defaults = _rows(conn, tables.quota_classes,
                         tables.quota_classes.c.class_name == DEFAULT_CLASS)
        project = _rows(conn, tables.quotas,
                        tables.quotas.c.project_id == project_id)
        pu = tables.project_user_quotas
        user = (_rows(conn, pu, pu.c.project_id == project_id,
                      pu.c.user_id == user_id)
                if user_id is not None else {})
    limits = {}
    for resource in RESOURCES:
        limit = project.get(resource, defaults.get(resource))
        limits[resource] = (getattr(CONF.quota, resource) if limit is None
                            else limit)
    return limits, {**limits, **user}


def get_limits(ctx: Any, project_id: str,
               user_id: str | None = None) -> dict[str, int]:
    """{resource: limit} for the project, or for one of its users."""
    project, user = _limits(ctx, project_id, user_id)
    return user if user_id is not None else project


def _count(ctx: Any, project_id: str, user_id: str | None
           ) -> tuple[dict[str, int], dict[str, int] | None]:
    """(the project's usage, the user's usage or None): build requests
    plus live instances in every cell that answers."""
    with engines.api_reader(ctx) as conn:
        pending = build_requests.list_by_project(conn, project_id)
    project = dict.fromkeys(COUNTED, 0)
    user = dict.fromkeys(COUNTED, 0) if user_id is not None else None
    for req in pending:
        flavor = req.instance.flavor
        used = {'instances': 1, 'cores': flavor.vcpus,
                'ram': flavor.memory_mb}
        _add(project, used)
        if user is not None and req.instance.user_id == user_id:
            _add(user, used)
    skip = [req.instance_uuid for req in pending]

    def in_cell(cctx: Any) -> tuple[dict, dict | None]:
        with engines.cell_reader(cctx.cell, cctx) as conn:
            return (instances.count_usage(conn, project_id,
                                          exclude_uuids=skip),
                    instances.count_usage(conn, project_id, user_id,
                                          exclude_uuids=skip)
                    if user_id is not None else None)

    results = cells.scatter_gather(ctx, cells.load_cells(ctx), in_cell)
    for cell_uuid, result in results.items():
        if cells.failed(result):
            # Counting on without it under-counts; refusing every boot
            # because one cell is down would be worse.
            LOG.warning('Quota usage of project %s leaves out cell %s, '
                        'which did not answer', project_id, cell_uuid)
            continue
        _add(project, result[0])
        if user is not None:
            _add(user, result[1])
    return project, user


def _add(total: dict[str, int], more: Mapping[str, int]) -> None:
    for key in COUNTED:
        total[key] += more[key]


def count_usage(ctx: Any, project_id: str,
                user_id: str | None = None) -> dict[str, int]:
    """{'instances', 'cores', 'ram'} the project (or, with user_id, that
    user in the project) uses across every cell and pending build."""
    project, user = _count(ctx, project_id, user_id)
    return user if user is not None else project


def check_deltas(ctx: Any, project_id: str, user_id: str | None,
                 deltas: Mapping[str, int]) -> None:
    """Check that using `deltas` more (of 'instances', 'cores', 'ram')
    stays within both the project's and the user's limits; raise
    OverQuota(overs=[resources], quotas={resource: limit},
    usages={resource: used}) if not. Nothing is reserved: the caller may
    check again once it has created what it counted."""
    unknown = set(deltas) - set(COUNTED)
    if unknown:
        raise ValueError('Not counted resources: %s'
                         % ', '.join(sorted(unknown)))
    wanted = {r: d for r, d in deltas.items() if d > 0}
    project_limits, user_limits = _limits(ctx, project_id, user_id)
    limited = [r for r in wanted
               if project_limits[r] != UNLIMITED
               or user_limits[r] != UNLIMITED]
    if not limited:
        return
    project_used, user_used = _count(ctx, project_id, user_id)
    overs = set()
    quotas = {r: project_limits[r] for r in wanted}
    usages = {r: project_used[r] for r in wanted}
    levels = [(project_limits, project_used)]
    if user_used is not None:
        levels.append((user_limits, user_used))
    for limits, used in levels:
        for resource in limited:
            limit = limits[resource]
            if (limit != UNLIMITED
                    and used[resource] + wanted[resource] > limit
                    and resource not in overs):
                overs.add(resource)
                quotas[resource], usages[resource] = limit, used[resource]
    if overs:
        LOG.info('Project %s user %s over quota for %s',
                 project_id, user_id, ', '.join(sorted(overs)))
        raise exception.OverQuota(overs=sorted(overs), quotas=quotas,
                                  usages=usages)
