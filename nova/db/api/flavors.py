"""Queries on flavors, flavor_extra_specs and flavor_projects.

Visibility: `project_id=None` sees every flavor (admins); a project sees
the public flavors and the private ones it was given access to.
"""

from typing import Any

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.api import tables
from nova import exception
from nova.objects.flavor import Flavor

_f = tables.flavors
_specs = tables.flavor_extra_specs
_projects = tables.flavor_projects

# Columns a list may be sorted by (upstream's accepted sort keys).
SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb',
             'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb',
             'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus')


def _from_row(row: Any, extra_specs: dict[str, str]) -> Flavor:
    m = row._mapping
    return Flavor(
        id=m['id'], flavorid=m['flavorid'], name=m['name'],
        memory_mb=m['memory_mb'], vcpus=m['vcpus'],
        root_gb=m['root_gb'] or 0, ephemeral_gb=m['ephemeral_gb'] or 0,
        swap=m['swap'] or 0, rxtx_factor=m['rxtx_factor'],
        vcpu_weight=m['vcpu_weight'], disabled=bool(m['disabled']),
        is_public=bool(m['is_public']), description=m['description'],
        extra_specs=extra_specs, created_at=m['created_at'],
        updated_at=m['updated_at'])


def _public_or_granted(project_id: str | None) -> Any:
    if project_id is None:
        return _f.c.is_public == sa.true()
    granted = sa.exists().where(_projects.c.flavor_id == _f.c.id,
                                _projects.c.project_id == project_id)
    return sa.or_(_f.c.is_public == sa.true(), granted)


def _visible(project_id: str | None, admin: bool) -> Any:
    """What the caller may see: admins everything, others the public
    flavors and the private ones their project was given."""
    return sa.true() if admin else _public_or_granted(project_id)


