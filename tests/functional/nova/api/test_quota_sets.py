"""/os-quota-sets and /os-quota-class-sets through the paste pipeline:
show, detail, defaults, update (with the in-use and users' bounds and
force), delete, per-user quotas, policy, and microversions 2.36 and
2.50."""

import uuid as uuidlib

import pytest
import sqlalchemy as sa

from nova.db.api import build_requests
from nova.db.api import tables as api_tables
from nova.db import engines
from nova.objects.build_request import BuildRequest
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

Q = '/v2.1/os-quota-sets'
QC = '/v2.1/os-quota-class-sets'
ALICE = 'alice:p1'

DEFAULTS = {
    'instances': 10, 'cores': 20, 'ram': 51200, 'metadata_items': 128,
    'injected_files': 5, 'injected_file_content_bytes': 10240,
    'injected_file_path_bytes': 255, 'key_pairs': 100, 'server_groups': 10,
    'server_group_members': 10, 'floating_ips': 10, 'fixed_ips': -1,
    'security_groups': 10, 'security_group_rules': 20}
NETWORK = {'floating_ips', 'fixed_ips', 'security_groups',
           'security_group_rules'}


def _pending(project_id='p1', user_id='alice', vcpus=2):
    """A server accepted but not yet built: it counts as in use."""
    flavor = Flavor(flavorid='1', name='small', vcpus=vcpus,
                    memory_mb=1024, id=1)
    with engines.api_writer() as conn:
        build_requests.create(conn, BuildRequest(
            instance=Instance(uuid=str(uuidlib.uuid4()),
                              project_id=project_id, user_id=user_id,
                              flavor=flavor),
            project_id=project_id))


def _put(compute, path, quota_set, status=200, version=None, token=None):
    resp = compute.put(path, json={'quota_set': quota_set},
                       version=version, token=token)
    assert resp.status_int == status, resp.text
    return resp.json


def test_show_and_defaults_at_2_1(compute):
    assert compute.get(Q + '/p1').json == {
        'quota_set': dict(DEFAULTS, id='p1')}
    assert compute.get(Q + '/p1/defaults').json == {
        'quota_set': dict(DEFAULTS, id='p1')}


@pytest.mark.parametrize('suffix', ['', '/defaults', '/detail'])
def test_network_quotas_go_at_2_36(compute, suffix):
    at_2_35 = compute.get(Q + '/p1' + suffix, version='2.35').json
    at_2_36 = compute.get(Q + '/p1' + suffix, version='2.36').json
    assert set(at_2_35['quota_set']) == set(DEFAULTS) | {'id'}
    assert set(at_2_36['quota_set']) == set(DEFAULTS) - NETWORK | {'id'}


def test_update_answers_without_id_and_show_follows(compute, api):
    body = _put(compute, Q + '/p1', {'instances': 50, 'cores': '-1',
                                     'floating_ips': 3})
    assert body == {'quota_set': dict(DEFAULTS, instances=50, cores=-1,
                                      floating_ips=3)}
    assert compute.get(Q + '/p1').json['quota_set']['instances'] == 50
    assert compute.get(Q + '/p2').json['quota_set']['instances'] == 10
    # Updating again changes the row, never adds one.
    _put(compute, Q + '/p1', {'instances': 40})
    with api.connect() as conn:
        rows = conn.execute(sa.select(
            api_tables.quotas.c.resource, api_tables.quotas.c.hard_limit)
            .where(api_tables.quotas.c.project_id == 'p1')).all()
    assert sorted(rows) == [('cores', -1), ('floating_ips', 3),
                            ('instances', 40)]


def test_network_quotas_are_not_settable_from_2_36(compute):
    resp = compute.put(Q + '/p1', version='2.36', json={
        'quota_set': {'floating_ips': 3}})
    assert resp.status_int == 400
    assert "'floating_ips' was unexpected" in resp.json['badRequest'][
        'message']
    _put(compute, Q + '/p1', {'floating_ips': 3}, version='2.35')


