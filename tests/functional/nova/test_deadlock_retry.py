"""Writes that deadlock run again (nova.db.engines.retry_on_deadlock).

SQLite never deadlocks, so the deadlock is injected at the driver level:
a before_cursor_execute listener on the real engine raises oslo.db's
DBDeadlock when a matching statement is about to run, and the transaction
rolls back as it would on MySQL. The functions under test run unchanged.
"""

import contextlib

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from nova.compute import flavors
from nova.compute import keypairs
from nova import context as nova_context
from nova.db.main import services
from nova.objects.service import Service
from nova import service


@contextlib.contextmanager
def deadlocks(engine, prefix, times):
    """Raise DBDeadlock the first `times` times a statement starting with
    `prefix` runs on `engine` (every time if None); yields the list of
    statements that deadlocked."""
    hits = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(prefix.upper()) and (
                times is None or len(hits) < times):
            hits.append(statement)
            raise db_exc.DBDeadlock()

    sa.event.listen(engine, 'before_cursor_execute', before)
    try:
        yield hits
    finally:
        sa.event.remove(engine, 'before_cursor_execute', before)


def _count(engine, table, **where):
    t = sa.Table(table, sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t).where(
            *(t.c[k] == v for k, v in where.items()))).scalar()


@pytest.fixture
def ctx():
    return nova_context.RequestContext(user_id='u1', project_id='p1',
                                       is_admin=True)


def test_flavor_create_retries_once_and_writes_one_row(nova_engines, api,
                                                       ctx):
    engine = nova_engines.api().engine()
    with deadlocks(engine, 'INSERT INTO flavors', times=1) as hits:
        flavor = flavors.create(ctx, 'tiny', 512, 1, 1, flavorid='t1')
    assert len(hits) == 1
    assert flavor.flavorid == 't1'
    assert _count(api, 'flavors', flavorid='t1') == 1
    assert flavors.get(ctx, 't1').name == 'tiny'


def test_keypair_create_retries_its_insert(nova_engines, api, ctx):
    engine = nova_engines.api().engine()
    with deadlocks(engine, 'INSERT INTO key_pairs', times=2) as hits:
        kp, private_key = keypairs.create(ctx, 'u1', 'kp1')
    assert len(hits) == 2
    assert private_key
    assert _count(api, 'key_pairs', user_id='u1', name='kp1') == 1
    assert keypairs.get(ctx, 'u1', 'kp1').fingerprint == kp.fingerprint


def test_heartbeat_retries_on_the_cell_database(nova_engines, cell_db,
                                                nova_cell_url):
    with nova_engines.cell_writer(nova_cell_url) as conn:
        svc = services.create(conn, Service(host='h1', binary='nova-compute',
                                            topic='compute'))
    engine = nova_engines.cell(nova_cell_url).engine()
    with deadlocks(engine, 'UPDATE services', times=1) as hits:
        service._heartbeat(nova_cell_url, svc.id)
    assert len(hits) == 1
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert services.get(conn, svc.id).report_count == 1  # once


def test_deadlock_every_time_surfaces_after_the_retries(nova_engines, api,
                                                        ctx):
    engine = nova_engines.api().engine()
    with deadlocks(engine, 'INSERT INTO flavors', times=None) as hits:
        with pytest.raises(db_exc.DBDeadlock):
            flavors.create(ctx, 'tiny', 512, 1, 1, flavorid='t1')
    assert len(hits) == 1 + 5  # the first try and max_retries
    assert _count(api, 'flavors', flavorid='t1') == 0


def test_no_retry_inside_an_outer_transaction(nova_engines, api, ctx):
    """Joined to the caller's transaction, a retry would re-run only part
    of it: the deadlock goes to the caller at once."""
    engine = nova_engines.api().engine()
    with deadlocks(engine, 'INSERT INTO flavors', times=None) as hits:
        with pytest.raises(db_exc.DBDeadlock):
            with nova_engines.api_writer(ctx):
                flavors.create(ctx, 'tiny', 512, 1, 1, flavorid='t1')
    assert len(hits) == 1
    assert _count(api, 'flavors', flavorid='t1') == 0
