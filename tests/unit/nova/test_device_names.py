"""nova.compute.device_names: the guest devices volumes take."""

import pytest

from nova.compute import device_names
from nova import exception


def test_next_free_after_the_root_disk():
    assert device_names.pick(None, []) == '/dev/vdb'
    assert device_names.pick(None, ['/dev/vdb', None]) == '/dev/vdc'
    # A gap is filled first.
    assert device_names.pick(None, ['/dev/vdc']) == '/dev/vdb'


def test_past_z_the_names_grow_a_letter():
    used = ['/dev/vd%s' % chr(c) for c in range(ord('b'), ord('z') + 1)]
    assert device_names.pick(None, used) == '/dev/vdaa'
    assert device_names.pick(None, used + ['/dev/vdaa']) == '/dev/vdab'


def test_requested_name_keeps_its_letters_on_the_guest_bus():
    assert device_names.pick('/dev/vdd', ['/dev/vdb']) == '/dev/vdd'
    assert device_names.pick('/dev/sdc', []) == '/dev/vdc'
    assert device_names.pick('xvde', []) == '/dev/vde'


@pytest.mark.parametrize('requested, used, error', [
    ('/dev/vda', [], exception.DevicePathInUse),      # the root disk
    ('/dev/vdb', ['/dev/vdb'], exception.DevicePathInUse),
    ('/dev/sdb', ['/dev/vdb'], exception.DevicePathInUse),
    ('/dev/../etc', [], exception.InvalidDevicePath),
    ('floppy', [], exception.InvalidDevicePath),
])
def test_bad_or_taken_requests_are_400s(requested, used, error):
    with pytest.raises(error) as caught:
        device_names.pick(requested, used)
    assert caught.value.code == 400
    assert requested in str(caught.value)
