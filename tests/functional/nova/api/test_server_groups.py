"""/os-server-groups through the API (no services running): create, list,
show, delete, microversions, quota on groups and on members, policy."""

import pytest

from tests.functional.nova.api.conftest import flavor_body

G = '/v2.1/os-server-groups'
S = '/v2.1/servers'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ALICE = 'alice:p1'
BOB = 'bob:p2'


@pytest.fixture
def compute(api_conf):
    """The API as alice, casting builds to a queue no one reads."""
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    client = direct.ComputeDirect(api_conf, token=ALICE)
    resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    yield client
    rpc.cleanup()


def _create(compute, name='g', policies=('anti-affinity',), status=200,
            **kw):
    resp = compute.post(G, json={'server_group': {
        'name': name, 'policies': list(policies)}}, **kw)
    assert resp.status_int == status, resp.text
    return resp.json.get('server_group') if status == 200 else resp


def _boot(compute, group, status=202, **kw):
    resp = compute.post(S, json={
        'server': {'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
                   'networks': 'none'},
        'os:scheduler_hints': {'group': group}}, version='2.37', **kw)
    assert resp.status_int == status, resp.text
    return resp


def test_create_show_list_delete(compute):
    group = _create(compute, 'web')
    assert set(group) == {'id', 'name', 'policies', 'members', 'metadata'}
    assert group['name'] == 'web'
    assert group['policies'] == ['anti-affinity']
    assert group['members'] == [] and group['metadata'] == {}
    shown = compute.get(G + '/' + group['id']).json['server_group']
    assert shown == group
    listed = compute.get(G).json['server_groups']
    assert listed == [group]
    resp = compute.delete(G + '/' + group['id'])
    assert resp.status_int == 204 and not resp.body
    resp = compute.get(G + '/' + group['id'])
    assert resp.status_int == 404
    assert resp.json['itemNotFound']['message'] == (
        'Instance group %s could not be found.' % group['id'])
    assert compute.delete(G + '/' + group['id']).status_int == 404
    assert compute.get(G).json['server_groups'] == []


def test_project_and_user_from_2_13(compute):
    group = _create(compute, version='2.13')
    assert group['project_id'] == 'p1' and group['user_id'] == 'alice'
    old = compute.get(G + '/' + group['id'], version='2.12').json
    assert 'project_id' not in old['server_group']


@pytest.mark.parametrize('policy', ['soft-affinity', 'soft-anti-affinity'])
def test_soft_policies_from_2_15(compute, policy):
    resp = _create(compute, policies=[policy], status=400, version='2.14')
    assert 'policies' in resp.json['badRequest']['message'] or (
        policy in resp.json['badRequest']['message'])
    group = _create(compute, policies=[policy], version='2.15')
    assert group['policies'] == [policy]


@pytest.mark.parametrize('body', [
    {},
    {'server_group': {'name': 'g'}},
    {'server_group': {'policies': ['affinity']}},
    {'server_group': {'name': '', 'policies': ['affinity']}},
    {'server_group': {'name': 'g', 'policies': ['affinity',
                                                'anti-affinity']}},
    {'server_group': {'name': 'g', 'policies': ['affinity', 'affinity']}},
    {'server_group': {'name': 'g', 'policies': ['bogus']}},
    {'server_group': {'name': 'g', 'policies': 'affinity'}},
    {'server_group': {'name': 'g', 'policies': ['affinity'], 'x': 1}},
])
def test_create_bad_body(compute, body):
    resp = compute.post(G, json=body, version='2.15')
    assert resp.status_int == 400, resp.text
    assert 'badRequest' in resp.json