@pytest.mark.parametrize('quota_set,message', [
    ({'instances': -2}, 'Invalid input for field/attribute instances.'),
    ({'instances': 'ten'}, 'Invalid input for field/attribute instances.'),
    ({'instances': 2147483648}, 'Invalid input for field/attribute '
     'instances.'),
    ({'instances': 1.5}, 'Invalid input for field/attribute instances.'),
    ({'gpus': 1}, "'gpus' was unexpected"),
    ({'force': 'maybe'}, 'Invalid input for field/attribute force.'),
])
def test_bad_update_is_400(compute, quota_set, message):
    resp = compute.put(Q + '/p1', json={'quota_set': quota_set})
    assert resp.status_int == 400
    assert message in resp.json['badRequest']['message']
    assert compute.get(Q + '/p1').json['quota_set']['instances'] == 10


def test_missing_quota_set_is_400(compute):
    resp = compute.put(Q + '/p1', json={'quotas': {}})
    assert resp.status_int == 400


def test_limit_below_usage_is_400_unless_forced(compute):
    _pending()
    _pending()
    resp = compute.put(Q + '/p1', json={'quota_set': {'instances': 1}})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == (
        'Quota limit 1 for instances must be greater than or equal to '
        'already used and reserved 2.')
    _put(compute, Q + '/p1', {'instances': 2, 'cores': 4})
    body = _put(compute, Q + '/p1', {'instances': 1, 'force': 'True'})
    assert body['quota_set']['instances'] == 1
    # Unlimited is never too low.
    _put(compute, Q + '/p1', {'instances': -1})


def test_detail_shows_usage(compute):
    _pending()
    _pending(user_id='bob', vcpus=4)
    _pending(project_id='p2')
    with engines.api_writer() as conn:
        conn.execute(api_tables.instance_groups.insert().values(
            uuid=str(uuidlib.uuid4()), project_id='p1', user_id='bob'))
    detail = compute.get(Q + '/p1/detail', version='2.53').json['quota_set']
    assert detail['id'] == 'p1'
    assert detail['instances'] == {'limit': 10, 'in_use': 2, 'reserved': 0}
    assert detail['cores'] == {'limit': 20, 'in_use': 6, 'reserved': 0}
    assert detail['ram'] == {'limit': 51200, 'in_use': 2048, 'reserved': 0}
    assert detail['server_groups']['in_use'] == 1
    assert detail['key_pairs'] == {'limit': 100, 'in_use': 0, 'reserved': 0}
    alice = compute.get(Q + '/p1/detail?user_id=alice',
                        version='2.53').json['quota_set']
    assert (alice['instances']['in_use'], alice['cores']['in_use'],
            alice['server_groups']['in_use']) == (1, 2, 0)


def test_user_quotas(compute):
    _put(compute, Q + '/p1', {'instances': 8})
    body = _put(compute, Q + '/p1?user_id=alice', {'instances': 3})
    assert body['quota_set']['instances'] == 3
    assert compute.get(Q + '/p1?user_id=alice').json['quota_set'][
        'instances'] == 3
    assert compute.get(Q + '/p1?user_id=bob').json['quota_set'][
        'instances'] == 8
    assert compute.get(Q + '/p1').json['quota_set']['instances'] == 8
    # Bob may have at most what is left: 8 minus Alice's 3.
    resp = compute.put(Q + '/p1?user_id=bob', json={
        'quota_set': {'instances': 6}})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == (
        'Quota limit 6 for instances must be less than or equal to 5.')
    _put(compute, Q + '/p1?user_id=bob', {'instances': 5})
    # Alice may keep hers: what is left (0) plus her own 3.
    _put(compute, Q + '/p1?user_id=alice', {'instances': 3})
    # The project may not go below what its users were given...
    resp = compute.put(Q + '/p1', json={'quota_set': {'instances': 7}})
    assert resp.status_int == 400
    assert 'already used and reserved 8.' in resp.json['badRequest'][
        'message']
    # ... nor a user below what the user uses.
    _pending()
    _pending()
    resp = compute.put(Q + '/p1?user_id=alice', json={
        'quota_set': {'instances': 1}})
    assert resp.status_int == 400
    _put(compute, Q + '/p1?user_id=alice', {'instances': 1, 'force': True})


def test_delete_reverts_to_defaults(compute, api):
    _put(compute, Q + '/p1', {'instances': 20})
    _put(compute, Q + '/p1?user_id=alice', {'instances': 5})
    _put(compute, Q + '/p1?user_id=bob', {'instances': 5})
    resp = compute.delete(Q + '/p1?user_id=alice')
    assert resp.status_int == 202
    assert compute.get(Q + '/p1?user_id=alice').json['quota_set'][
        'instances'] == 20
    assert compute.get(Q + '/p1?user_id=bob').json['quota_set'][
        'instances'] == 5
    assert compute.delete(Q + '/p1').status_int == 202
    assert compute.get(Q + '/p1').json['quota_set']['instances'] == 10
    assert compute.get(Q + '/p1?user_id=bob').json['quota_set'][
        'instances'] == 10
    with api.connect() as conn:
        for table in (api_tables.quotas, api_tables.project_user_quotas):
            assert conn.execute(sa.select(table)).all() == []


