"""nova.db.engines against real databases: the API database, cell databases
targeted by their mapping, transactions, and concurrent writers."""

import threading
import uuid

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from nova.db.api import tables as api_tables
from nova.db.main import tables as main_tables

pytestmark = pytest.mark.all_databases


class Ctx:
    """A stand-in request context: oslo.db only needs to set attributes."""


def _add_cell(engines, ctx, cell_url, name='cell1'):
    cell_uuid = str(uuid.uuid4())
    with engines.api_writer(ctx) as conn:
        conn.execute(api_tables.cell_mappings.insert().values(
            uuid=cell_uuid, name=name, transport_url='rabbit://rabbit//',
            database_connection=cell_url))
    with engines.api_reader(ctx) as conn:
        return conn.execute(sa.select(api_tables.cell_mappings).where(
            api_tables.cell_mappings.c.uuid == cell_uuid)).one()


def _new_instance(**values):
    row = {'uuid': str(uuid.uuid4()), 'project_id': 'p1', 'user_id': 'u1',
           'vm_state': 'building', 'display_name': 'vm'}
    row.update(values)
    return row


def test_cell_mapping_and_instance_round_trip(nova_engines, nova_cell_url):
    engines = nova_engines
    ctx = Ctx()
    cell = _add_cell(engines, ctx, nova_cell_url)
    assert cell.name == 'cell1'
    assert cell.database_connection == nova_cell_url
    assert cell.disabled is False
    assert cell.created_at is not None and cell.updated_at is None

    inst = _new_instance(access_ip_v4='192.0.2.10', locked_by='owner')
    with engines.api_writer(ctx) as conn:
        conn.execute(api_tables.instance_mappings.insert().values(
            instance_uuid=inst['uuid'], cell_id=cell.id, project_id='p1',
            user_id='u1'))
    with engines.cell_writer(cell, ctx) as conn:
        conn.execute(main_tables.instances.insert().values(**inst))
        conn.execute(main_tables.instance_extra.insert().values(
            instance_uuid=inst['uuid'], flavor='{"cur": {}}'))
        conn.execute(main_tables.instance_info_caches.insert().values(
            instance_uuid=inst['uuid'], network_info='[]'))
        conn.execute(main_tables.tags.insert().values(
            resource_id=inst['uuid'], tag='web'))

    with engines.api_reader(ctx) as conn:
        mapping = conn.execute(sa.select(api_tables.instance_mappings).where(
            api_tables.instance_mappings.c.instance_uuid == inst['uuid'])
        ).one()
    assert mapping.cell_id == cell.id
    assert mapping.queued_for_delete is False

    with engines.cell_reader(cell, ctx) as conn:
        got = conn.execute(sa.select(main_tables.instances).where(
            main_tables.instances.c.uuid == inst['uuid'])).one()
        extra = conn.execute(sa.select(main_tables.instance_extra.c.flavor)
                             ).scalar_one()
        tags = conn.execute(sa.select(main_tables.tags.c.tag)).scalars().all()
    assert got.project_id == 'p1' and got.display_name == 'vm'
    assert str(got.access_ip_v4) == '192.0.2.10'
    assert got.locked_by == 'owner'
    assert got.deleted == 0 and got.deleted_at is None
    assert got.created_at is not None
    assert got.shutdown_terminate is False and got.cleaned == 0
    assert extra == '{"cur": {}}'
    assert tags == ['web']


