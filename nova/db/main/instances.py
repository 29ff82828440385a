"""A cell's instances: the records with their children (flavors in
instance_extra, metadata, system metadata, tags, faults), compare-and-swap
state changes, server lists and quota counts.

Functions take a Core connection from engines.cell_reader / cell_writer;
writers run inside the caller's transaction.
"""

from collections.abc import Callable, Sequence
import dataclasses
import datetime
import json
import re
import traceback
from typing import Any, Literal, NamedTuple, cast

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from nova.compute import states
from nova.db.main import tables
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

LOG = logging.getLogger(__name__)

_t = tables.instances


class InstanceRef(NamedTuple):
    """Just enough of an instance to map it to its cell."""
    uuid: str
    project_id: str | None
    user_id: str | None
    created_at: datetime.datetime | None
    id: int


def page_all(conn: sa.engine.Connection, limit: int,
             marker: str | None = None) -> list[InstanceRef]:
    """Instances, deleted ones included, oldest first, after the one whose
    uuid is `marker` (from the start when the marker is gone)."""
    query = sa.select(_t.c.uuid, _t.c.project_id, _t.c.user_id,
                      _t.c.created_at, _t.c.id)
    if marker is not None:
        after = conn.execute(sa.select(_t.c.created_at, _t.c.id)
                             .where(_t.c.uuid == marker)).first()
        if after is not None:
            query = query.where(_after(after.created_at, after.id))
    # NULL created_at first on every backend (PostgreSQL puts it last).
    has_created = sa.case((_t.c.created_at.is_(None), 0), else_=1)
    rows = conn.execute(query.order_by(has_created, _t.c.created_at, _t.c.id)
                        .limit(limit))
    return [InstanceRef(*r) for r in rows]


def _after(created_at: datetime.datetime | None, id: int) -> sa.ColumnElement:
    if created_at is None:
        return sa.or_(_t.c.created_at.is_not(None),
                      sa.and_(_t.c.created_at.is_(None), _t.c.id > id))
    return sa.or_(_t.c.created_at > created_at,
                  sa.and_(_t.c.created_at == created_at, _t.c.id > id))


def state(conn: sa.engine.Connection,
          uuid: str) -> Literal['live', 'deleted'] | None:
    """Whether the instance is live, soft-deleted, or gone (None)."""
    deleted = conn.execute(sa.select(_t.c.deleted)
                           .where(_t.c.uuid == uuid)).first()
    if deleted is None:
        return None
    return 'deleted' if deleted[0] else 'live'


def count_live(conn: sa.engine.Connection, host: str | None = None) -> int:
    """Instances not deleted (on `host`, if given)."""
    query = (sa.select(sa.func.count()).select_from(_t)
             .where(_t.c.deleted == 0))
    if host is not None:
        query = query.where(_t.c.host == host)
    return conn.execute(query).scalar_one()


def uuids_by_node(conn: sa.engine.Connection,
                  hosts: list[str]) -> dict[tuple[str, str], set[str]]:
    """{(host, node): uuids of the live instances there} on `hosts`."""
    if not hosts:
        return {}
    rows = conn.execute(sa.select(_t.c.host, _t.c.node, _t.c.uuid).where(
        _t.c.host.in_(hosts), _t.c.deleted == 0))
    out: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        out.setdefault((row.host, row.node), set()).add(row.uuid)
    return out


# -- instances as records: create, read, compare-and-swap, destroy

class _Any:
    def __repr__(self) -> str:
        return 'ANY'


#: "Whatever the current state is": update() and destroy() skip the check.
ANY: Any = _Any()

_meta = tables.instance_metadata
_sysmeta = tables.instance_system_metadata
_extra = tables.instance_extra
_faults = tables.instance_faults
_tags = tables.tags
_info = tables.instance_info_caches

# Instance fields stored as instances columns of the same name.
_COLUMNS = tuple(f.name for f in dataclasses.fields(Instance)
                 if f.name in _t.c)
