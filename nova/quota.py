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

Key pairs are counted per user (their limit is the user's), server groups
per project and user. The other resources bound one request (metadata
items, injected files) or are nova-network's and only shown.
"""

from collections.abc import Mapping
from typing import Any

from oslo_log import log as logging

from nova import cells
from nova.conf import CONF
from nova.db.api import build_requests
from nova.db.api import instance_groups
from nova.db.api import key_pairs
from nova.db.api import quotas as db
from nova.db import engines
from nova.db.main import instances
from nova import exception

LOG = logging.getLogger(__name__)

#: Resources whose usage is counted from instances.
COUNTED = ('instances', 'cores', 'ram')
#: Nova-network's resources: limits kept and shown, usage never counted.
NETWORK = ('floating_ips', 'fixed_ips', 'security_groups',
           'security_group_rules')
#: Every resource with a limit, in upstream's order.
RESOURCES = COUNTED + (
    'security_groups', 'fixed_ips', 'floating_ips', 'metadata_items',
    'injected_files', 'injected_file_content_bytes',
    'injected_file_path_bytes', 'security_group_rules', 'key_pairs',
    'server_groups', 'server_group_members')
DEFAULT_CLASS = 'default'
UNLIMITED = -1
# The [quota] option of a resource, where its name differs.
_OPTIONS = {'injected_file_path_bytes': 'injected_file_path_length'}


def _merged(*layers: Mapping[str, int]) -> dict[str, int]:
    """{resource: limit} from the first layer that sets it, else the
    [quota] option."""
    limits = {}
    for resource in RESOURCES:
        for layer in layers:
            if layer.get(resource) is not None:
                limits[resource] = layer[resource]
                break
        else:
            limits[resource] = getattr(CONF.quota,
                                       _OPTIONS.get(resource, resource))
    return limits


def get_class_limits(ctx: Any, class_name: str = DEFAULT_CLASS
                     ) -> dict[str, int]:
    """{resource: limit} of a quota class (its rows over the options);
    of 'default', the limits of every project that sets none itself."""
    with engines.api_reader(ctx) as conn:
        return _merged(db.class_limits(conn, class_name))


def _limits(ctx: Any, project_id: str,
            user_id: str | None) -> tuple[dict[str, int], dict[str, int]]:
    """(project limits, user limits: the project's with the user's own
    rows on top; the project's if user_id is None)."""
    with engines.api_reader(ctx) as conn:
        defaults = db.class_limits(conn, DEFAULT_CLASS)
        project = db.project_limits(conn, project_id)
        user = (db.user_limits(conn, project_id, user_id)
                if user_id is not None else {})
    limits = _merged(project, defaults)
    return limits, _merged(user, limits)


def get_limits(ctx: Any, project_id: str,
               user_id: str | None = None) -> dict[str, int]:
    """{resource: limit} for the project, or for one of its users."""
    project, user = _limits(ctx, project_id, user_id)
    return user if user_id is not None else project


def check_metadata_items(ctx: Any, project_id: str,
                         metadata: dict[str, str]) -> None:
    """MetadataLimitExceeded if a server of the project may not have as
    many metadata items as `metadata` (its metadata_items limit; -1 is
    no limit)."""
    limit = get_limits(ctx, project_id)['metadata_items']
    if limit >= 0 and len(metadata) > limit:
        raise exception.MetadataLimitExceeded(allowed=limit)


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
    # A delta of 0 checks that usage as counted now is within the limit:
    # the recheck of a create, whose own rows are counted already.
    wanted = {r: d for r, d in deltas.items() if d >= 0}
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


# -- server groups: counted in the API database


def _check_counted(resource: str, limits: list[int], used: list[int],
                   delta: int) -> None:
    """OverQuota unless `delta` more of `resource` fits every (limit,
    used) level (project, then user)."""
    for limit, in_use in zip(limits, used):
        if limit != UNLIMITED and in_use + delta > limit:
            raise exception.OverQuota(overs=[resource],
                                      quotas={resource: limit},
                                      usages={resource: in_use})


def check_server_groups(ctx: Any, project_id: str, user_id: str,
                        delta: int) -> None:
    """OverQuota if `delta` more server groups exceed the project's or
    the user's server_groups limit (delta 0: recheck after creating)."""
    project_limits, user_limits = _limits(ctx, project_id, user_id)
    with engines.api_reader(ctx) as conn:
        used = [instance_groups.count_by_project(conn, project_id),
                instance_groups.count_by_project(conn, project_id, user_id)]
    _check_counted('server_groups', [project_limits['server_groups'],
                                     user_limits['server_groups']],
                   used, delta)


def check_server_group_members(ctx: Any, project_id: str, user_id: str,
                               group_id: int, delta: int) -> None:
    """OverQuota if `delta` more servers of `user_id` in the group exceed
    server_group_members (delta 0: recheck after adding them)."""
    _, user_limits = _limits(ctx, project_id, user_id)
    with engines.api_reader(ctx) as conn:
        used = instance_groups.count_members_by_user(conn, group_id,
                                                     user_id)
    _check_counted('server_group_members',
                   [user_limits['server_group_members']], [used], delta)


# -- key pairs: counted per user in the API database


def check_key_pairs(ctx: Any, project_id: str, user_id: str,
                    delta: int) -> None:
    """OverQuota if `delta` more key pairs of the user exceed the user's
    key_pairs limit (delta 0: recheck after creating)."""
    _, user_limits = _limits(ctx, project_id, user_id)
    with engines.api_reader(ctx) as conn:
        used = key_pairs.count_by_user(conn, user_id)
    _check_counted('key_pairs', [user_limits['key_pairs']], [used], delta)


# -- what the quota APIs show


def get_usages(ctx: Any, project_id: str,
               user_id: str | None = None) -> dict[str, int]:
    """{resource: in use} of the project (or one of its users) for every
    resource. As upstream, what is counted per user or per group (key
    pairs, server group members) and nova-network's resources show 0:
    they never bound a project's limit."""
    used = dict.fromkeys(RESOURCES, 0)
    used.update(count_usage(ctx, project_id, user_id))
    with engines.api_reader(ctx) as conn:
        used['server_groups'] = instance_groups.count_by_project(
            conn, project_id, user_id)
    return used


def _minus(limit: int, amount: int) -> int:
    return UNLIMITED if limit == UNLIMITED else limit - amount


def get_settable(ctx: Any, project_id: str, user_id: str | None = None
                 ) -> dict[str, tuple[int, int]]:
    """{resource: (minimum, maximum)} a new limit of the project (or of
    one of its users) may take unless forced; maximum -1 is no bound.

    A project's limit may not go below its usage nor below what its users
    were given; a user's not below the user's usage nor above what the
    project has left to give plus what the user has now."""
    project_limits, _ = _limits(ctx, project_id, None)
    with engines.api_reader(ctx) as conn:
        given = db.given_to_users(conn, project_id)
        own = (db.user_limits(conn, project_id, user_id)
               if user_id is not None else {})
    used = get_usages(ctx, project_id, user_id)
    settable = {}
    for resource in RESOURCES:
        to_users = given.get(resource, 0)
        if user_id is None:
            settable[resource] = (max(used[resource], to_users), UNLIMITED)
            continue
        left = _minus(project_limits[resource], to_users)
        mine = own.get(resource)
        if left != UNLIMITED and mine is not None and mine >= 0:
            left += mine
        settable[resource] = (used[resource], left)
    return settable
