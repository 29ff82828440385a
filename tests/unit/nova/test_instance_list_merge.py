"""The pure parts of the multi-cell server list (nova.compute.instance_list):
sort normalisation, the python sort key that matches the databases' order
(NULLs first ascending, last descending), the heap merge of per-cell
sorted pages cut at a marker and a limit, and build-request filtering."""

import datetime
import heapq

import pytest

from nova.compute import instance_list as il
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

TINY = Flavor(flavorid='1', name='tiny', memory_mb=512, vcpus=1, id=11)


def _inst(uuid, name=None, **kwargs):
    return Instance(uuid=uuid, project_id='p', user_id='u', flavor=TINY,
                    display_name=name, **kwargs)


# -- normalisation


@pytest.mark.parametrize('keys, dirs, expected', [
    (None, None, (['created_at', 'uuid'], ['desc', 'desc'])),
    ([], [], (['created_at', 'uuid'], ['desc', 'desc'])),
    (['display_name'], None, (['display_name', 'uuid'], ['desc', 'desc'])),
    (['display_name'], ['asc'], (['display_name', 'uuid'], ['asc', 'asc'])),
    # Missing directions take the first one given.
    (['host', 'node', 'vm_state'], ['asc'],
     (['host', 'node', 'vm_state', 'uuid'], ['asc', 'asc', 'asc', 'asc'])),
    (['host', 'node'], ['desc', 'asc'],
     (['host', 'node', 'uuid'], ['desc', 'asc', 'desc'])),
    # uuid already named: not added again.
    (['uuid', 'host'], ['asc'], (['uuid', 'host'], ['asc', 'asc'])),
])
def test_normalised(keys, dirs, expected):
    assert il._normalised(keys, dirs) == expected


def test_normalised_does_not_change_its_arguments():
    keys, dirs = ['host'], ['asc']
    il._normalised(keys, dirs)
    assert (keys, dirs) == (['host'], ['asc'])


# -- the sort key


def _sorted(rows, keys, dirs):
    return [r['uuid'] for r in sorted(rows, key=il.sort_key(keys, dirs))]


ROWS = [{'uuid': 'a', 'name': 'web', 'n': 2},
        {'uuid': 'b', 'name': None, 'n': 1},
        {'uuid': 'c', 'name': 'db', 'n': 2},
        {'uuid': 'd', 'name': 'web', 'n': None}]


def test_ascending_nulls_first():
    assert _sorted(ROWS, ['name', 'uuid'], ['asc', 'asc']) == [
        'b', 'c', 'a', 'd']


def test_descending_nulls_last():
    assert _sorted(ROWS, ['name', 'uuid'], ['desc', 'desc']) == [
        'd', 'a', 'c', 'b']


def test_mixed_directions():
    assert _sorted(ROWS, ['n', 'uuid'], ['desc', 'asc']) == [
        'a', 'c', 'b', 'd']
    assert _sorted(ROWS, ['n', 'uuid'], ['asc', 'desc']) == [
        'd', 'b', 'c', 'a']


def test_sort_key_reads_instances_and_marker_dicts_alike():
    key = il.sort_key(['display_name', 'uuid'], ['asc', 'asc'])
    assert key(_inst('u1', 'x')) == key({'display_name': 'x',
                                         'uuid': 'u1'})
    assert key(_inst('u1', 'x')) < key({'display_name': 'y', 'uuid': 'u0'})


def test_instance_type_id_is_the_flavor_s_id():
    assert il._field(_inst('u1'), 'instance_type_id') == 11
    assert il._field(_inst('u1'), 'no_such_field') is None


def test_reversed_orders_backwards():
    assert il._Reversed(1) < il._Reversed(0)
    assert not il._Reversed(0) < il._Reversed(0)
    assert il._Reversed((1, 'a')) == il._Reversed((1, 'a'))
    assert il._Reversed(1) != 1


# -- merging per-cell sorted pages, as list_servers does


def _page(keys, dirs, limit=None, marker=None, *cells):
    """list_servers' merge on plain rows: each cell's page sorted and cut
    after the marker and at limit, merged, cut at limit."""
    key = il.sort_key(keys, dirs)
    after = key(marker) if marker is not None else None
    streams = []
    for rows in cells:
        rows = sorted(rows, key=key)
        if after is not None:
            rows = [r for r in rows if after < key(r)]
        streams.append(rows[:limit] if limit is not None else rows)
    merged = list(heapq.merge(*streams, key=key))
    return [r['uuid'] for r in (merged[:limit] if limit else merged)]


T = datetime.datetime
CELL1 = [{'uuid': 'a1', 'created_at': T(2020, 1, 1)},
         {'uuid': 'a2', 'created_at': T(2020, 1, 3)},
         {'uuid': 'a3', 'created_at': T(2020, 1, 5)}]