# Fields update() may not change (destroy() deletes, add_fault() faults;
# volumes are block_device_mappings').
_FIXED = frozenset({'id', 'uuid', 'created_at', 'deleted', 'deleted_at',
                    'fault', 'volumes'})
_FLAVORS = {'flavor': 'cur', 'old_flavor': 'old', 'new_flavor': 'new'}
_KV_TABLES = {'metadata': _meta, 'system_metadata': _sysmeta}


def _now() -> datetime.datetime:
    return timeutils.utcnow()


def _flavor_columns(flavor: Flavor) -> dict[str, Any]:
    """The instances columns that repeat the flavor (quota counts them)."""
    return {'instance_type_id': flavor.id, 'memory_mb': flavor.memory_mb,
            'vcpus': flavor.vcpus, 'root_gb': flavor.root_gb,
            'ephemeral_gb': flavor.ephemeral_gb}


def _dump_flavors(flavors: dict[str, Flavor | None]) -> str:
    return json.dumps({key: flavor.to_primitive() if flavor else None
                       for key, flavor in flavors.items()})


def _load_flavors(text: str | None) -> dict[str, Flavor | None]:
    stored = json.loads(text) if text else {}
    return {key: Flavor.from_primitive(stored[key]) if stored.get(key)
            else None for key in _FLAVORS.values()}


def _dump_certs(ids: list[str] | None) -> str | None:
    return json.dumps(ids) if ids is not None else None


def create(conn: sa.engine.Connection, inst: Instance) -> Instance:
    """Insert `inst` with its flavors (instance_extra), metadata, system
    metadata, tags and an empty network info cache; return it as stored
    (id and created_at filled in; a created_at already set is kept)."""
    values = {name: getattr(inst, name) for name in _COLUMNS
              if name not in ('id', 'fault')}
    values.update(_flavor_columns(inst.flavor))
    values['deleted'] = 0
    values['created_at'] = inst.created_at or _now()
    conn.execute(_t.insert().values(**values))
    conn.execute(_extra.insert().values(
        instance_uuid=inst.uuid, flavor=_dump_flavors(
            {'cur': inst.flavor, 'old': inst.old_flavor,
             'new': inst.new_flavor}),
        trusted_certs=_dump_certs(inst.trusted_certs)))
    conn.execute(_info.insert().values(instance_uuid=inst.uuid,
                                       network_info='[]'))
    for field, table in _KV_TABLES.items():
        _set_kv(conn, table, inst.uuid, getattr(inst, field), replace=True)
    _insert_tags(conn, inst.uuid, inst.tags)
    return get(conn, inst.uuid)


def get(conn: sa.engine.Connection, uuid: str,
        read_deleted: bool = False) -> Instance:
    """The instance with its metadata, system metadata, tags, flavors and
    newest fault; InstanceNotFound if there is none (or it is deleted and
    read_deleted is False)."""
    query = sa.select(_t).where(_t.c.uuid == uuid)
    if not read_deleted:
        query = query.where(_t.c.deleted == 0)
    row = conn.execute(query).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    return _records(conn, [row])[0]


