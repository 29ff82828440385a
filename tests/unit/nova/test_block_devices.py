"""nova.compute.block_devices.from_api: block_device_mapping_v2 entries
(as the schema lets them through) as block device mapping records."""

import pytest

from nova.compute import block_devices

VOLUME = '8f1b2a44-5b55-4a8e-9a3b-6b4d6c0f0a11'


@pytest.mark.parametrize('given, kept', [
    (True, True), ('True', True), ('yes', True), ('1', True),
    (False, False), ('false', False), ('False', False), ('0', False),
    ('no', False), (None, False)])
def test_delete_on_termination_reads_the_schemas_strings(given, kept):
    bdm = {'source_type': 'volume', 'destination_type': 'volume',
           'uuid': VOLUME, 'boot_index': '0'}
    if given is not None:
        bdm['delete_on_termination'] = given
    (record,) = block_devices.from_api([bdm])
    assert record.delete_on_termination is kept
    assert (record.volume_id, record.boot_index) == (VOLUME, 0)


@pytest.mark.parametrize('source', ['blank', 'image', 'snapshot'])
def test_a_new_volume_keeps_its_volume_type(source):
    bdm = {'source_type': source, 'destination_type': 'volume',
           'volume_size': 1, 'volume_type': 'fast'}
    if source != 'blank':
        bdm['uuid'] = VOLUME
    (record,) = block_devices.from_api([bdm])
    assert record.volume_type == 'fast'


def test_an_empty_volume_type_is_none():
    (record,) = block_devices.from_api([{
        'source_type': 'blank', 'destination_type': 'volume',
        'volume_size': 1, 'volume_type': ''}])
    assert record.volume_type is None