def test_soft_deleted_rows_free_their_unique_names(nova_engines,
                                                   nova_cell_url):
    services = main_tables.services
    values = {'host': 'compute1', 'binary': 'nova-compute',
              'topic': 'compute'}
    with nova_engines.cell_writer(nova_cell_url) as conn:
        first = conn.execute(services.insert().values(**values)
                             ).inserted_primary_key[0]
    with pytest.raises(db_exc.DBDuplicateEntry):
        with nova_engines.cell_writer(nova_cell_url) as conn:
            conn.execute(services.insert().values(**values))
    with nova_engines.cell_writer(nova_cell_url) as conn:
        conn.execute(services.update().where(services.c.id == first).values(
            deleted=services.c.id, deleted_at=sa.func.now()))
        conn.execute(services.insert().values(**values))
    with nova_engines.cell_reader(nova_cell_url) as conn:
        live = conn.execute(sa.select(services.c.id).where(
            services.c.deleted == 0)).scalars().all()
        updated = conn.execute(sa.select(services.c.updated_at).where(
            services.c.id == first)).scalar_one()
    assert len(live) == 1 and live[0] != first
    assert updated is not None


def test_cell_databases_are_cached_by_url(nova_engines, nova_cell_url,
                                          tmp_path):
    by_url = nova_engines.cell(nova_cell_url)
    assert nova_engines.cell({'database_connection': nova_cell_url}) is by_url
    other = 'sqlite:///%s' % (tmp_path / 'other.sqlite')
    assert nova_engines.cell(other) is not by_url
    with pytest.raises(ValueError):
        nova_engines.cell({'name': 'cell0'})


def test_an_api_transaction_can_enclose_a_cell_transaction(nova_engines,
                                                           nova_cell_url):
    engines = nova_engines
    ctx = Ctx()
    cell = _add_cell(engines, ctx, nova_cell_url)
    inst = _new_instance()

    with pytest.raises(RuntimeError):
        with engines.api_writer(ctx) as api_conn:
            api_conn.execute(api_tables.instance_mappings.insert().values(
                instance_uuid=inst['uuid'], cell_id=cell.id,
                project_id='p1'))
            with engines.cell_writer(cell, ctx) as cell_conn:
                cell_conn.execute(main_tables.instances.insert().values(
                    **inst))
                # A nested block on the same database joins its transaction.
                with engines.cell_reader(cell, ctx) as again:
                    assert again is cell_conn
                raise RuntimeError('roll both back')

    with engines.api_reader(ctx) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            api_tables.instance_mappings)).scalar_one() == 0
    with engines.cell_reader(cell, ctx) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            main_tables.instances)).scalar_one() == 0


def test_concurrent_read_then_write_transactions(nova_engines,
                                                 nova_cell_url):
    """Writers that read first must queue, not fail, on every backend
    (on SQLite this is what BEGIN IMMEDIATE is for)."""
    instances = main_tables.instances
    ctx = Ctx()    # one context shared by all threads, as scatter-gather does
    errors = []

    def work(n):
        try:
            for i in range(5):
                with nova_engines.cell_writer(nova_cell_url, ctx) as conn:
                    conn.execute(sa.select(sa.func.count()).select_from(
                        instances)).scalar_one()
                    conn.execute(instances.insert().values(
                        **_new_instance(display_name='t%d-%d' % (n, i))))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(
            instances)).scalar_one() == 30


def test_the_api_database_must_be_configured():
    from nova.db import engines
    engines.reset_for_tests()
    with pytest.raises(RuntimeError):
        with engines.api_reader():
            pass


def test_sqlite_writers_begin_immediate_and_readers_do_not(tmp_path):
    """Guards the BEGIN listener swap against oslo.db or SQLAlchemy changes."""
    from nova.db import engines
    engines.reset_for_tests()
    url = 'sqlite:///%s' % (tmp_path / 'cell.sqlite')
    seen = []
    sa.event.listen(engines.cell(url).engine(), 'before_cursor_execute',
                    lambda conn, cur, stmt, *args: seen.append(stmt))
    try:
        with engines.cell_writer(url) as conn:
            conn.exec_driver_sql('SELECT 1')
        with engines.cell_reader(url) as conn:
            conn.exec_driver_sql('SELECT 1')
    finally:
        engines.reset_for_tests()
    assert [s for s in seen if s.startswith('BEGIN')] == [
        'BEGIN IMMEDIATE', 'BEGIN']