def _records(conn: sa.engine.Connection,
             rows: Sequence[Any]) -> list[Instance]:
    """Instances from instances rows, with one query per child table for
    all of them. A deleted instance keeps its (soft-deleted) children."""
    uuids = [r.uuid for r in rows]
    if not uuids:
        return []
    gone = [r.uuid for r in rows if r.deleted]

    def live(table: sa.Table) -> Any:
        cond = sa.and_(table.c.instance_uuid.in_(uuids), table.c.deleted == 0)
        if gone:
            cond = sa.or_(cond, table.c.instance_uuid.in_(gone))
        return cond

    kv: dict[str, dict[str, dict[str, str]]] = {}
    for field, table in _KV_TABLES.items():
        kv[field] = {u: {} for u in uuids}
        for u, key, value in conn.execute(
                sa.select(table.c.instance_uuid, table.c.key,
                          table.c.value).where(live(table))
                .order_by(table.c.id)):
            kv[field][u][key] = value
    tags: dict[str, list[str]] = {u: [] for u in uuids}
    for u, tag in conn.execute(
            sa.select(_tags.c.resource_id, _tags.c.tag).where(
                _tags.c.resource_id.in_(uuids)).order_by(_tags.c.tag)):
        tags[u].append(tag)
    flavors, certs = {}, {}
    for u, text, certs_text in conn.execute(
            sa.select(_extra.c.instance_uuid, _extra.c.flavor,
                      _extra.c.trusted_certs)
            .where(live(_extra)).order_by(_extra.c.id)):
        flavors[u] = text
        certs[u] = json.loads(certs_text) if certs_text else None
    newest = (sa.select(sa.func.max(_faults.c.id)).where(live(_faults))
              .group_by(_faults.c.instance_uuid))
    faults = {f.instance_uuid: {'code': f.code, 'message': f.message,
                                'details': f.details,
                                'created': f.created_at}
              for f in conn.execute(sa.select(_faults).where(
                  _faults.c.id.in_(newest)))}
    bdm = tables.block_device_mapping
    volumes: dict[str, list[dict]] = {u: [] for u in uuids}
    for u, volume_id, dot in conn.execute(
            sa.select(bdm.c.instance_uuid, bdm.c.volume_id,
                      bdm.c.delete_on_termination).where(
                live(bdm), bdm.c.destination_type == 'volume').order_by(
                sa.func.coalesce(bdm.c.boot_index, 1 << 30), bdm.c.id)):
        volumes[u].append({'id': volume_id,
                           'delete_on_termination': bool(dot)})
    out = []
    for row in rows:
        m = row._mapping
        values = {name: m[name] for name in _COLUMNS}
        values.update(
            deleted=bool(m['deleted']), locked=bool(m['locked']),
            power_state=m['power_state'] or 0,
            launch_index=m['launch_index'] or 0,
            config_drive=m['config_drive'] or '',
            auto_disk_config=bool(m['auto_disk_config']),
            progress=m['progress'] or 0,
            access_ip_v4=_ip(m['access_ip_v4']),
            access_ip_v6=_ip(m['access_ip_v6']))
        stored = _load_flavors(flavors.get(row.uuid))
        out.append(Instance(
            # create() always stores a flavor; a row written outside Nova
            # without one still loads, with flavor None, as it always has.
            **values, flavor=cast(Flavor, stored['cur']),
            old_flavor=stored['old'],
            new_flavor=stored['new'],
            metadata=kv['metadata'][row.uuid],
            system_metadata=kv['system_metadata'][row.uuid],
            tags=tags[row.uuid], fault=faults.get(row.uuid),
            volumes=volumes[row.uuid], trusted_certs=certs.get(row.uuid)))
    return out


def _ip(value: Any) -> str | None:
    # PostgreSQL's INET may come back as an address object.
    return None if value is None else str(value)


def _state_check(column: sa.Column, expected: Any) -> Any:
    wanted = (list(expected) if isinstance(expected, (list, tuple, set))
              else [expected])
    values = [v for v in wanted if v is not None]
    cond: sa.ColumnElement[bool] = (column.in_(values) if values
                                    else sa.false())
    if len(values) < len(wanted):
        cond = sa.or_(cond, column.is_(None))
    return cond


def _matches(actual: Any, expected: Any) -> bool:
    if expected is ANY:
        return True
    if isinstance(expected, (list, tuple, set)):
        return actual in expected
    return actual == expected


