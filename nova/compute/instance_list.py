"""Listing servers across every cell, and the build requests no cell has
yet, as one sorted, paged list.

Each cell answers its own sorted page (at most `limit` rows after the
marker); the pages and the sorted build requests are heap-merged by the
sort key tuple and cut at `limit` once. The marker may be a server of any
cell or a build request: its sort values are looked up first and each
source returns only rows strictly after them. `uuid` is always the last
sort key, so the order is total and pages neither repeat nor skip.
"""

import heapq
import re
from typing import Any, Iterable

from oslo_log import log as logging

from nova import cells
from nova.conf import CONF
from nova.db.api import build_requests
from nova.db import engines
from nova.db.main import instances as instances_db
from nova import exception
from nova.objects.instance import Instance

LOG = logging.getLogger(__name__)

# Upstream's order when the caller names none: newest first.
DEFAULT_SORT_KEYS = ['created_at']
DEFAULT_SORT_DIRS = ['desc']


class _Reversed:
    """Inverts the order of what it wraps (for descending keys)."""
    __slots__ = ('value',)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: '_Reversed') -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value


def _field(instance: Instance, key: str) -> Any:
    if key == 'instance_type_id':
        return instance.flavor.id if instance.flavor else None
    return getattr(instance, key, None)


def sort_key(keys: list[str], dirs: list[str]):
    """The python key matching the databases' order: NULL first when
    ascending (last when descending), as list_instances sorts."""
    def key(values: dict | Instance) -> tuple:
        out = []
        for name, direction in zip(keys, dirs):
            value = (values.get(name) if isinstance(values, dict)
                     else _field(values, name))
            item = (0,) if value is None else (1, value)
            out.append(_Reversed(item) if direction == 'desc' else item)
        return tuple(out)
    return key


def _normalised(sort_keys: list[str] | None,
                sort_dirs: list[str] | None) -> tuple[list, list]:
    keys = list(sort_keys or DEFAULT_SORT_KEYS)
    dirs = list(sort_dirs or [])
    default = dirs[0] if dirs else DEFAULT_SORT_DIRS[0]
    dirs += [default] * (len(keys) - len(dirs))
    if 'uuid' not in keys:
        keys.append('uuid')
        dirs.append(dirs[0])
    return keys, dirs


# -- build requests, filtered as the database filters instances


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _matches(instance: Instance, filters: dict) -> bool:
    for name, wanted in filters.items():
        if wanted is None or name in ('ip', 'ip6'):
            continue
        if name == 'deleted':
            if wanted:
                return False
        elif name in ('host', 'node', 'locked'):
            if name != 'locked' or wanted:
                return False
        elif name == 'name':
            if not re.search(wanted, instance.display_name or ''):
                return False
        elif name == 'uuid':
            if instance.uuid not in _as_list(wanted):
                return False
        elif name == 'image':
            if instance.image_ref not in _as_list(wanted):
                return False
        elif name == 'flavor':
            if instance.flavor.flavorid not in _as_list(wanted):
                return False
        elif name == 'changes-since':
            if instance.created_at and instance.created_at < wanted:
                return False
        elif name == 'changes-before':
            if instance.created_at and instance.created_at > wanted:
                return False
        elif name in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
            if not _tags_match(set(instance.tags), name, set(wanted)):
                return False
        elif _field(instance, name) not in _as_list(wanted):
            return False
    return True


def _tags_match(have: set, name: str, wanted: set) -> bool:
    return {'tags': wanted <= have, 'tags-any': bool(wanted & have),
            'not-tags': not wanted <= have,
            'not-tags-any': not wanted & have}[name]


def _build_requests(ctx: Any, filters: dict) -> list[Instance]:
    with engines.api_reader(ctx) as conn:
        found = build_requests.list_by_project(conn,
                                               filters.get('project_id'))
    out = []
    for req in found:
        instance = req.instance
        if req.tags and not instance.tags:
            instance.tags = list(req.tags)
        if _matches(instance, filters):
            out.append(instance)
    return out


