"""The API status of a server from its vm_state and task_state, and the
states an API status filter selects (server_views.status / states_of)."""

import pytest

from nova.api.compute import server_views as views
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

TINY = Flavor(flavorid='1', name='tiny', memory_mb=512, vcpus=1)


def _instance(vm_state, task_state=None):
    return Instance(uuid='u1', project_id='p', user_id='u', flavor=TINY,
                    vm_state=vm_state, task_state=task_state)


@pytest.mark.parametrize('vm_state, task_state, expected', [
    ('active', None, 'ACTIVE'),
    ('active', 'rebooting', 'REBOOT'),
    ('active', 'reboot_pending', 'REBOOT'),
    ('active', 'reboot_started', 'REBOOT'),
    ('active', 'rebooting_hard', 'HARD_REBOOT'),
    ('active', 'reboot_pending_hard', 'HARD_REBOOT'),
    ('active', 'reboot_started_hard', 'HARD_REBOOT'),
    ('active', 'rebuilding', 'REBUILD'),
    ('active', 'rebuild_spawning', 'REBUILD'),
    ('active', 'migrating', 'MIGRATING'),
    ('active', 'resize_prep', 'RESIZE'),
    ('active', 'resize_finish', 'RESIZE'),
    # A task without a status of its own keeps the vm_state's.
    ('active', 'image_snapshot', 'ACTIVE'),
    ('active', 'powering-off', 'ACTIVE'),
    ('building', None, 'BUILD'),
    ('building', 'scheduling', 'BUILD'),
    ('building', 'spawning', 'BUILD'),
    ('stopped', None, 'SHUTOFF'),
    ('stopped', 'resize_migrating', 'RESIZE'),
    ('stopped', 'rebuilding', 'REBUILD'),
    ('stopped', 'powering-on', 'SHUTOFF'),
    ('resized', None, 'VERIFY_RESIZE'),
    ('resized', 'resize_reverting', 'REVERT_RESIZE'),
    ('resized', 'resize_confirming', 'VERIFY_RESIZE'),
    ('paused', None, 'PAUSED'),
    ('paused', 'migrating', 'MIGRATING'),
    ('suspended', None, 'SUSPENDED'),
    ('rescued', None, 'RESCUE'),
    ('error', None, 'ERROR'),
    ('error', 'rebuilding', 'REBUILD'),
    ('error', 'deleting', 'ERROR'),
    ('deleted', None, 'DELETED'),
    ('soft-delete', None, 'SOFT_DELETED'),
    ('shelved', None, 'SHELVED'),
    ('shelved_offloaded', None, 'SHELVED_OFFLOADED'),
])
def test_status(vm_state, task_state, expected):
    assert views.status(_instance(vm_state, task_state)) == expected


@pytest.mark.parametrize('vm_state', [None, 'no-such-state', 'ACTIVE'])
def test_unknown_vm_state_is_unknown(vm_state):
    assert views.status(_instance(vm_state, 'rebooting')) == 'UNKNOWN'


def test_states_of_a_plain_status_matches_any_task_state():
    assert views.states_of(['ACTIVE']) == (['active'], ['default'])
    assert views.states_of(['SHUTOFF']) == (['stopped'], ['default'])


def test_states_of_a_task_status():
    assert views.states_of(['REBOOT']) == (
        ['active'], ['reboot_pending', 'reboot_started', 'rebooting'])
    assert views.states_of(['HARD_REBOOT']) == (
        ['active'],
        ['reboot_pending_hard', 'reboot_started_hard', 'rebooting_hard'])
    assert views.states_of(['REVERT_RESIZE']) == (['resized'],
                                                  ['resize_reverting'])


def test_states_of_a_status_of_several_vm_states():
    assert views.states_of(['RESIZE']) == (
        ['active', 'stopped'],
        ['resize_finish', 'resize_migrated', 'resize_migrating',
         'resize_prep'])
    assert views.states_of(['REBUILD']) == (
        ['active', 'error', 'stopped'], ['rebuild_spawning', 'rebuilding'])
    assert views.states_of(['MIGRATING']) == (['active', 'paused'],
                                              ['migrating'])


def test_states_of_is_case_and_space_insensitive():
    assert views.states_of([' error ']) == (['error'], ['default'])
    assert views.states_of(['shelved_offloaded']) == (
        ['shelved_offloaded'], ['default'])


def test_states_of_several_statuses_unites_them():
    assert views.states_of(['PAUSED', 'SUSPENDED']) == (
        ['paused', 'suspended'], ['default'])
    assert views.states_of(['BUILD', 'REVERT_RESIZE']) == (
        ['building', 'resized'], ['default', 'resize_reverting'])


def test_states_of_unknown_status_is_empty():
    assert views.states_of(['NO_SUCH']) == ([], [])
    assert views.states_of([]) == ([], [])
    # UNKNOWN is what status() answers, not a state one can filter on.
    assert views.states_of(['UNKNOWN']) == ([], [])