def _swap(conn: sa.engine.Connection, uuid: str, expected_task_state: Any,
          expected_vm_state: Any, values: dict[str, Any]) -> None:
    """UPDATE the live row only if its states are as expected; else raise
    what is wrong (InstanceNotFound, UnexpectedTaskStateError or
    UnexpectedVMStateError)."""
    where = [_t.c.uuid == uuid, _t.c.deleted == 0]
    if expected_task_state is not ANY:
        where.append(_state_check(_t.c.task_state, expected_task_state))
    if expected_vm_state is not ANY:
        where.append(_state_check(_t.c.vm_state, expected_vm_state))
    while True:
        if conn.execute(_t.update().where(*where)
                        .values(**values)).rowcount:
            return
        row = conn.execute(sa.select(_t.c.task_state, _t.c.vm_state).where(
            _t.c.uuid == uuid, _t.c.deleted == 0)).first()
        if row is None:
            raise exception.InstanceNotFound(instance_id=uuid)
        if not _matches(row.task_state, expected_task_state):
            raise exception.UnexpectedTaskStateError(
                expected=expected_task_state, actual=row.task_state)
        if not _matches(row.vm_state, expected_vm_state):
            raise exception.UnexpectedVMStateError(
                expected=expected_vm_state, actual=row.vm_state)
        # The row changed back between the two statements: try again.


def update(conn: sa.engine.Connection, uuid: str, /, *,
           expected_task_state: Any = ANY, expected_vm_state: Any = ANY,
           **values: Any) -> Instance:
    """Set `values` (Instance fields; metadata, system_metadata and tags
    are replaced whole; flavor, old_flavor, new_flavor, trusted_certs)
    on the live instance, atomically only if its task_state / vm_state is
    the expected value or one of the expected values (None means NULL);
    return the instance as stored.

    Raises InstanceNotFound, UnexpectedTaskStateError (checked first) or
    UnexpectedVMStateError, and ValueError for fields that cannot change.
    """
    bad = set(values) & _FIXED | (set(values) - {
        f.name for f in dataclasses.fields(Instance)})
    if bad:
        raise ValueError('Cannot update instance field(s) %s'
                         % ', '.join(sorted(bad)))
    columns = {k: v for k, v in values.items() if k in _COLUMNS}
    if values.get('flavor') is not None:
        columns.update(_flavor_columns(values['flavor']))
    columns['updated_at'] = _now()
    _swap(conn, uuid, expected_task_state, expected_vm_state, columns)
    for field, table in _KV_TABLES.items():
        if field in values:
            _set_kv(conn, table, uuid, values[field], replace=True)
    if 'tags' in values:
        conn.execute(_tags.delete().where(_tags.c.resource_id == uuid))
        _insert_tags(conn, uuid, values['tags'])
    if 'trusted_certs' in values:
        conn.execute(_extra.update().where(
            _extra.c.instance_uuid == uuid, _extra.c.deleted == 0).values(
                trusted_certs=_dump_certs(values['trusted_certs']),
                updated_at=_now()))
    flavors = {_FLAVORS[k]: v for k, v in values.items() if k in _FLAVORS}
    if flavors:
        text = conn.execute(sa.select(_extra.c.flavor).where(
            _extra.c.instance_uuid == uuid, _extra.c.deleted == 0)).scalar()
        stored = _load_flavors(text)
        stored.update(flavors)
        conn.execute(_extra.update().where(
            _extra.c.instance_uuid == uuid, _extra.c.deleted == 0).values(
                flavor=_dump_flavors(stored), updated_at=_now()))
    return get(conn, uuid)


def destroy(conn: sa.engine.Connection, uuid: str, *,
            expected_task_state: Any = ANY) -> Instance:
    """Soft-delete the live instance (vm_state deleted, task_state None,
    terminated now) and its metadata, system metadata, extra, info cache,
    faults, block device mappings and migrations; its tags and console
    tokens are removed (its actions stay, to be shown). Returns the
    deleted instance. Raises as update() does."""
    now = _now()
    _swap(conn, uuid, expected_task_state, ANY, {
        'deleted': _t.c.id, 'deleted_at': now, 'updated_at': now,
        'vm_state': states.DELETED, 'task_state': None,
        'terminated_at': now})
    for table in (_meta, _sysmeta, _extra, _info, _faults,
                  tables.block_device_mapping, tables.migrations):
        conn.execute(table.update().where(
            table.c.instance_uuid == uuid, table.c.deleted == 0).values(
                deleted=table.c.id, deleted_at=now))
    conn.execute(_tags.delete().where(_tags.c.resource_id == uuid))
    # Its console tokens stop working with it (and never block archiving).
    conn.execute(tables.console_auth_tokens.delete().where(
        tables.console_auth_tokens.c.instance_uuid == uuid))
    LOG.info('Deleted instance %s', uuid)
    return get(conn, uuid, read_deleted=True)