def test_list_own_project_all_projects_admin_and_paging(compute):
    mine = [_create(compute, 'a%d' % i) for i in range(3)]
    theirs = _create(compute, 'b', token=BOB)
    ids = [g['id'] for g in compute.get(G).json['server_groups']]
    assert ids == [g['id'] for g in mine]
    # A non-admin's all_projects is ignored; an admin's lists everyone's.
    ids = [g['id'] for g in compute.get(
        G + '?all_projects=True').json['server_groups']]
    assert ids == [g['id'] for g in mine]
    ids = [g['id'] for g in compute.get(
        G + '?all_projects=True', token='admin').json['server_groups']]
    assert ids == [g['id'] for g in mine] + [theirs['id']]
    assert compute.get(G, token='admin').json['server_groups'] == []
    ids = [g['id'] for g in compute.get(
        G + '?limit=2&offset=1').json['server_groups']]
    assert ids == [mine[1]['id'], mine[2]['id']]
    ids = [g['id'] for g in compute.get(
        G + '?limit=1').json['server_groups']]
    assert ids == [mine[0]['id']]
    for query, message in (('limit=x', 'limit param must be an integer'),
                           ('limit=-1', 'limit param must be positive'),
                           ('offset=x', 'offset param must be an integer'),
                           ('offset=-1', 'offset param must be positive')):
        resp = compute.get(G + '?' + query)
        assert resp.status_int == 400
        assert resp.json['badRequest']['message'] == message


def test_other_projects_group_is_forbidden(compute):
    group = _create(compute)
    assert compute.get(G + '/' + group['id'], token=BOB).status_int == 403
    assert compute.delete(G + '/' + group['id'], token=BOB).status_int == 403
    assert compute.get(G + '/' + group['id'],
                       token='admin').status_int == 200
    assert compute.delete(G + '/' + group['id'],
                          token='admin').status_int == 204


def test_policy_rules(compute, api_conf, tmp_path):
    from nova import policy
    rules = tmp_path / 'policy.json'
    rules.write_text('{"os_compute_api:os-server-groups:create": "!", '
                     '"os_compute_api:os-server-groups": "is_admin:True"}')
    api_conf.set_override('policy_file', str(rules), group='oslo_policy')
    policy.reset()
    try:
        resp = _create(compute, status=403, token='admin')
        assert resp.json['forbidden']['message'] == (
            "Policy doesn't allow os_compute_api:os-server-groups:create "
            "to be performed.")
        assert compute.get(G).status_int == 403
        assert compute.get(G, token='admin').status_int == 200
    finally:
        api_conf.clear_override('policy_file', group='oslo_policy')
        policy.reset()


def test_server_groups_quota(compute, api_conf):
    api_conf.set_override('server_groups', 2, group='quota')
    try:
        _create(compute, 'a')
        _create(compute, 'b')
        resp = _create(compute, 'c', status=403)
        assert resp.json['forbidden']['message'] == (
            'Quota exceeded, too many server groups.')
        # Another project has its own.
        _create(compute, 'd', token=BOB)
        first = compute.get(G).json['server_groups'][0]
        compute.delete(G + '/' + first['id'])
        _create(compute, 'e')
    finally:
        api_conf.clear_override('server_groups', group='quota')


def test_boot_into_group_adds_member(compute):
    group = _create(compute)
    server = _boot(compute, group['id']).json['server']['id']
    shown = compute.get(G + '/' + group['id']).json['server_group']
    assert shown['members'] == [server]
    # A deleted server is no member any more.
    assert compute.delete(S + '/' + server).status_int == 204
    shown = compute.get(G + '/' + group['id']).json['server_group']
    assert shown['members'] == []


def test_boot_into_unknown_group_is_400(compute):
    resp = _boot(compute, '9e3d8f44-7a9e-4d55-8f70-3b2d5a1c0e11', status=400)
    assert 'could not be found' in resp.json['badRequest']['message']
    resp = _boot(compute, 'not-a-uuid', status=400)


def test_member_quota(compute, api_conf):
    api_conf.set_override('server_group_members', 2, group='quota')
    try:
        group = _create(compute)
        _boot(compute, group['id'])
        _boot(compute, group['id'])
        resp = _boot(compute, group['id'], status=403)
        assert resp.json['forbidden']['message'] == (
            'Quota exceeded, too many servers in group')
        # Two at once do not fit where one place is left either.
        other = _create(compute, 'other')
        _boot(compute, other['id'])
        resp = compute.post(S, json={
            'server': {'name': 'vm', 'flavorRef': '1', 'imageRef': CIRROS,
                       'networks': 'none', 'min_count': 2},
            'os:scheduler_hints': {'group': other['id']}}, version='2.37')
        assert resp.status_int == 403, resp.text
        members = compute.get(G + '/' + other['id']).json['server_group'][
            'members']
        assert len(members) == 1
        # The members quota is the user's: bob may add his own.
        _boot(compute, group['id'], token='bob:p1')
    finally:
        api_conf.clear_override('server_group_members', group='quota')