def test_members_see_their_own_project_only(compute):
    assert compute.get(Q + '/p1', token=ALICE).status_int == 200
    assert compute.get(Q + '/p1/detail', token=ALICE).status_int == 200
    for path in (Q + '/p2', Q + '/p2/detail'):
        resp = compute.get(path, token=ALICE)
        assert resp.status_int == 403
    # Anyone may see the defaults.
    assert compute.get(Q + '/p2/defaults', token=ALICE).status_int == 200


@pytest.mark.parametrize('method,rule', [('put', 'update'),
                                         ('delete', 'delete')])
def test_changes_are_for_admins(compute, method, rule):
    kw = {'json': {'quota_set': {'instances': 1}}} if method == 'put' else {}
    resp = getattr(compute, method)(Q + '/p1', token=ALICE, **kw)
    assert resp.status_int == 403
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-quota-sets:%s to be "
        "performed." % rule)
    assert compute.get(Q + '/p1').json['quota_set']['instances'] == 10


# -- quota classes


def test_class_show_by_version(compute):
    at_2_1 = compute.get(QC + '/default').json
    assert at_2_1 == {'quota_class_set': dict(
        {k: v for k, v in DEFAULTS.items()
         if k not in ('server_groups', 'server_group_members')},
        id='default')}
    at_2_50 = compute.get(QC + '/default', version='2.50').json
    assert at_2_50 == {'quota_class_set': dict(
        {k: v for k, v in DEFAULTS.items() if k not in NETWORK},
        id='default')}
    assert compute.get(QC + '/default', version='2.49').json == at_2_1


def test_class_update_sets_every_projects_defaults(compute):
    resp = compute.put(QC + '/default', version='2.50', json={
        'quota_class_set': {'instances': 30, 'server_groups': 4}})
    assert resp.status_int == 200, resp.text
    assert 'id' not in resp.json['quota_class_set']
    assert resp.json['quota_class_set']['instances'] == 30
    assert resp.json['quota_class_set']['server_groups'] == 4
    for path in (Q + '/p9', Q + '/p9/defaults'):
        shown = compute.get(path).json['quota_set']
        assert (shown['instances'], shown['server_groups']) == (30, 4)
    # A project's own limit still wins.
    _put(compute, Q + '/p1', {'instances': 2})
    assert compute.get(Q + '/p1').json['quota_set']['instances'] == 2
    # Another class is kept, and changes nothing else.
    resp = compute.put(QC + '/gold', json={
        'quota_class_set': {'instances': 99}})
    assert resp.status_int == 200
    assert compute.get(QC + '/gold').json['quota_class_set'][
        'instances'] == 99
    assert compute.get(Q + '/p9').json['quota_set']['instances'] == 30


def test_class_update_errors(compute):
    resp = compute.put(QC + '/default', version='2.50', json={
        'quota_class_set': {'floating_ips': 1}})
    assert resp.status_int == 400
    resp = compute.put(QC + '/default', version='2.49', json={
        'quota_class_set': {'floating_ips': 1}})
    assert resp.status_int == 200
    resp = compute.put(QC + '/default', json={
        'quota_class_set': {'instances': -5}})
    assert resp.status_int == 400
    resp = compute.put(QC + '/default', json={'quota_set': {}})
    assert resp.status_int == 400
    resp = compute.put(QC + '/' + 'c' * 256, json={
        'quota_class_set': {'instances': 1}})
    assert resp.status_int == 400
    assert resp.json['badRequest']['message'] == (
        'quota_class_name has more than 255 characters.')


@pytest.mark.parametrize('method,rule', [('get', 'show'), ('put', 'update')])
def test_classes_are_for_admins(compute, method, rule):
    kw = ({'json': {'quota_class_set': {'instances': 1}}}
          if method == 'put' else {})
    resp = getattr(compute, method)(QC + '/default', token=ALICE, **kw)
    assert resp.status_int == 403
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-quota-class-sets:%s to be "
        "performed." % rule)