def add_fault(conn: sa.engine.Connection, uuid: str, code: int,
              message: str, details: str = '',
              host: str | None = None) -> None:
    """Record a fault on the instance (the newest one is its `fault`)."""
    conn.execute(_faults.insert().values(
        instance_uuid=uuid, code=code, message=(message or '')[:255],
        details=details, host=host))


def add_fault_from(conn: sa.engine.Connection, uuid: str,
                   exc: BaseException, host: str | None = None) -> None:
    """Record `exc` as the instance's fault: its code (500 if it has
    none), its message and its traceback."""
    add_fault(conn, uuid, getattr(exc, 'code', 500) or 500, str(exc),
              ''.join(traceback.format_exception(exc)), host=host)


def list_by_host(conn: sa.engine.Connection, host: str,
                 node: str | None = None) -> list[Instance]:
    """The live instances on `host` (and `node`, if given), by id."""
    query = sa.select(_t).where(_t.c.host == host, _t.c.deleted == 0)
    if node is not None:
        query = query.where(_t.c.node == node)
    return _records(conn, conn.execute(query.order_by(_t.c.id)).all())


# -- metadata and tags


def _live_uuid(conn: sa.engine.Connection, uuid: str) -> None:
    if state(conn, uuid) != 'live':
        raise exception.InstanceNotFound(instance_id=uuid)


def _set_kv(conn: sa.engine.Connection, table: sa.Table, uuid: str,
            new: dict[str, str], replace: bool) -> dict[str, str]:
    """Write `new` into a key/value child table (keys not in `new` are
    soft-deleted if `replace`); return the resulting dict."""
    current = {key: (row_id, value) for row_id, key, value in conn.execute(
        sa.select(table.c.id, table.c.key, table.c.value).where(
            table.c.instance_uuid == uuid, table.c.deleted == 0))}
    now = _now()
    if replace:
        dropped = [row_id for key, (row_id, _) in current.items()
                   if key not in new]
        if dropped:
            conn.execute(table.update().where(table.c.id.in_(dropped))
                         .values(deleted=table.c.id, deleted_at=now))
    for key, value in new.items():
        if key not in current:
            conn.execute(table.insert().values(
                instance_uuid=uuid, key=key, value=value))
        elif current[key][1] != value:
            conn.execute(table.update().where(
                table.c.id == current[key][0]).values(
                    value=value, updated_at=now))
    result = {} if replace else {k: v for k, (_, v) in current.items()}
    result.update(new)
    return result


def set_metadata(conn: sa.engine.Connection, uuid: str,
                 metadata: dict[str, str], replace: bool) -> dict[str, str]:
    """Add or change `metadata` (and drop every other key if `replace`);
    return the instance's whole metadata. InstanceNotFound if not live."""
    _live_uuid(conn, uuid)
    return _set_kv(conn, _meta, uuid, metadata, replace)


def delete_metadata_key(conn: sa.engine.Connection, uuid: str,
                        key: str) -> None:
    """Remove one metadata key; InstanceMetadataNotFound if it is not set
    (InstanceNotFound if there is no live instance)."""
    _live_uuid(conn, uuid)
    gone = conn.execute(_meta.update().where(
        _meta.c.instance_uuid == uuid, _meta.c.key == key,
        _meta.c.deleted == 0).values(deleted=_meta.c.id,
                                     deleted_at=_now())).rowcount
    if not gone:
        raise exception.InstanceMetadataNotFound(key=key, instance_id=uuid)


