"""/limits through the paste pipeline: the absolute limits by
microversion (2.1, 2.36, 2.39), usage counted over two cells and pending
builds, another project's limits for administrators only."""

import uuid as uuidlib


from nova.db.api import build_requests
from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db.main import instances
from nova.objects.build_request import BuildRequest
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance

L = '/v2.1/limits'
ALICE = 'alice:p1'
SMALL = Flavor(flavorid='1', name='small', vcpus=2, memory_mb=1024, id=1)

DEFAULTS_2_1 = {
    'maxTotalRAMSize': 51200, 'maxTotalInstances': 10, 'maxTotalCores': 20,
    'maxTotalKeypairs': 100, 'maxTotalFloatingIps': 10,
    'maxServerMeta': 128, 'maxImageMeta': 128, 'maxPersonality': 5,
    'maxPersonalitySize': 10240, 'maxSecurityGroups': 10,
    'maxSecurityGroupRules': 20, 'maxServerGroups': 10,
    'maxServerGroupMembers': 10, 'totalRAMUsed': 0, 'totalCoresUsed': 0,
    'totalInstancesUsed': 0, 'totalFloatingIpsUsed': 0,
    'totalSecurityGroupsUsed': 0, 'totalServerGroupsUsed': 0}
NETWORK = {'maxTotalFloatingIps', 'maxSecurityGroups',
           'maxSecurityGroupRules', 'totalFloatingIpsUsed',
           'totalSecurityGroupsUsed'}


def _instance(project_id='p1', user_id='alice'):
    return Instance(uuid=str(uuidlib.uuid4()), project_id=project_id,
                    user_id=user_id, flavor=SMALL)


def _boot(cell, **kwargs):
    with engines.cell_writer(cell) as conn:
        instances.create(conn, _instance(**kwargs))


def _group(project_id='p1', user_id='alice'):
    with engines.api_writer() as conn:
        conn.execute(api_tables.instance_groups.insert().values(
            uuid=str(uuidlib.uuid4()), project_id=project_id,
            user_id=user_id, name='g'))


def _absolute(compute, version='2.1', token=ALICE, query=''):
    resp = compute.get(L + query, version=version, token=token)
    assert resp.status_int == 200, resp.text
    assert resp.json['limits']['rate'] == []
    return resp.json['limits']['absolute']


def test_defaults_at_2_1(compute):
    assert _absolute(compute) == DEFAULTS_2_1


def test_network_limits_go_at_2_36_image_meta_at_2_39(compute):
    at_2_35 = _absolute(compute, '2.35')
    assert at_2_35 == DEFAULTS_2_1
    at_2_36 = _absolute(compute, '2.36')
    assert set(at_2_36) == set(DEFAULTS_2_1) - NETWORK
    assert at_2_36['maxImageMeta'] == 128
    assert _absolute(compute, '2.38') == at_2_36
    at_2_39 = _absolute(compute, '2.39')
    assert set(at_2_39) == set(at_2_36) - {'maxImageMeta'}
    assert _absolute(compute, '2.53') == at_2_39


def test_limits_follow_the_project_quota_and_defaults(compute, api_conf):
    api_conf.set_override('cores', 7, group='quota')
    resp = compute.put('/v2.1/os-quota-sets/p1', json={
        'quota_set': {'instances': 3, 'metadata_items': 5}})
    assert resp.status_int == 200, resp.text
    resp = compute.put('/v2.1/os-quota-class-sets/default', json={
        'quota_class_set': {'ram': 4096}})
    assert resp.status_int == 200, resp.text
    mine = _absolute(compute)
    assert (mine['maxTotalInstances'], mine['maxTotalCores'],
            mine['maxTotalRAMSize'], mine['maxServerMeta'],
            mine['maxImageMeta']) == (3, 7, 4096, 5, 5)
    other = _absolute(compute, token='carol:p2')
    assert (other['maxTotalInstances'], other['maxTotalRAMSize']) == (
        10, 4096)


def test_usage_is_counted_over_every_cell(compute, two_cells):
    _boot(two_cells['cell1'])
    _boot(two_cells['cell2'], user_id='bob')
    _boot(two_cells['cell2'], project_id='p2')
    with engines.api_writer() as conn:
        build_requests.create(conn, BuildRequest(
            instance=_instance(), project_id='p1'))
    _group()
    _group(user_id='bob')
    _group(project_id='p2')
    mine = _absolute(compute, '2.53')
    assert (mine['totalInstancesUsed'], mine['totalCoresUsed'],
            mine['totalRAMUsed'], mine['totalServerGroupsUsed']) == (
        3, 6, 3072, 2)
    theirs = _absolute(compute, '2.53', token='carol:p2')
    assert (theirs['totalInstancesUsed'], theirs['totalCoresUsed'],
            theirs['totalServerGroupsUsed']) == (1, 2, 1)


def test_other_projects_limits_are_for_admins(compute, two_cells):
    _boot(two_cells['cell2'], project_id='p2')
    theirs = _absolute(compute, token='admin', query='?tenant_id=p2')
    assert theirs['totalInstancesUsed'] == 1
    assert _absolute(compute, token='admin')['totalInstancesUsed'] == 0
    resp = compute.get(L + '?tenant_id=p2', token=ALICE)
    assert resp.status_int == 403
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-used-limits to be "
        "performed.")
