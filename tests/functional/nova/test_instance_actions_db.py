"""Instance actions and events in a real cell database."""

import uuid as uuidlib

import pytest

from nova import context as nova_context
from nova.db.main import instance_actions
from nova.db.main import instances
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

pytestmark = pytest.mark.all_databases

SMALL = Flavor(flavorid='1', name='small', vcpus=1, memory_mb=512)


def _ctx():
    return nova_context.RequestContext(user_id='u1', project_id='p1')


def test_actions_and_events(nova_engines, nova_cell_url):
    uuid = str(uuidlib.uuid4())
    create, reboot = _ctx(), _ctx()
    with nova_engines.cell_writer(nova_cell_url) as conn:
        instances.create(conn, Instance(uuid=uuid, project_id='p1',
                                        user_id='u1', flavor=SMALL))
        started = instance_actions.start_action(conn, create, uuid,
                                                'create')
        instance_actions.start_event(conn, create, uuid,
                                     'compute_build_and_run_instance', 'h1')
        instance_actions.finish_event(conn, create, uuid,
                                      'compute_build_and_run_instance')
        instance_actions.finish_action(conn, create, uuid)
        instance_actions.start_action(conn, reboot, uuid, 'reboot')
        instance_actions.start_event(conn, reboot, uuid,
                                     'compute_reboot_instance', 'h1')
        instance_actions.finish_event(conn, reboot, uuid,
                                      'compute_reboot_instance',
                                      result='Error', traceback='Boom')
    assert (started.request_id, started.user_id, started.project_id,
            started.start_time is not None) == (
        create.request_id, 'u1', 'p1', True)
    with nova_engines.cell_reader(nova_cell_url) as conn:
        listed = instance_actions.list_actions(conn, uuid)
        built = instance_actions.get_action(conn, uuid, create.request_id)
        rebooted = instance_actions.get_action(conn, uuid,
                                               reboot.request_id)
    assert [(a.action, a.message) for a in listed] == [
        ('reboot', 'Error'), ('create', None)]
    assert listed[1].finish_time is not None
    (event,) = built.events
    assert (event['event'], event['host'], event['result'],
            event['traceback']) == ('compute_build_and_run_instance', 'h1',
                                    'Success', None)
    assert event['start_time'] and event['finish_time']
    assert rebooted.events[0]['traceback'] == 'Boom'
    assert rebooted.finish_time is None
    with pytest.raises(exception.InstanceActionNotFound):
        with nova_engines.cell_reader(nova_cell_url) as conn:
            instance_actions.get_action(conn, uuid, 'req-nothing')
    with pytest.raises(exception.InstanceActionNotFound):
        with nova_engines.cell_writer(nova_cell_url) as conn:
            instance_actions.start_event(conn, _ctx(), uuid, 'x', 'h1')