def _insert_tags(conn: sa.engine.Connection, uuid: str,
                 tags: Sequence[str]) -> None:
    unique = list(dict.fromkeys(tags))
    if unique:
        conn.execute(_tags.insert(), [{'resource_id': uuid, 'tag': tag}
                                      for tag in unique])


def add_tag(conn: sa.engine.Connection, uuid: str, tag: str) -> list[str]:
    """Tag the live instance (a tag it has already is fine); return its
    tags, sorted. InstanceNotFound if there is no live instance."""
    _live_uuid(conn, uuid)
    have = conn.execute(sa.select(_tags.c.tag).where(
        _tags.c.resource_id == uuid, _tags.c.tag == tag)).first()
    if have is None:
        _insert_tags(conn, uuid, [tag])
    return _tags_of(conn, uuid)


def delete_tag(conn: sa.engine.Connection, uuid: str, tag: str) -> None:
    """Untag; InstanceTagNotFound if the instance does not have `tag`."""
    _live_uuid(conn, uuid)
    if not conn.execute(_tags.delete().where(
            _tags.c.resource_id == uuid, _tags.c.tag == tag)).rowcount:
        raise exception.InstanceTagNotFound(instance_id=uuid, tag=tag)


def set_tags(conn: sa.engine.Connection, uuid: str,
             tags: Sequence[str]) -> list[str]:
    """Replace the live instance's tags; return them, sorted."""
    _live_uuid(conn, uuid)
    conn.execute(_tags.delete().where(_tags.c.resource_id == uuid))
    _insert_tags(conn, uuid, tags)
    return _tags_of(conn, uuid)


def _tags_of(conn: sa.engine.Connection, uuid: str) -> list[str]:
    return list(conn.execute(sa.select(_tags.c.tag).where(
        _tags.c.resource_id == uuid).order_by(_tags.c.tag)).scalars())


# -- quota usage


def count_usage(conn: sa.engine.Connection, project_id: str,
                user_id: str | None = None,
                exclude_uuids: Sequence[str] = ()) -> dict[str, int]:
    """{'instances', 'cores', 'ram'} of the project's (or, with user_id,
    that user's) live instances, less those in `exclude_uuids` (the build
    requests quota counts by themselves)."""
    query = sa.select(sa.func.count(), sa.func.sum(_t.c.vcpus),
                      sa.func.sum(_t.c.memory_mb)).where(
        _t.c.project_id == project_id, _t.c.deleted == 0)
    if user_id is not None:
        query = query.where(_t.c.user_id == user_id)
    if exclude_uuids:
        query = query.where(_t.c.uuid.not_in(list(exclude_uuids)))
    count, cores, ram = conn.execute(query).one()
    return {'instances': count, 'cores': int(cores or 0),
            'ram': int(ram or 0)}


# -- server lists

# Sort keys that are never NULL in rows this module writes: sorted as they
# are, so that the listing indexes (.., created_at, uuid) give the order.
_NEVER_NULL = frozenset({'id', 'uuid', 'created_at', 'deleted'})
# Filters matched in Python, portably (not every backend has a regex
# operator, and flavors are JSON): rows are read in batches until a page
# is full.
_BATCH = 200
# Filters that mean nothing to a cell database.
_IGNORED = frozenset({'ip', 'ip6'})


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _order(sort_keys: Sequence[str],
           sort_dirs: Sequence[str]) -> list[tuple[sa.Column, bool]]:
    """[(column, descending)], uuid last (in the first key's direction)
    unless named; missing directions take the first one's (asc if none)."""
    keys = list(sort_keys)
    dirs = list(sort_dirs)
    if len(dirs) > len(keys) or not set(dirs) <= {'asc', 'desc'}:
        raise ValueError('Bad sort directions %r for keys %r'
                         % (sort_dirs, sort_keys))
    dirs += [dirs[0] if dirs else 'asc'] * (len(keys) - len(dirs))
    if 'uuid' not in keys:
        keys.append('uuid')
        dirs.append(dirs[0])
    unknown = [k for k in keys if k not in _t.c]
    if unknown:
        raise ValueError('Cannot sort instances by %s' % ', '.join(unknown))
    return [(_t.c[k], d == 'desc') for k, d in zip(keys, dirs)]