def _specs_of(conn: sa.engine.Connection,
              ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {i: {} for i in ids}
    if ids:
        rows = conn.execute(sa.select(_specs.c.flavor_id, _specs.c.key,
                                      _specs.c.value)
                            .where(_specs.c.flavor_id.in_(ids)))
        for flavor_id, key, value in rows:
            found[flavor_id][key] = value
    return found


def get_by_flavor_id(conn: sa.engine.Connection, flavorid: str,
                     project_id: str | None = None,
                     admin: bool = True) -> Flavor:
    row = conn.execute(sa.select(_f).where(
        _f.c.flavorid == flavorid, _visible(project_id, admin))).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return _from_row(row, _specs_of(conn, [row.id])[row.id])


def list_flavors(conn: sa.engine.Connection, project_id: str | None = None,
                 admin: bool = True, is_public: bool | None = None,
                 disabled: bool | None = None, min_memory_mb: int = 0,
                 min_root_gb: int = 0, sort_key: str = 'flavorid',
                 sort_dir: str = 'asc', limit: int | None = None,
                 marker: str | None = None) -> list[Flavor]:
    """Flavors by (sort_key, id) in sort_dir, the page after `marker` (a
    flavorid; MarkerNotFound if not visible).

    is_public=True also takes the private flavors `project_id` was given,
    as upstream does; is_public=None takes both kinds.
    """
    where = [_visible(project_id, admin)]
    if is_public:
        where.append(_public_or_granted(project_id))
    elif is_public is not None:
        where.append(_f.c.is_public == sa.false())
    if disabled is not None:
        where.append(_f.c.disabled == disabled)
    if min_memory_mb:
        where.append(_f.c.memory_mb >= min_memory_mb)
    if min_root_gb:
        where.append(_f.c.root_gb >= min_root_gb)
    key = _f.c[sort_key]
    order = sa.desc if sort_dir == 'desc' else sa.asc
    if marker is not None:
        mark = conn.execute(sa.select(key, _f.c.id).where(
            _f.c.flavorid == marker, _visible(project_id, admin))).first()
        if mark is None:
            raise exception.MarkerNotFound(marker=marker)
        where.append(_after(key, mark[0], mark[1], sort_dir))
    # NULLs first ascending and last descending on every backend (NULLS
    # FIRST is not MySQL syntax, so sort on "is not null" first).
    not_null = sa.case((key.is_(None), 0), else_=1)
    query = (sa.select(_f).where(*where)
             .order_by(order(not_null), order(key), order(_f.c.id)))
    if limit is not None:
        query = query.limit(limit)
    rows = conn.execute(query).all()
    specs = _specs_of(conn, [r.id for r in rows])
    return [_from_row(r, specs[r.id]) for r in rows]


def _after(key: Any, value: Any, row_id: int, sort_dir: str) -> Any:
    """Rows after (value, row_id) in list_flavors' order."""
    past = (lambda c, v: c > v) if sort_dir == 'asc' else (lambda c, v: c < v)
    if value is None:
        if sort_dir == 'asc':
            return sa.or_(key.is_not(None),
                          sa.and_(key.is_(None), past(_f.c.id, row_id)))
        return sa.and_(key.is_(None), past(_f.c.id, row_id))
    later = sa.or_(past(key, value),
                   sa.and_(key == value, past(_f.c.id, row_id)))
    if sort_dir == 'desc':
        later = sa.or_(later, key.is_(None))
    return later


def create(conn: sa.engine.Connection, flavor: Flavor) -> Flavor:
    """Insert `flavor`; FlavorIdExists or FlavorExists on a clash."""
    _check_unique(conn, flavor)
    try:
        result = conn.execute(_f.insert().values(
            flavorid=flavor.flavorid, name=flavor.name,
            memory_mb=flavor.memory_mb, vcpus=flavor.vcpus,
            root_gb=flavor.root_gb, ephemeral_gb=flavor.ephemeral_gb,
            swap=flavor.swap, rxtx_factor=flavor.rxtx_factor,
            vcpu_weight=flavor.vcpu_weight, disabled=flavor.disabled,
            is_public=flavor.is_public, description=flavor.description))
    except db_exc.DBDuplicateEntry:
        # Lost a race with another create: say which value clashed.
        _check_unique(conn, flavor)
        raise
    key = result.inserted_primary_key
    assert key is not None  # set by every single-row insert
    (row_id,) = key
    if flavor.extra_specs:
        conn.execute(_specs.insert(), [
            {'flavor_id': row_id, 'key': k, 'value': v}
            for k, v in flavor.extra_specs.items()])
    return get_by_flavor_id(conn, flavor.flavorid)


def _check_unique(conn: sa.engine.Connection, flavor: Flavor) -> None:
    rows = conn.execute(sa.select(_f.c.flavorid, _f.c.name).where(
        sa.or_(_f.c.flavorid == flavor.flavorid,
               _f.c.name == flavor.name))).all()
    for flavorid, _name in rows:
        if flavorid == flavor.flavorid:
            raise exception.FlavorIdExists(flavor_id=flavor.flavorid)
    if rows:
        raise exception.FlavorExists(name=flavor.name)


def destroy(conn: sa.engine.Connection, flavorid: str) -> None:
    """Delete the flavor with its extra specs and project grants."""
    row_id = conn.execute(sa.select(_f.c.id).where(
        _f.c.flavorid == flavorid)).scalar()
    if row_id is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    conn.execute(_specs.delete().where(_specs.c.flavor_id == row_id))
    conn.execute(_projects.delete().where(_projects.c.flavor_id == row_id))
    conn.execute(_f.delete().where(_f.c.id == row_id))


def update_description(conn: sa.engine.Connection, flavor: Flavor,
                       description: str | None) -> Flavor:
    """Set the flavor's description; return the flavor as stored."""
    conn.execute(_f.update().where(_f.c.id == flavor.id).values(
        description=description, updated_at=timeutils.utcnow()))
    return get_by_flavor_id(conn, flavor.flavorid)


def update_extra_specs(conn: sa.engine.Connection, flavor: Flavor,
                       specs: dict[str, str]) -> None:
    """Add or replace `specs` on `flavor` (keys not named stay)."""
    for key, value in specs.items():
        updated = conn.execute(_specs.update().where(
            _specs.c.flavor_id == flavor.id, _specs.c.key == key)
            .values(value=value)).rowcount
        if not updated:
            conn.execute(_specs.insert().values(flavor_id=flavor.id,
                                                key=key, value=value))


def delete_extra_spec(conn: sa.engine.Connection, flavor: Flavor,
                      key: str) -> None:
    deleted = conn.execute(_specs.delete().where(
        _specs.c.flavor_id == flavor.id, _specs.c.key == key)).rowcount
    if not deleted:
        raise exception.FlavorExtraSpecsNotFound(
            flavor_id=flavor.flavorid, extra_specs_key=key)


def list_access(conn: sa.engine.Connection, flavor: Flavor) -> list[str]:
    """The projects given access to `flavor`, sorted."""
    return list(conn.execute(
        sa.select(_projects.c.project_id)
        .where(_projects.c.flavor_id == flavor.id)
        .order_by(_projects.c.project_id)).scalars())


def add_access(conn: sa.engine.Connection, flavor: Flavor,
               project_id: str) -> None:
    """FlavorAccessExists if the project has access already."""
    try:
        with conn.begin_nested():
            conn.execute(_projects.insert().values(flavor_id=flavor.id,
                                                   project_id=project_id))
    except db_exc.DBDuplicateEntry:
        raise exception.FlavorAccessExists(flavor_id=flavor.flavorid,
                                           project_id=project_id)


def remove_access(conn: sa.engine.Connection, flavor: Flavor,
                  project_id: str) -> None:
    """FlavorAccessNotFound if the project had no access."""
    deleted = conn.execute(_projects.delete().where(
        _projects.c.flavor_id == flavor.id,
        _projects.c.project_id == project_id)).rowcount
    if not deleted:
        raise exception.FlavorAccessNotFound(flavor_id=flavor.flavorid,
                                             project_id=project_id)