# -- 2.64: one policy and its rules


def _create_264(compute, status=200, **group):
    resp = compute.post(G, json={'server_group': dict(name='g', **group)},
                        version='2.64')
    assert resp.status_int == status, resp.text
    return resp.json.get('server_group') if status == 200 else resp


def test_policy_and_rules_from_2_64(compute):
    group = _create_264(compute, policy='anti-affinity',
                        rules={'max_server_per_host': '3'})
    assert set(group) == {'id', 'name', 'policy', 'rules', 'members',
                          'project_id', 'user_id'}
    assert group['policy'] == 'anti-affinity'
    assert group['rules'] == {'max_server_per_host': 3}
    assert compute.get(G + '/' + group['id'],
                       version='2.64').json['server_group'] == group
    assert compute.get(G, version='2.64').json['server_groups'] == [group]
    # Older versions see the list of policies (and no rules).
    old = compute.get(G + '/' + group['id'],
                      version='2.63').json['server_group']
    assert old['policies'] == ['anti-affinity'] and old['metadata'] == {}
    assert 'rules' not in old and 'policy' not in old


@pytest.mark.parametrize('policy', ['affinity', 'anti-affinity',
                                    'soft-affinity', 'soft-anti-affinity'])
def test_every_policy_without_rules_at_2_64(compute, policy):
    group = _create_264(compute, policy=policy)
    assert (group['policy'], group['rules']) == (policy, {})
    # A group made before 2.64 shows the same.
    old = _create(compute, policies=[policy], version='2.63')
    assert compute.get(G + '/' + old['id'], version='2.64').json[
        'server_group']['policy'] == policy


@pytest.mark.parametrize('policy', ['affinity', 'soft-affinity',
                                    'soft-anti-affinity'])
def test_rules_only_for_anti_affinity(compute, policy):
    resp = _create_264(compute, 400, policy=policy,
                       rules={'max_server_per_host': 2})
    assert resp.json == {'badRequest': {
        'code': 400, 'message': 'Only anti-affinity policy supports rules.'}}


@pytest.mark.parametrize('group', [
    {'policies': ['affinity']},
    {'policy': 'affinity', 'policies': ['affinity']},
    {},
    {'policy': ['affinity']},
    {'policy': 'bogus'},
    {'policy': 'anti-affinity', 'rules': {'max_server_per_host': 0}},
    {'policy': 'anti-affinity', 'rules': {'max_server_per_host': -1}},
    {'policy': 'anti-affinity', 'rules': {'max_server_per_host': 'x'}},
    {'policy': 'anti-affinity', 'rules': {'other': 1}},
    {'policy': 'anti-affinity', 'rules': 'max_server_per_host=2'},
])
def test_bad_2_64_body_is_400(compute, group):
    resp = _create_264(compute, 400, **group)
    assert 'badRequest' in resp.json


def test_policy_and_rules_before_2_64_are_400(compute):
    resp = compute.post(G, version='2.63', json={'server_group': {
        'name': 'g', 'policy': 'affinity'}})
    assert resp.status_int == 400
    resp = compute.post(G, version='2.63', json={'server_group': {
        'name': 'g', 'policies': ['anti-affinity'],
        'rules': {'max_server_per_host': 2}}})
    assert resp.status_int == 400


def test_quota_is_checked_before_rules(compute, api_conf):
    # Upstream's order: over quota is a 403 even with bad rules.
    api_conf.set_override('server_groups', 0, group='quota')
    resp = _create_264(compute, 403, policy='affinity',
                       rules={'max_server_per_host': 2})
    assert 'forbidden' in resp.json