def _order_by(order: list[tuple[sa.Column, bool]], dialect: str) -> list:
    """NULLs first ascending and last descending, as MySQL and SQLite do
    natively and PostgreSQL must be told."""
    out = []
    for column, desc in order:
        clause = column.desc() if desc else column.asc()
        if dialect == 'postgresql' and column.name not in _NEVER_NULL:
            clause = clause.nulls_last() if desc else clause.nulls_first()
        out.append(clause)
    return out


def _past_marker(order: list[tuple[sa.Column, bool]],
                 values: dict[str, Any]) -> Any:
    """Rows strictly after the one with `values` in `order`."""
    terms = []
    equal: list[Any] = []
    for column, desc in order:
        value = values.get(column.name)
        later: sa.ColumnElement[bool]
        if value is None:
            later = sa.false() if desc else column.is_not(None)
            same = column.is_(None)
        else:
            later = column < value if desc else column > value
            if desc and column.name not in _NEVER_NULL:
                later = sa.or_(later, column.is_(None))
            same = column == value
        terms.append(sa.and_(*equal, later))
        equal.append(same)
    return sa.or_(*terms)


def _where(filters: dict[str, Any]) -> list:
    where = []
    deleted = filters.get('deleted', False)
    if deleted is not None:
        where.append(_t.c.deleted != 0 if deleted else _t.c.deleted == 0)
    for name, value in filters.items():
        if (value is None or name in _IGNORED
                or name in ('deleted', 'name', 'flavor')):
            continue
        if name == 'uuid':
            where.append(_t.c.uuid.in_(_as_list(value)))
        elif name == 'image':
            where.append(_t.c.image_ref.in_(_as_list(value)))
        elif name == 'changes-since':
            where.append(_t.c.updated_at >= value)
        elif name == 'changes-before':
            where.append(_t.c.updated_at <= value)
        elif name == 'locked':
            where.append(_t.c.locked == sa.true() if value
                         else sa.or_(_t.c.locked == sa.false(),
                                     _t.c.locked.is_(None)))
        elif name in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
            where.append(_tag_filter(name, list(dict.fromkeys(value))))
        elif name in _t.c:
            where.append(_state_check(_t.c[name], value))
    return where


def _tag_filter(name: str, tags: list[str]) -> Any:
    tagged = sa.select(_tags.c.resource_id).where(_tags.c.tag.in_(tags))
    if name in ('tags', 'not-tags'):
        tagged = (tagged.group_by(_tags.c.resource_id)
                  .having(sa.func.count() == len(tags)))
    if name.startswith('not-'):
        return _t.c.uuid.not_in(tagged)
    return _t.c.uuid.in_(tagged)


def _python_filter(filters: dict[str, Any]) -> Any:
    """A predicate on (row, flavor JSON) for the filters SQL leaves out,
    or None if there are none."""
    checks: list[Callable[[Any, str | None], bool]] = []
    if filters.get('name') is not None:
        pattern = re.compile(filters['name'])
        checks.append(lambda row, _: bool(
            row.display_name and pattern.search(row.display_name)))
    if filters.get('flavor') is not None:
        wanted = set(_as_list(filters['flavor']))

        def flavor_matches(_: Any, text: str | None) -> bool:
            cur = _load_flavors(text)['cur']
            return cur is not None and cur.flavorid in wanted
        checks.append(flavor_matches)
    if not checks:
        return None
    return lambda row, text: all(check(row, text) for check in checks)


