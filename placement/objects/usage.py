"""Usages: what consumers have allocated, summed per resource class, for
one provider or for a project (and user)."""

import sqlalchemy as sa

from placement import database
from placement import tables
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj

_inv = tables.inventories
_alloc = tables.allocations
_consumers = tables.consumers
_projects = tables.projects
_users = tables.users
_types = tables.consumer_types

# The consumer-type groups that are not type names (those are upper case).
ALL_TYPES = 'all'
UNKNOWN_TYPE = 'unknown'


def for_provider(ctx, uuid: str) -> tuple[rp_obj.Provider, dict[str, int]]:
    """{class: amount allocated} for every class the provider has inventory
    of (0 when nothing is allocated); 404 if no such provider."""
    with database.reader(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        rows = conn.execute(
            sa.select(_inv.c.resource_class_id,
                      sa.func.coalesce(sa.func.sum(_alloc.c.used), 0))
            .select_from(_inv.outerjoin(_alloc, sa.and_(
                _alloc.c.resource_provider_id == _inv.c.resource_provider_id,
                _alloc.c.resource_class_id == _inv.c.resource_class_id)))
            .where(_inv.c.resource_provider_id == provider.id)
            .group_by(_inv.c.resource_class_id)).all()
        names = resource_class.names_for(conn, {rc for rc, _ in rows})
    return provider, {names[rc]: int(used) for rc, used in rows}


def _project_allocations(project_id: str, user_id: str | None):
    """FROM and WHERE for the allocations of a project's (and user's)
    consumers, with their consumer type joined."""
    source = (_alloc
              .join(_consumers, _consumers.c.uuid == _alloc.c.consumer_id)
              .join(_projects, _projects.c.id == _consumers.c.project_id)
              .outerjoin(_types, _types.c.id == _consumers.c.consumer_type_id))
    where = [_projects.c.external_id == project_id]
    if user_id is not None:
        source = source.join(_users, _users.c.id == _consumers.c.user_id)
        where.append(_users.c.external_id == user_id)
    return source, where


def for_project(ctx, project_id: str, user_id: str | None = None
                ) -> dict[str, int]:
    """{class: amount} allocated by the project's (and user's) consumers."""
    source, where = _project_allocations(project_id, user_id)
    with database.reader(ctx) as conn:
        rows = conn.execute(
            sa.select(_alloc.c.resource_class_id, sa.func.sum(_alloc.c.used))
            .select_from(source).where(*where)
            .group_by(_alloc.c.resource_class_id)).all()
        names = resource_class.names_for(conn, {rc for rc, _ in rows})
    return {names[rc]: int(used) for rc, used in rows}


def for_project_by_type(ctx, project_id: str, user_id: str | None = None,
                        consumer_type: str | None = None
                        ) -> dict[str, dict[str, int]]:
    """{consumer type: {consumer_count, class: amount}} for the project's
    (and user's) consumers. Consumers without a type are grouped as
    "unknown"; `consumer_type` limits the answer to one group, "all" puts
    every consumer in one group of that name."""
    source, where = _project_allocations(project_id, user_id)
    if consumer_type == UNKNOWN_TYPE:
        where.append(_consumers.c.consumer_type_id.is_(None))
    elif consumer_type not in (None, ALL_TYPES):
        where.append(_types.c.name == consumer_type)
    # One group of everything for "all"; else by type name (None for the
    # untyped consumers).
    groups = [] if consumer_type == ALL_TYPES else [_types.c.name]
    with database.reader(ctx) as conn:
        sums = conn.execute(
            sa.select(*groups, _alloc.c.resource_class_id,
                      sa.func.sum(_alloc.c.used))
            .select_from(source).where(*where)
            .group_by(*groups, _alloc.c.resource_class_id)).all()
        counts = conn.execute(
            sa.select(*groups,
                      sa.func.count(sa.distinct(_alloc.c.consumer_id)))
            .select_from(source).where(*where).group_by(*groups)).all()
        names = resource_class.names_for(conn, {row[-2] for row in sums})

    def key(row) -> str:
        if not groups:
            return ALL_TYPES
        return row[0] or UNKNOWN_TYPE

    usages = {key(row): {'consumer_count': row[-1]} for row in counts
              if row[-1]}
    for row in sums:
        usages[key(row)][names[row[-2]]] = int(row[-1])
    return usages