# -- the marker


def _marker_values(ctx: Any, marker: str, keys: list[str],
                   cell_list: list) -> dict:
    with engines.api_reader(ctx) as conn:
        try:
            req = build_requests.get_by_instance_uuid(conn, marker)
        except exception.BuildRequestNotFound:
            req = None
    if req is not None:
        return {k: _field(req.instance, k) for k in keys}
    results = cells.scatter_gather(ctx, cell_list, _cell_marker, marker,
                                   keys)
    for result in results.values():
        if not cells.failed(result) and result is not None:
            return result
    raise exception.MarkerNotFound(marker=marker)


def _cell_marker(cctx: Any, marker: str, keys: list[str]) -> dict | None:
    with engines.cell_reader(cctx.cell, cctx) as conn:
        return instances_db.get_marker_values(conn, marker, keys)


def _cell_page(cctx: Any, filters: dict, keys: list[str], dirs: list[str],
               limit: int | None, marker_values: dict | None
               ) -> list[Instance]:
    with engines.cell_reader(cctx.cell, cctx) as conn:
        return instances_db.list_instances(conn, filters, keys, dirs,
                                           limit=limit,
                                           marker_values=marker_values)


def list_servers(ctx: Any, filters: dict,
                 sort_keys: list[str] | None = None,
                 sort_dirs: list[str] | None = None,
                 limit: int | None = None,
                 marker: str | None = None) -> list[Instance]:
    """At most `limit` servers matching `filters` (list_instances' names),
    sorted, after the server `marker` (MarkerNotFound if it is nowhere).
    Cells that fail or do not answer are left out (and logged), or, with
    [api] list_records_by_skipping_down_cells False, CellsNotResponding
    is raised."""
    found, down = list_servers_and_down_cells(ctx, filters, sort_keys,
                                              sort_dirs, limit, marker)
    if down:
        if not CONF.api.list_records_by_skipping_down_cells:
            raise exception.CellsNotResponding(cells=', '.join(down))
        for cell_uuid in down:
            LOG.warning('Servers of cell %s left out of a list', cell_uuid)
    return found


def list_servers_and_down_cells(ctx: Any, filters: dict,
                                sort_keys: list[str] | None = None,
                                sort_dirs: list[str] | None = None,
                                limit: int | None = None,
                                marker: str | None = None
                                ) -> tuple[list[Instance], list[str]]:
    """As list_servers, and the uuids of the cells that failed or did not
    answer (whose servers the list lacks)."""
    keys, dirs = _normalised(sort_keys, sort_dirs)
    key = sort_key(keys, dirs)
    cell_list = cells.load_cells(ctx)
    marker_values = (_marker_values(ctx, marker, keys, cell_list)
                     if marker else None)
    streams: list[Iterable[Instance]] = []
    pending = sorted(_build_requests(ctx, filters), key=key)
    if marker_values is not None:
        after = key(marker_values)
        pending = [i for i in pending if after < key(i)]
    streams.append(pending)
    results = cells.scatter_gather(ctx, cell_list, _cell_page, filters,
                                   keys, dirs, limit, marker_values)
    down: list[str] = []
    for cell_uuid, result in results.items():
        if cells.failed(result):
            LOG.warning('Cell %s did not answer a server list: %s',
                        cell_uuid, result)
            down.append(cell_uuid)
            continue
        streams.append(result)
    merged = heapq.merge(*streams, key=key)
    out: list[Instance] = []
    seen: set[str] = set()
    for instance in merged:
        # A server the conductor is moving into its cell right now may
        # show as both a build request and a cell instance.
        if instance.uuid in seen:
            continue
        seen.add(instance.uuid)
        out.append(instance)
        if limit is not None and len(out) >= limit:
            break
    return out, down