CELL2 = [{'uuid': 'b1', 'created_at': T(2020, 1, 2)},
         {'uuid': 'b2', 'created_at': T(2020, 1, 3)},
         {'uuid': 'b3', 'created_at': T(2020, 1, 6)}]
PENDING = [{'uuid': 'c1', 'created_at': T(2020, 1, 4)}]
KEYS, DIRS = il._normalised(None, None)


def test_merge_newest_first_across_cells():
    assert _page(KEYS, DIRS, None, None, CELL1, CELL2, PENDING) == [
        'b3', 'a3', 'c1', 'b2', 'a2', 'b1', 'a1']


def test_merge_pages_neither_repeat_nor_skip():
    seen, marker = [], None
    while True:
        page = _page(KEYS, DIRS, 2, marker, CELL1, CELL2, PENDING)
        if not page:
            break
        seen.extend(page)
        marker = next(r for r in CELL1 + CELL2 + PENDING
                      if r['uuid'] == page[-1])
    assert seen == ['b3', 'a3', 'c1', 'b2', 'a2', 'b1', 'a1']


def test_equal_sort_values_are_ordered_by_uuid():
    # a2 and b2 were created at the same time: uuid (descending, as the
    # first direction) breaks the tie, and a marker on either is exact.
    b2 = CELL2[1]
    assert _page(KEYS, DIRS, 2, b2, CELL1, CELL2) == ['a2', 'b1']
    keys, dirs = il._normalised(['created_at'], ['asc'])
    assert _page(keys, dirs, 3, CELL1[0], CELL1, CELL2) == [
        'b1', 'a2', 'b2']


def test_merge_one_cell_and_empty_cells():
    assert _page(KEYS, DIRS, 2, None, [], CELL1, []) == ['a3', 'a2']
    assert _page(KEYS, DIRS, 5, None, [], []) == []


# -- filtering build requests as the databases filter instances


def test_matches_simple_fields():
    inst = _inst('u1', 'web-1', image_ref='img', vm_state='building')
    assert il._matches(inst, {'project_id': 'p', 'deleted': False,
                              'uuid': ['u0', 'u1'], 'image': 'img',
                              'flavor': ['1'], 'vm_state': ['building']})
    assert not il._matches(inst, {'uuid': 'u2'})
    assert not il._matches(inst, {'image': 'other'})
    assert not il._matches(inst, {'flavor': '2'})
    assert not il._matches(inst, {'vm_state': ['active', 'error']})
    assert not il._matches(inst, {'project_id': 'p2'})


def test_matches_name_as_a_regular_expression():
    inst = _inst('u1', 'web-12')
    assert il._matches(inst, {'name': r'b-\d+$'})
    assert not il._matches(inst, {'name': '^b'})
    assert not il._matches(_inst('u2', None), {'name': 'x'})


def test_a_build_request_is_never_deleted_hosted_or_locked():
    inst = _inst('u1')
    assert not il._matches(inst, {'deleted': True})
    assert not il._matches(inst, {'host': 'cmp1'})
    assert not il._matches(inst, {'node': 'n1'})
    assert not il._matches(inst, {'locked': True})
    assert il._matches(inst, {'locked': False, 'deleted': False})
    # Filters set to None and address filters do not apply.
    assert il._matches(inst, {'deleted': None, 'ip': '10.0.0.1',
                              'ip6': 'fe80::1'})


def test_matches_changes_since():
    inst = _inst('u1', created_at=T(2020, 1, 2))
    assert il._matches(inst, {'changes-since': T(2020, 1, 2)})
    assert not il._matches(inst, {'changes-since': T(2020, 1, 3)})
    assert il._matches(_inst('u2'), {'changes-since': T(2020, 1, 3)})


def test_matches_changes_before():
    inst = _inst('u1', created_at=T(2020, 1, 2))
    assert il._matches(inst, {'changes-before': T(2020, 1, 2)})
    assert not il._matches(inst, {'changes-before': T(2020, 1, 1)})
    assert il._matches(_inst('u2'), {'changes-before': T(2020, 1, 1)})


@pytest.mark.parametrize('name, wanted, expected', [
    ('tags', {'a', 'b'}, True), ('tags', {'a', 'z'}, False),
    ('tags-any', {'a', 'z'}, True), ('tags-any', {'y', 'z'}, False),
    ('not-tags', {'a', 'b'}, False), ('not-tags', {'a', 'z'}, True),
    ('not-tags-any', {'a', 'z'}, False), ('not-tags-any', {'y'}, True),
])
def test_tags(name, wanted, expected):
    assert il._tags_match({'a', 'b', 'c'}, name, wanted) is expected
    inst = _inst('u1', tags=['a', 'b', 'c'])
    assert il._matches(inst, {name: sorted(wanted)}) is expected