def list_instances(conn: sa.engine.Connection, filters: dict[str, Any],
                   sort_keys: Sequence[str], sort_dirs: Sequence[str],
                   limit: int | None = None,
                   marker_values: dict[str, Any] | None = None
                   ) -> list[Instance]:
    """At most `limit` instances matching `filters`, sorted by sort_keys
    in sort_dirs ('asc'/'desc'; missing ones take the first's), with uuid
    as the final key in the first key's direction; NULLs first ascending
    and last descending on every backend. With marker_values (the marker
    row's values of the sort keys and uuid) only rows strictly after it.

    Filters (upstream's names): deleted (False or absent: live rows; True:
    deleted rows; None: both), project_id, user_id, vm_state, task_state,
    host, node, reservation_id, availability_zone, uuid, image (image_ref),
    flavor (flavorid) (each a value, or a list that may hold None for
    NULL), name (a Python regex searched in display_name), changes-since
    (updated_at at or after), changes-before (at or before), locked
    (bool), tags / tags-any / not-tags / not-tags-any (lists). A filter
    whose value is None is no filter; ip and ip6 are ignored; any other
    instances column matches exactly, other names are ignored.
    """
    order = _order(sort_keys, sort_dirs)
    where = _where(filters)
    keep = _python_filter(filters)
    query = sa.select(_t)
    if keep is not None:
        # One extra row per instance, soft-deleted with it.
        query = (sa.select(_t, _extra.c.flavor.label('extra_flavor'))
                 .outerjoin(_extra, _extra.c.instance_uuid == _t.c.uuid))
    query = query.where(*where).order_by(
        *_order_by(order, conn.dialect.name))
    if keep is None:
        if marker_values is not None:
            query = query.where(_past_marker(order, marker_values))
        if limit is not None:
            query = query.limit(limit)
        return _records(conn, conn.execute(query).all())
    rows: list[Any] = []
    after = marker_values
    size = max(_BATCH, limit or 0)
    while limit is None or len(rows) < limit:
        batch_query = query.limit(size)
        if after is not None:
            batch_query = batch_query.where(_past_marker(order, after))
        batch = conn.execute(batch_query).all()
        rows.extend(r for r in batch if keep(r, r.extra_flavor))
        if len(batch) < size:
            break
        after = {column.name: batch[-1]._mapping[column]
                 for column, _ in order}
    return _records(conn, rows[:limit])


def get_marker_values(conn: sa.engine.Connection, uuid: str,
                      sort_keys: Sequence[str]) -> dict[str, Any] | None:
    """The values of sort_keys and uuid in the instance `uuid` (deleted or
    not), for list_instances' marker_values; None if this cell has no
    such instance."""
    names = list(dict.fromkeys([*sort_keys, 'uuid']))
    unknown = [k for k in names if k not in _t.c]
    if unknown:
        raise ValueError('Cannot sort instances by %s' % ', '.join(unknown))
    row = conn.execute(sa.select(*[_t.c[k] for k in names]).where(
        _t.c.uuid == uuid)).first()
    return dict(row._mapping) if row is not None else None


def list_active_in_window(conn: sa.engine.Connection,
                          begin: datetime.datetime,
                          end: datetime.datetime,
                          project_id: str | None = None,
                          limit: int | None = None,
                          marker: str | None = None,
                          host: str | None = None) -> list[Instance]:
    """Instances (deleted ones too) that ran at some time between `begin`
    and `end`: launched before `end`, not terminated before `begin`; in
    (project_id, uuid) order, after the instance `marker`
    (MarkerNotFound if this cell has no such instance); only those on
    `host` if given."""
    query = sa.select(_t).where(
        sa.or_(_t.c.terminated_at.is_(None), _t.c.terminated_at > begin),
        _t.c.launched_at < end)
    if project_id is not None:
        query = query.where(_t.c.project_id == project_id)
    if host is not None:
        query = query.where(_t.c.host == host)
    if marker is not None:
        after = conn.execute(sa.select(_t.c.project_id, _t.c.uuid).where(
            _t.c.uuid == marker)).first()
        if after is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(sa.or_(
            _t.c.project_id > after.project_id,
            sa.and_(_t.c.project_id == after.project_id,
                    _t.c.uuid > after.uuid)))
    query = query.order_by(_t.c.project_id, _t.c.uuid)
    if limit is not None:
        query = query.limit(limit)
    return _records(conn, conn.execute(query).all())
