"""The server list's query parameters: filters (servers._filters) and
sort keys (servers._sort), from a request carrying only what the
middleware would have put in its environ (a context and a version)."""

import datetime

import pytest
import webob

from nova.api.compute import servers
from nova.api import fault
from nova.api import microversion
from nova.api import middleware
from nova import context
from nova import exception
from tests import nova_services


def _request(query, admin=False, version=(2, 1), path='/v2.1/servers'):
    req = webob.Request.blank(path + ('?' + query if query else ''))
    if admin:
        ctx = context.RequestContext(user_id='admin', project_id='admin',
                                     is_admin=True, roles=['admin'])
    else:
        ctx = context.RequestContext(user_id='bob', project_id='p1',
                                     is_admin=False, roles=[])
    req.environ[middleware.CONTEXT_KEY] = ctx
    req.environ[middleware.VERSION_KEY] = microversion.Version(*version)
    return req


def _filters(query, **kwargs):
    return servers._filters(_request(query, **kwargs))


def _bad(fn, *args, **kwargs):
    with pytest.raises(fault.HTTPError) as caught:
        fn(*args, **kwargs)
    assert caught.value.status == 400
    return caught.value.message


@pytest.fixture
def conf():
    """Parsed configuration and a fresh policy enforcer (all_tenants asks
    policy)."""
    from nova import policy
    with nova_services.configured() as conf:
        policy.reset()
        yield conf
        policy.reset()


# -- filters


def test_no_query_lists_own_live_servers():
    assert _filters('') == {'project_id': 'p1', 'deleted': False}


def test_paging_and_sorting_are_not_filters():
    assert _filters('limit=3&marker=m&sort_key=uuid&sort_dir=asc',
                    admin=True) == {'project_id': 'admin', 'deleted': False}


def test_non_admin_filters_are_limited_to_the_user_set():
    assert _filters('name=web&flavor=2&image=i1&host=cmp1&node=n&'
                    'reservation_id=r-1&ip=10.0.0.1') == {
        'project_id': 'p1', 'deleted': False, 'name': 'web',
        'flavor': '2', 'image': 'i1', 'reservation_id': 'r-1',
        'ip': '10.0.0.1'}


def test_admin_may_filter_on_anything():
    assert _filters('host=cmp1&node=n1&vm_state=active', admin=True) == {
        'project_id': 'admin', 'deleted': False, 'host': 'cmp1',
        'node': 'n1', 'vm_state': 'active'}


def test_the_last_of_repeated_values_wins_but_uuid_keeps_all():
    assert _filters('name=a&name=b')['name'] == 'b'
    assert _filters('uuid=u1&uuid=u2', admin=True)['uuid'] == ['u1', 'u2']


def test_a_non_admin_cannot_pick_another_project():
    assert _filters('project_id=p2&tenant_id=p3')['project_id'] == 'p1'
    # Not even an admin, without all_tenants.
    assert _filters('project_id=p2', admin=True)['project_id'] == 'admin'


@pytest.mark.parametrize('version, expected', [((2, 4), None),
                                               ((2, 5), 'fe80::1')])
def test_ip6_from_2_5(version, expected):
    assert _filters('ip6=fe80::1', version=version).get('ip6') == expected


def test_tags_from_2_26_split_on_commas():
    got = _filters('tags=a,b,,c&tags-any=x&not-tags=y,z&not-tags-any=w',
                   version=(2, 26))
    assert (got['tags'], got['tags-any'], got['not-tags'],
            got['not-tags-any']) == (['a', 'b', 'c'], ['x'], ['y', 'z'],
                                     ['w'])
    assert 'tags' not in _filters('tags=a', version=(2, 25))


def test_status_becomes_vm_and_task_states():
    got = _filters('status=REBOOT')
    assert (got['vm_state'], got['task_state']) == (
        ['active'], ['reboot_pending', 'reboot_started', 'rebooting'])
    got = _filters('status=active')
    assert got['vm_state'] == ['active'] and 'task_state' not in got


def test_unknown_status_is_an_empty_list_before_2_38_and_400_from_it():
    assert _filters('status=bogus', version=(2, 37)) == {'_empty': True}
    assert _bad(_filters, 'status=bogus',
                version=(2, 38)) == 'Invalid status value'


def test_changes_since_is_utc_and_includes_the_deleted():
    got = _filters('changes-since=2017-03-04T05:06:07%2B02:00')
    assert got['changes-since'] == datetime.datetime(2017, 3, 4, 3, 6, 7)
    assert got['changes-since'].tzinfo is None
    assert got['deleted'] is None


def test_bad_changes_since_is_400():
    assert _bad(_filters, 'changes-since=yesterday') == (
        'Invalid filter field: changes-since.')


