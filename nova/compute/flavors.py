"""Flavors, their extra specs and the projects given a private flavor, as
the flavors API reads and (administrators) changes them.

A non-admin sees the public flavors and the private ones their project
was given, never a disabled one in a listing; any other flavor is
FlavorNotFound (404), as if it did not exist.
"""

from typing import Any

from oslo_log import log as logging
from oslo_utils import uuidutils
import sqlalchemy as sa

from nova.db.api import flavors as db
from nova.db import engines
from nova import exception
from nova.objects.flavor import Flavor

LOG = logging.getLogger(__name__)

#: The keys list_flavors may sort by.
SORT_KEYS = db.SORT_KEYS


def _visible(ctx: Any, conn: sa.engine.Connection, flavor_id: str) -> Flavor:
    return db.get_by_flavor_id(conn, flavor_id, ctx.project_id, ctx.is_admin)


def list_flavors(ctx: Any, is_public: bool | None = True,
                 min_memory_mb: int = 0, min_root_gb: int = 0,
                 sort_key: str = 'flavorid', sort_dir: str = 'asc',
                 limit: int | None = None,
                 marker: str | None = None) -> list[Flavor]:
    """The flavors the caller may use, by (sort_key, id) in sort_dir, at
    most `limit`, after the flavor `marker` (InvalidMarker, a 400, if the
    caller sees no such flavor).

    is_public (administrators only; others always get the public flavors
    and those their project was given, none disabled): True also takes
    the private flavors the project was given, False only private ones,
    None both."""
    if ctx.is_admin:
        filters = {'is_public': is_public}
    else:
        filters = {'is_public': True, 'disabled': False}
    with engines.api_reader(ctx) as conn:
        try:
            return db.list_flavors(
                conn, ctx.project_id, ctx.is_admin,
                min_memory_mb=min_memory_mb, min_root_gb=min_root_gb,
                sort_key=sort_key, sort_dir=sort_dir, limit=limit,
                marker=marker, **filters)
        except exception.MarkerNotFound:
            # The flavors API's own words since before microversions.
            raise exception.InvalidMarker('marker [%s] not found' % marker,
                                          marker=marker)


def get(ctx: Any, flavor_id: str) -> Flavor:
    """The flavor `flavor_id` with its extra specs (FlavorNotFound if the
    caller may not see it)."""
    with engines.api_reader(ctx) as conn:
        return _visible(ctx, conn, flavor_id)


@engines.retry_on_deadlock
def create(ctx: Any, name: str, memory_mb: int, vcpus: int, root_gb: int,
           ephemeral_gb: int = 0, swap: int = 0, rxtx_factor: float = 1.0,
           is_public: bool = True, flavorid: str | None = None,
           description: str | None = None) -> Flavor:
    """The new flavor (flavorid: a new UUID if None). FlavorIdExists or
    FlavorExists (409) if a flavor has that id or name."""
    flavor = Flavor(
        flavorid=flavorid if flavorid is not None
        else uuidutils.generate_uuid(),
        name=name, memory_mb=memory_mb, vcpus=vcpus, root_gb=root_gb,
        ephemeral_gb=ephemeral_gb, swap=swap, rxtx_factor=rxtx_factor,
        is_public=is_public, description=description)
    with engines.api_writer(ctx) as conn:
        return db.create(conn, flavor)


@engines.retry_on_deadlock
def update_description(ctx: Any, flavor_id: str,
                       description: str | None) -> Flavor:
    """The flavor with its new description (the one thing of a flavor
    that may change); FlavorNotFound if there is none."""
    with engines.api_writer(ctx) as conn:
        flavor = db.update_description(
            conn, _visible(ctx, conn, flavor_id), description)
    LOG.info('Flavor %s: description updated', flavor_id)
    return flavor


@engines.retry_on_deadlock
def delete(ctx: Any, flavor_id: str) -> None:
    """Delete the flavor with its extra specs and grants (FlavorNotFound
    if there is none)."""
    with engines.api_writer(ctx) as conn:
        db.destroy(conn, flavor_id)


# -- extra specs


def get_extra_spec(ctx: Any, flavor_id: str, key: str) -> str:
    """The flavor's extra spec `key`: FlavorNotFound if the caller may not
    see the flavor, FlavorExtraSpecsNotFound if it has no such key."""
    specs = get(ctx, flavor_id).extra_specs
    if key not in specs:
        raise exception.FlavorExtraSpecsNotFound(
            flavor_id=flavor_id, extra_specs_key=key)
    return specs[key]


@engines.retry_on_deadlock
def update_extra_specs(ctx: Any, flavor_id: str, specs: dict) -> None:
    """Add or replace `specs` (numbers and booleans are stored as their
    text); keys not named stay. FlavorNotFound if no such flavor."""
    stored = {k: v if isinstance(v, str) else str(v)
              for k, v in specs.items()}
    with engines.api_writer(ctx) as conn:
        db.update_extra_specs(conn, _visible(ctx, conn, flavor_id), stored)


@engines.retry_on_deadlock
def delete_extra_spec(ctx: Any, flavor_id: str, key: str) -> None:
    """FlavorNotFound if no such flavor, FlavorExtraSpecsNotFound if it
    has no such key."""
    with engines.api_writer(ctx) as conn:
        db.delete_extra_spec(conn, _visible(ctx, conn, flavor_id), key)


# -- access to private flavors


def list_access(ctx: Any, flavor_id: str) -> tuple[Flavor, list[str]]:
    """(the flavor, the projects given it, sorted). FlavorNotFound if the
    caller may not see it; FlavorAccessListUnavailable (404) for a public
    flavor, which has no list."""
    with engines.api_reader(ctx) as conn:
        flavor = _visible(ctx, conn, flavor_id)
        if flavor.is_public:
            raise exception.FlavorAccessListUnavailable()
        return flavor, db.list_access(conn, flavor)


@engines.retry_on_deadlock
def add_access(ctx: Any, flavor_id: str, project_id: str,
               public_allowed: bool = True) -> tuple[Flavor, list[str]]:
    """Give the project the flavor; (the flavor, its projects after).
    FlavorNotFound if no such flavor, FlavorAccessExists (409) if the
    project has it already, FlavorIsPublic (409) for a public flavor
    unless `public_allowed` (before 2.7, a grant no one needs)."""
    with engines.api_writer(ctx) as conn:
        flavor = _visible(ctx, conn, flavor_id)
        if flavor.is_public and not public_allowed:
            raise exception.FlavorIsPublic()
        db.add_access(conn, flavor, project_id)
        projects = db.list_access(conn, flavor)
    LOG.info('Added access of project %s to flavor %s', project_id,
             flavor.flavorid)
    return flavor, projects


@engines.retry_on_deadlock
def remove_access(ctx: Any, flavor_id: str,
                  project_id: str) -> tuple[Flavor, list[str]]:
    """Take the flavor from the project; (the flavor, its projects
    after). FlavorNotFound if no such flavor, FlavorAccessNotFound if the
    project did not have it."""
    with engines.api_writer(ctx) as conn:
        flavor = _visible(ctx, conn, flavor_id)
        db.remove_access(conn, flavor, project_id)
        projects = db.list_access(conn, flavor)
    LOG.info('Removed access of project %s to flavor %s', project_id,
             flavor.flavorid)
    return flavor, projects
