"""Server groups: servers the scheduler places on one host (affinity) or
on different hosts (anti-affinity), or prefers to (the soft policies).

A server joins a group when it is created with the scheduler hint
"group". Groups count against the project's server_groups quota and
members against server_group_members (checked as servers are created),
counted in the API database. A group returned here lists as members only its
live servers (not deleted, not being deleted).
"""

import dataclasses
from typing import Any

from nova.db.api import instance_groups as db
from nova.db import engines
from nova import exception
from nova.objects.instance_group import InstanceGroup
from nova import quota


def _live(conn: Any, group: InstanceGroup) -> InstanceGroup:
    return dataclasses.replace(group, members=db.live_members(conn, group))


def list_groups(ctx: Any, all_projects: bool, limit: int,
                offset: int) -> list[InstanceGroup]:
    """The project's groups (every project's if `all_projects`), oldest
    first, `limit` of them from `offset`."""
    with engines.api_reader(ctx) as conn:
        groups = db.list_groups(
            conn, None if all_projects else ctx.project_id)
        return [_live(conn, g) for g in groups[offset:offset + limit]]


def get(ctx: Any, uuid: str) -> InstanceGroup:
    """The group; InstanceGroupNotFound (404)."""
    with engines.api_reader(ctx) as conn:
        return _live(conn, db.get_by_uuid(conn, uuid))


def create(ctx: Any, name: str, policies: list[str],
           rules: dict[str, int] | None = None) -> InstanceGroup:
    """A new group of the context's project and user (`rules`: its
    policy's, e.g. max_server_per_host); TooManyServerGroups (403) over
    the server_groups quota, then (as upstream checks in that order)
    InvalidGroupRules (400) for rules of a policy other than
    anti-affinity."""
    try:
        quota.check_server_groups(ctx, ctx.project_id, ctx.user_id, 1)
    except exception.OverQuota:
        raise exception.TooManyServerGroups()
    if rules and policies != ['anti-affinity']:
        raise exception.InvalidGroupRules()
    group = _insert(ctx, name, policies, rules)
    # Nothing is reserved: a concurrent create may have passed the same
    # check; then the later one (us, if over now) goes away again.
    try:
        quota.check_server_groups(ctx, ctx.project_id, ctx.user_id, 0)
    except exception.OverQuota:
        assert group.uuid is not None  # db.create gives one
        delete(ctx, group.uuid)
        raise exception.TooManyServerGroups()
    return group


@engines.retry_on_deadlock
def _insert(ctx: Any, name: str, policies: list[str],
            rules: dict[str, int] | None) -> InstanceGroup:
    with engines.api_writer(ctx) as conn:
        return db.create(conn, ctx.project_id, ctx.user_id, name, policies,
                         rules)


@engines.retry_on_deadlock
def delete(ctx: Any, uuid: str) -> None:
    """Delete the group (its servers stay where they are);
    InstanceGroupNotFound (404)."""
    with engines.api_writer(ctx) as conn:
        db.delete(conn, uuid)