def test_deleted_and_locked_are_booleans_for_admins():
    got = _filters('deleted=True&locked=0', admin=True)
    assert (got['deleted'], got['locked']) == (True, False)
    assert _bad(_filters, 'deleted=maybe', admin=True) == (
        'Invalid value for deleted: maybe')
    assert _bad(_filters, 'locked=2', admin=True) == (
        'Invalid value for locked: 2')
    # Neither is a non-admin's filter: ignored.
    assert _filters('deleted=True&locked=1') == {'project_id': 'p1',
                                                 'deleted': False}


def test_name_must_be_a_regular_expression():
    assert _filters('name=%5Eweb-%5Cd%2B%24')['name'] == r'^web-\d+$'
    assert _bad(_filters, 'name=web(') == 'Invalid filter field: name.'


def test_all_tenants_false_is_own_project():
    assert _filters('all_tenants=0')['project_id'] == 'p1'
    assert _filters('all_tenants=false',
                    admin=True)['project_id'] == 'admin'


def test_all_tenants_must_be_a_boolean():
    assert _bad(_filters, 'all_tenants=lots') == (
        'Invalid value for all_tenants: lots')


def test_all_tenants_for_an_admin(conf):
    assert _filters('all_tenants', admin=True) == {'deleted': False}
    assert _filters('all_tenants=1&tenant_id=p9',
                    admin=True)['project_id'] == 'p9'
    # project_id wins over tenant_id.
    assert _filters('all_tenants=yes&tenant_id=p9&project_id=p8',
                    admin=True)['project_id'] == 'p8'


def test_all_tenants_is_refused_to_a_non_admin(conf):
    with pytest.raises(exception.PolicyNotAuthorized) as caught:
        _filters('all_tenants=1')
    assert str(caught.value) == (
        "Policy doesn't allow os_compute_api:servers:index:get_all_tenants "
        "to be performed.")
    with pytest.raises(exception.PolicyNotAuthorized) as caught:
        _filters('all_tenants=1', path='/v2.1/servers/detail')
    assert 'servers:detail:get_all_tenants' in str(caught.value)


# -- sorting


def _sort(query, admin=False):
    return servers._sort(_request(query, admin=admin))


def test_no_sort():
    assert _sort('') == ([], [])


def test_sort_keys_and_dirs_in_order():
    assert _sort('sort_key=display_name&sort_dir=asc&sort_key=created_at'
                 '&sort_dir=desc') == (['display_name', 'created_at'],
                                       ['asc', 'desc'])


def test_fewer_dirs_than_keys_is_fine():
    assert _sort('sort_key=uuid&sort_key=vm_state&sort_dir=desc') == (
        ['uuid', 'vm_state'], ['desc'])


def test_unknown_sort_key_or_dir_is_400():
    assert _bad(_sort, 'sort_key=password') == (
        'Invalid input for query parameters sort_key. Value: password.')
    assert _bad(_sort, 'sort_key=uuid&sort_dir=up') == (
        'Invalid input for query parameters sort_dir. Value: up.')


def test_more_dirs_than_keys_is_400():
    assert _bad(_sort, 'sort_key=uuid&sort_dir=asc&sort_dir=desc') == (
        'Sort key and direction lists differ in length')


def test_host_and_node_sort_only_for_admins():
    assert _sort('sort_key=host&sort_key=uuid&sort_key=node') == (
        ['uuid'], [])
    assert _sort('sort_key=host&sort_key=node', admin=True) == (
        ['host', 'node'], [])
    # Dropping the admin's keys leaves no key: the directions stand.
    assert _sort('sort_key=host&sort_dir=asc') == ([], ['asc'])


def test_changes_before_from_2_66_is_utc_and_includes_the_deleted():
    got = _filters('changes-before=2017-03-04T05:06:07%2B02:00',
                   version=(2, 66))
    assert got['changes-before'] == datetime.datetime(2017, 3, 4, 3, 6, 7)
    assert got['deleted'] is None
    # Unknown before 2.66: ignored, for admins too.
    for admin in (False, True):
        got = _filters('changes-before=2017-03-04T05:06:07Z',
                       version=(2, 65), admin=admin)
        assert 'changes-before' not in got and got['deleted'] is False


def test_changes_before_earlier_than_changes_since_is_400():
    assert _bad(_filters, 'changes-since=2017-03-04T05:06:08Z&'
                'changes-before=2017-03-04T05:06:07Z', version=(2, 66)) == (
        'The value of changes-since must be less than or equal to '
        'changes-before.')
    assert _bad(_filters, 'changes-before=soon', version=(2, 66)) == (
        'Invalid filter field: changes-before.')
