"""Archiving deleted rows into the shadow tables, and purging them, on
each database backend (nova.db.main.archive)."""

import datetime
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db.main import archive
from nova.db.main import tables

pytestmark = pytest.mark.all_databases

OLD = datetime.datetime(2020, 1, 1)
NEW = datetime.datetime(2024, 6, 1)


def _instance(conn, deleted_at=None, with_children=True) -> str:
    """An instance with one row in every table that hangs off it; deleted
    (as nova deletes: the instance and its extra, metadata, BDMs and info
    cache marked, faults, actions and events left) when deleted_at."""
    uuid = str(uuidlib.uuid4())
    gone = {'deleted': 0}
    ins = conn.execute(tables.instances.insert().values(
        uuid=uuid, project_id='p', user_id='u', created_at=OLD))
    iid = ins.inserted_primary_key[0]
    if deleted_at:
        gone = {'deleted': 1, 'deleted_at': deleted_at}
        conn.execute(tables.instances.update()
                     .where(tables.instances.c.id == iid)
                     .values(deleted=iid, deleted_at=deleted_at))
    if not with_children:
        return uuid
    for table, values in (
            (tables.instance_extra, {'flavor': '{}', **gone}),
            (tables.instance_metadata, {'key': 'k', 'value': 'v', **gone}),
            (tables.instance_system_metadata, {'key': 'k', **gone}),
            (tables.instance_info_caches, {'network_info': '[]', **gone}),
            (tables.block_device_mapping, {'uuid': str(uuidlib.uuid4()),
                                           **gone}),
            (tables.instance_faults, {'code': 500, 'message': 'boom'}),
            (tables.migrations, {'uuid': str(uuidlib.uuid4()),
                                 'status': 'done'})):
        conn.execute(table.insert().values(instance_uuid=uuid, **values))
    action = conn.execute(tables.instance_actions.insert().values(
        instance_uuid=uuid, action='create', request_id='req-1',
        created_at=OLD)).inserted_primary_key[0]
    conn.execute(tables.instance_actions_events.insert().values(
        action_id=action, event='build', created_at=OLD))
    conn.execute(tables.tags.insert().values(resource_id=uuid, tag='web'))
    return uuid


def _counts(conn) -> dict:
    """{table: rows} for live and shadow tables with any rows."""
    out = {}
    for table in tables.metadata.sorted_tables:
        count = conn.execute(sa.select(sa.func.count())
                             .select_from(table)).scalar_one()
        if count:
            out[table.name] = count
    return out


def _uuids(conn, table) -> set:
    return set(conn.execute(sa.select(table.c.instance_uuid)).scalars())


def test_archive_moves_deleted_instance_and_everything_under_it(
        cell_db, nova_cell_url):
    with cell_db.begin() as conn:
        gone = _instance(conn, deleted_at=OLD)
        live = _instance(conn)
        rows_before = conn.execute(sa.select(tables.instance_faults).where(
            tables.instance_faults.c.instance_uuid == gone)).one()

    archived, uuids = archive.archive_deleted_rows(nova_cell_url, 1000)

    children = ('instance_extra', 'instance_metadata',
                'instance_system_metadata', 'instance_info_caches',
                'block_device_mapping', 'instance_faults', 'migrations',
                'instance_actions', 'instance_actions_events', 'instances')
    assert archived == {name: 1 for name in children}
    assert uuids == [gone]
    with cell_db.connect() as conn:
        counts = _counts(conn)
        # The live instance keeps all its rows; the deleted one's moved.
        for name in children:
            assert counts[name] == 1, name
            assert counts['shadow_' + name] == 1, name
        assert _uuids(conn, tables.instance_faults) == {live}
        assert _uuids(conn, tables.SHADOWS['instance_faults']) == {gone}
        # Rows arrive unchanged (ids included).
        shadow = tables.SHADOWS['instance_faults']
        assert conn.execute(sa.select(shadow)).one() == rows_before
        # Tags have no shadow: the archived instance's are gone.
        assert list(conn.execute(sa.select(tables.tags.c.resource_id))
                    .scalars()) == [live]

    assert archive.archive_deleted_rows(nova_cell_url, 1000) == ({}, [])


def test_archive_in_batches_children_first_never_half_moved(
        cell_db, nova_cell_url):
    with cell_db.begin() as conn:
        gone = [_instance(conn, deleted_at=OLD) for _ in range(3)]
        _instance(conn)
        total = sum(n for name, n in _counts(conn).items() if name != 'tags')
    seen_instances = []
    runs = 0
    while True:
        archived, uuids = archive.archive_deleted_rows(nova_cell_url, 4)
        if not archived:
            break
        runs += 1
        assert sum(archived.values()) <= 4
        seen_instances += uuids
        with cell_db.connect() as conn:
            counts = _counts(conn)
            # Every row is in exactly one place after every batch.
            assert sum(n for name, n in counts.items()
                       if name != 'tags') == total
            # A parent only leaves after all its children did.
            moved = set(conn.execute(sa.select(
                tables.SHADOWS['instances'].c.uuid)).scalars())
            for child in ('instance_extra', 'instance_faults',
                          'instance_actions', 'block_device_mapping'):
                assert not moved & _uuids(conn, getattr(tables, child)), child
    # 3 instances x 10 rows in batches of 4.
    assert runs == 8
    assert sorted(seen_instances) == sorted(gone)


