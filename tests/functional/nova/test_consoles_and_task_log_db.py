"""Instance action paging, console tokens and task log rows in a real cell
database, on every backend."""

import datetime
import time
import uuid as uuidlib

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.main import console_auth_tokens as tokens
from nova.db.main import instance_actions
from nova.db.main import instances
from nova.db.main import task_log
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

pytestmark = pytest.mark.all_databases

SMALL = Flavor(flavorid='1', name='small', vcpus=1, memory_mb=512)


def _instance(conn) -> str:
    uuid = str(uuidlib.uuid4())
    instances.create(conn, Instance(uuid=uuid, project_id='p1',
                                    user_id='u1', flavor=SMALL))
    return uuid


def test_action_pages_and_filters(nova_engines, nova_cell_url):
    ctxs = [nova_context.RequestContext(user_id='u1', project_id='p1')
            for _ in range(4)]
    with nova_engines.cell_writer(nova_cell_url) as conn:
        uuid = _instance(conn)
        other = _instance(conn)
        # Started in the same second: the id breaks the tie.
        for ctx, name in zip(ctxs, ('create', 'stop', 'start', 'reboot')):
            instance_actions.start_action(conn, ctx, uuid, name)
        instance_actions.start_action(conn, ctxs[0], other, 'create')
    with nova_engines.cell_reader(nova_cell_url) as conn:
        def names(**page):
            return [a.action for a in instance_actions.list_actions(
                conn, uuid, **page)]
        assert names() == ['reboot', 'start', 'stop', 'create']
        assert names(limit=2) == ['reboot', 'start']
        assert names(limit=2, marker=ctxs[2].request_id) == ['stop',
                                                             'create']
        assert names(marker=ctxs[0].request_id) == []
        with pytest.raises(exception.MarkerNotFound):
            names(marker='req-none')
        now = datetime.datetime.utcnow()
        hour = datetime.timedelta(hours=1)
        assert names(changes_since=now + hour) == []
        assert len(names(changes_since=now - hour)) == 4
        assert names(changes_before=now - hour) == []
        assert len(names(changes_since=now - hour,
                         changes_before=now + hour)) == 4


def _token(uuid, expires, host='h1'):
    return tokens.ConsoleAuthToken(
        console_type='novnc', host=host, port=5900,
        internal_access_path=None, access_url_base='http://proxy/',
        instance_uuid=uuid, expires=expires)


def test_console_tokens(nova_engines, nova_cell_url):
    later = int(time.time()) + 600
    with nova_engines.cell_writer(nova_cell_url) as conn:
        uuid = _instance(conn)
        tokens.create(conn, 'old', _token(uuid, int(time.time()) - 1))
        tokens.create(conn, 'good', _token(uuid, later))
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert tokens.validate(conn, 'good') == _token(uuid, later)
        assert tokens.validate(conn, 'old') is None
        assert tokens.validate(conn, 'bad') is None
        # Only the hash is stored; the expired token of the host is gone.
        from nova.db.main import tables
        hashes = set(conn.execute(sa.select(
            tables.console_auth_tokens.c.token_hash)).scalars())
        assert hashes == {tokens.token_hash('good')}
    with nova_engines.cell_writer(nova_cell_url) as conn:
        instances.destroy(conn, uuid)
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert tokens.validate(conn, 'good') is None


def test_task_log(nova_engines, nova_cell_url):
    begin = datetime.datetime(2026, 1, 1)
    end = datetime.datetime(2026, 2, 1)
    log = task_log.TaskLog(task_name='instance_usage_audit', host='h1',
                           state=task_log.RUNNING, period_beginning=begin,
                           period_ending=end, message='started',
                           task_items=3)
    with nova_engines.cell_writer(nova_cell_url) as conn:
        task_log.begin_task(conn, log)
    with pytest.raises(db_exc.DBDuplicateEntry):
        with nova_engines.cell_writer(nova_cell_url) as conn:
            task_log.begin_task(conn, log)
    log.errors, log.message = 1, 'done'
    with nova_engines.cell_writer(nova_cell_url) as conn:
        task_log.end_task(conn, log)
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert task_log.get(conn, 'instance_usage_audit', 'h1', begin,
                            end) == task_log.TaskLog(
            'instance_usage_audit', 'h1', task_log.DONE, begin, end,
            'done', 3, 1)
        assert task_log.get(conn, 'instance_usage_audit', 'h2', begin,
                            end) is None
        assert [t.host for t in task_log.list_for_period(
            conn, 'instance_usage_audit', begin, end)] == ['h1']
        assert task_log.list_for_period(conn, 'instance_usage_audit', end,
                                        end) == []
