"""Quota sets, quota classes and usage, as os-quota-sets,
os-quota-class-sets and /limits read and (administrators) change them.

Limits and usage come from nova.quota (counted quotas); this module adds
what the APIs do with them: a project's or user's limits with their
usage, and setting limits, which unless forced may not go below what is
used nor past what the project has to give.
"""

from typing import Any

from oslo_log import log as logging

from nova.db.api import quotas as db
from nova.db import engines
from nova import exception
from nova import quota

LOG = logging.getLogger(__name__)

#: Every resource with a limit, in upstream's order.
RESOURCES = quota.RESOURCES
#: Nova-network's resources, which later microversions leave out.
NETWORK = quota.NETWORK

#: get_limits(ctx, project_id, user_id=None): {resource: limit} of the
#: project, or of one of its users.
get_limits = quota.get_limits
#: get_class_limits(ctx, class_name='default'): {resource: limit} of a
#: quota class; of 'default', those of every project that sets none.
get_class_limits = quota.get_class_limits


def _for(project_id: str, user_id: str | None) -> str:
    return project_id + (' user %s' % user_id if user_id else '')


def _listed(limits: dict[str, int]) -> str:
    return ', '.join('%s=%d' % rl for rl in sorted(limits.items()))


def get_detail(ctx: Any, project_id: str, user_id: str | None = None
               ) -> dict[str, dict[str, int]]:
    """{resource: {"limit", "in_use", "reserved"}} of the project, or of
    one of its users. Usage is counted, never reserved: reserved is 0."""
    limits = quota.get_limits(ctx, project_id, user_id)
    used = quota.get_usages(ctx, project_id, user_id)
    return {r: {'limit': limits[r], 'in_use': used[r], 'reserved': 0}
            for r in RESOURCES}


@engines.retry_on_deadlock
def update_limits(ctx: Any, project_id: str, user_id: str | None,
                  limits: dict[str, int], force: bool = False
                  ) -> dict[str, int]:
    """Set the project's (or, with user_id, that user's) `limits`;
    {resource: limit} after.

    Unless `force`: QuotaLimitBelowUsage (400) for a limit below what is
    in use (or, for a project, below what its users were given), and
    QuotaLimitAboveMaximum (400) for a user's limit above what the
    project has left to give."""
    if not force:
        settable = quota.get_settable(ctx, project_id, user_id)
        for resource, limit in limits.items():
            _check_settable(resource, limit, *settable[resource])
    with engines.api_writer(ctx) as conn:
        if user_id is None:
            db.set_project_limits(conn, project_id, limits)
        else:
            db.set_user_limits(conn, project_id, user_id, limits)
    LOG.info('Quotas of project %s set: %s', _for(project_id, user_id),
             _listed(limits))
    return quota.get_limits(ctx, project_id, user_id)


def _unbounded(value: int) -> float:
    return float('inf') if value == quota.UNLIMITED else value


def _check_settable(resource: str, limit: int, minimum: int,
                    maximum: int) -> None:
    if _unbounded(limit) < _unbounded(minimum):
        raise exception.QuotaLimitBelowUsage(limit=limit, resource=resource,
                                             minimum=minimum)
    if _unbounded(limit) > _unbounded(maximum):
        raise exception.QuotaLimitAboveMaximum(limit=limit,
                                               resource=resource,
                                               maximum=maximum)


@engines.retry_on_deadlock
def delete_limits(ctx: Any, project_id: str,
                  user_id: str | None = None) -> None:
    """Revert the project's limits and its users' (or, with user_id, that
    user's) to the defaults."""
    with engines.api_writer(ctx) as conn:
        if user_id is None:
            db.delete_project_limits(conn, project_id)
        else:
            db.delete_user_limits(conn, project_id, user_id)
    LOG.info('Quotas of project %s reverted to the defaults',
             _for(project_id, user_id))


@engines.retry_on_deadlock
def update_class_limits(ctx: Any, class_name: str,
                        limits: dict[str, int]) -> dict[str, int]:
    """Set the quota class's `limits`; {resource: limit} of the class
    after."""
    with engines.api_writer(ctx) as conn:
        db.set_class_limits(conn, class_name, limits)
    LOG.info('Quota class %s set: %s', class_name, _listed(limits))
    return quota.get_class_limits(ctx, class_name)