def test_archive_before_only_takes_rows_deleted_earlier(
        cell_db, nova_cell_url):
    with cell_db.begin() as conn:
        old = _instance(conn, deleted_at=OLD)
        new = _instance(conn, deleted_at=NEW)
        conn.execute(tables.services.insert().values(
            host='h', binary='nova-compute', report_count=0, deleted=1,
            deleted_at=NEW))

    archived, uuids = archive.archive_deleted_rows(
        nova_cell_url, 1000, before=datetime.datetime(2022, 1, 1))

    assert uuids == [old]
    assert 'services' not in archived
    with cell_db.connect() as conn:
        assert _uuids(conn, tables.instance_faults) == {new}
        assert _uuids(conn, tables.instance_actions) == {new}


def test_soft_deleted_rows_of_live_instances_and_services_archive(
        cell_db, nova_cell_url):
    with cell_db.begin() as conn:
        live = _instance(conn, with_children=False)
        conn.execute(tables.instance_metadata.insert().values(
            instance_uuid=live, key='old', deleted=1, deleted_at=OLD))
        conn.execute(tables.instance_metadata.insert().values(
            instance_uuid=live, key='kept'))
        action = conn.execute(tables.instance_actions.insert().values(
            instance_uuid=live, action='reboot', deleted=1,
            deleted_at=OLD)).inserted_primary_key[0]
        # An event of a deleted action goes with it.
        conn.execute(tables.instance_actions_events.insert().values(
            action_id=action, event='reboot'))
        conn.execute(tables.services.insert().values(
            host='h', binary='nova-compute', report_count=0, deleted=1,
            deleted_at=OLD))

    archived, uuids = archive.archive_deleted_rows(nova_cell_url, 1000)

    assert archived == {'instance_metadata': 1, 'instance_actions': 1,
                        'instance_actions_events': 1, 'services': 1}
    assert uuids == []
    with cell_db.connect() as conn:
        assert list(conn.execute(sa.select(
            tables.instance_metadata.c.key)).scalars()) == ['kept']


def test_purge_before_and_all(cell_db, nova_cell_url):
    with cell_db.begin() as conn:
        _instance(conn, deleted_at=OLD)
        _instance(conn, deleted_at=NEW)
    archive.archive_deleted_rows(nova_cell_url, 1000)
    lines = []

    deleted = archive.purge_shadow_tables(
        nova_cell_url, datetime.datetime(2022, 1, 1), lines.append)

    # Rows marked deleted in 2020 go; actions and events go by creation
    # (2020 for both instances'); faults and migrations were never marked
    # deleted, so have no deleted_at for --before to judge.
    with cell_db.connect() as conn:
        counts = _counts(conn)
    assert deleted == 6 + 2 + 2
    assert counts['shadow_instances'] == 1
    assert 'shadow_instance_actions' not in counts
    assert counts['shadow_instance_faults'] == 2
    assert ('Deleted 2 rows from shadow_instance_actions based on '
            'timestamp column created_at') in lines
    assert ('Deleted 1 rows from shadow_instances based on timestamp '
            'column deleted_at') in lines

    assert archive.purge_shadow_tables(nova_cell_url) == 6 + 2 + 2
    with cell_db.connect() as conn:
        assert not [n for n in _counts(conn) if n.startswith('shadow_')]
    assert archive.purge_shadow_tables(nova_cell_url) == 0


def test_delete_api_records(nova_engines, nova_api_url):
    engine = sa.create_engine(nova_api_url, poolclass=sa.pool.NullPool)
    gone, kept = str(uuidlib.uuid4()), str(uuidlib.uuid4())
    with engine.begin() as conn:
        group = conn.execute(api_tables.instance_groups.insert().values(
            uuid=str(uuidlib.uuid4()))).inserted_primary_key[0]
        for uuid in (gone, kept):
            conn.execute(api_tables.instance_mappings.insert().values(
                instance_uuid=uuid, project_id='p'))
            conn.execute(api_tables.request_specs.insert().values(
                instance_uuid=uuid, spec='{}'))
            conn.execute(api_tables.instance_group_member.insert().values(
                instance_uuid=uuid, group_id=group))

    with nova_engines.api_writer() as conn:
        deleted = archive.delete_api_records(
            conn, [gone, str(uuidlib.uuid4())])

    assert deleted == {'instance_mappings': 1, 'request_specs': 1,
                       'instance_group_member': 1}
    with engine.connect() as conn:
        for table in (api_tables.instance_mappings, api_tables.request_specs,
                      api_tables.instance_group_member):
            assert list(conn.execute(sa.select(table.c.instance_uuid))
                        .scalars()) == [kept]
    engine.dispose()
