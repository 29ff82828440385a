"""The fake driver's part in moves: a live migration held running until
aborted or forced to complete, and a resize onto the guest's own host
(its old guest kept apart until confirmed or reverted)."""

import threading

import pytest

from nova.compute import states
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.virt import fake

TINY = Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1, memory_mb=512,
              root_gb=1)
SMALL = Flavor(id=2, flavorid='2', name='m1.small', vcpus=2,
               memory_mb=1024, root_gb=1)


@pytest.fixture(autouse=True)
def _reset():
    yield
    fake.reset_failures()


def _instance(host, flavor=TINY, **kw):
    return Instance(uuid='u1', project_id='p', user_id='u', flavor=flavor,
                    host=host, vm_state=states.ACTIVE, **kw)


def _spawned(host):
    driver = fake.FakeDriver(host, 4, 4096, 100)
    driver.spawn(_instance(host), {'id': 'img'}, None, [])
    return driver


def _migrate_in_thread(driver, instance):
    result = {}
    thread = threading.Thread(target=lambda: result.update(
        done=driver.live_migration(instance, 'dst', False)))
    thread.start()
    return thread, result


@pytest.mark.parametrize('order, done', [('live_migration_abort', False),
                                         ('live_migration_force_complete',
                                          True)])
def test_held_live_migration_runs_until_ordered(order, done):
    source, dest = _spawned('src'), fake.FakeDriver('dst')
    instance = _instance('src')
    dest.pre_live_migration(instance)
    assert dest.get_info(instance) == states.PAUSED_POWER
    fake.hold_live_migrations('src')
    thread, result = _migrate_in_thread(source, instance)
    thread.join(0.2)
    assert thread.is_alive()
    getattr(source, order)(instance)
    thread.join(5)
    assert result == {'done': done}


def test_live_migration_not_held_completes_at_once():
    source, dest = _spawned('src'), fake.FakeDriver('dst')
    instance = _instance('src')
    dest.pre_live_migration(instance)
    assert source.live_migration(instance, 'dst', True) is True
    source.post_live_migration(instance)
    dest.post_live_migration_at_destination(instance, {'/dev/vdb': {}})
    assert source.list_instance_uuids() == []
    assert dest.get_info(instance) == states.RUNNING
    assert dest.guests['u1'].volumes == {'/dev/vdb': {}}


def test_release_lets_held_migrations_finish():
    source = _spawned('src')
    fake.hold_live_migrations('src')
    thread, result = _migrate_in_thread(source, _instance('src'))
    fake.release_live_migrations()
    thread.join(5)
    assert result == {'done': True}


def test_resize_on_the_same_host_confirmed_keeps_the_new_guest():
    driver = _spawned('h')
    driver.migrate_disk_and_power_off(_instance('h'), 'h', SMALL)
    driver.finish_migration(_instance('h', SMALL), {}, power_on=True)
    driver.confirm_migration(_instance('h', SMALL))
    assert driver.guests['u1'].flavor == SMALL
    assert driver.resized_out == {}


def test_resize_on_the_same_host_reverted_brings_the_old_guest_back():
    driver = _spawned('h')
    driver.migrate_disk_and_power_off(_instance('h'), 'h', SMALL)
    driver.finish_migration(_instance('h', SMALL), {}, power_on=True)
    driver.destroy(_instance('h', SMALL))
    driver.finish_revert_migration(_instance('h'), power_on=True)
    assert driver.guests['u1'].flavor == TINY
    assert driver.get_info(_instance('h')) == states.RUNNING


def test_confirm_on_the_source_host_removes_the_old_guest():
    driver = _spawned('h')
    driver.migrate_disk_and_power_off(_instance('h'), 'other', SMALL)
    driver.confirm_migration(_instance('other', SMALL))
    assert driver.list_instance_uuids() == []
