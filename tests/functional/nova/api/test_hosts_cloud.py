"""/os-hosts (until 2.42) and /os-instance_usage_audit_log over an
in-process cloud with one fake compute: listing, a host's resources, the
actions its driver is asked for (501 where the fake driver, as libvirt,
cannot), and the compute's usage audit as the log reports it."""

import datetime

import pytest

from nova.compute import hosts
from nova.compute import usage_audit
from tests.functional.nova.api.conftest import flavor_body
from tests.functional.nova.api.test_servers_cloud import _wait

H = '/v2.1/os-hosts'
LOG = '/v2.1/os-instance_usage_audit_log'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


@pytest.fixture
def cloud(new_cloud):
    from nova import host_discovery
    cloud = new_cloud()
    cloud.add_compute(vcpus=4, memory_mb=4096, local_gb=100)
    # Mapped, as nova-manage cell_v2 discover_hosts does.
    host_discovery.discover_hosts(cloud.ctx)
    return cloud


@pytest.fixture
def compute(cloud, cloud_conf):
    from nova.api import direct
    client = direct.ComputeDirect(cloud_conf, token='admin', version='2.42')
    resp = client.post('/v2.1/flavors', json=flavor_body(
        'm1.small', '2', ram=1024, vcpus=2, disk=10, **{
            'OS-FLV-EXT-DATA:ephemeral': 5}))
    assert resp.status_int == 200, resp.text
    return client


def _boot(compute, token='alice:p1'):
    resp = compute.post('/v2.1/servers', version='2.53', token=token,
                        json={'server': {'name': 'vm', 'flavorRef': '2',
                                         'imageRef': CIRROS,
                                         'networks': 'none'}})
    assert resp.status_int == 202, resp.text
    uuid = resp.json['server']['id']
    _wait(compute, uuid, 'ACTIVE')
    return uuid


def test_list_and_show(compute, cloud):
    (host,) = cloud.computes
    listed = compute.get(H).json['hosts']
    assert {'host_name': host, 'service': 'compute',
            'zone': 'nova'} in listed
    assert {'host_name': 'conductor', 'service': 'conductor',
            'zone': 'internal'} in listed
    assert [h for h in compute.get(H + '?zone=nova').json['hosts']] == [
        {'host_name': host, 'service': 'compute', 'zone': 'nova'}]
    assert compute.get(H + '?zone=elsewhere').json['hosts'] == []

    _boot(compute)
    _boot(compute, token='bob:p2')
    resp = compute.get(H + '/' + host)
    assert resp.status_int == 200, resp.text
    resources = [r['resource'] for r in resp.json['host']]
    assert resources[0] == {'host': host, 'project': '(total)', 'cpu': 4,
                            'memory_mb': 4096, 'disk_gb': 100}
    assert resources[1]['project'] == '(used_now)'
    assert resources[2] == {'host': host, 'project': '(used_max)',
                            'cpu': 4, 'memory_mb': 2048, 'disk_gb': 30}
    assert sorted((r['project'], r['cpu'], r['disk_gb'])
                  for r in resources[3:]) == [('p1', 2, 15), ('p2', 2, 15)]

    assert compute.get(H + '/nowhere').status_int == 404


def test_actions_asked_of_the_driver(compute, cloud):
    (host,) = cloud.computes
    resp = compute.put(H + '/' + host, json={'status': 'Disable'})
    assert resp.status_int == 200, resp.text
    assert resp.json == {'host': host, 'status': 'disabled'}
    resp = compute.put(H + '/' + host, json={'status': 'enable'})
    assert resp.json == {'host': host, 'status': 'enabled'}
    # The fake driver, as libvirt, has no maintenance mode and no power
    # actions.
    resp = compute.put(H + '/' + host, json={'maintenance_mode': 'enable'})
    assert resp.status_int == 501, resp.text
    for action in ('startup', 'shutdown', 'reboot'):
        resp = compute.get(H + '/%s/%s' % (host, action))
        assert resp.status_int == 501, resp.text
    assert compute.get(H + '/nowhere/reboot').status_int == 404
    assert compute.put(H + '/nowhere', json={
        'status': 'enable'}).status_int == 404

    # A host whose compute is down cannot be asked.
    hosts.update_service_by_host(cloud.ctx, host, 'nova-compute',
                                 {'forced_down': True})
    resp = compute.put(H + '/' + host, json={'status': 'enable'})
    assert resp.status_int == 400, resp.text
    assert 'unavailable' in resp.text
    assert compute.get(H + '/%s/reboot' % host).status_int == 400


@pytest.mark.parametrize('body', [
    {}, {'status': 'on'}, {'status': 'enable', 'other': 1},
    {'maintenance_mode': True}])
def test_update_bad_body(compute, cloud, body):
    (host,) = cloud.computes
    assert compute.put(H + '/' + host, json=body).status_int == 400


def test_gone_from_2_43_and_admins_only(compute, cloud):
    (host,) = cloud.computes
    for path in (H, H + '/' + host, H + '/%s/reboot' % host):
        assert compute.get(path, version='2.43').status_int == 404
        resp = compute.get(path, token='alice:p1')
        assert resp.status_int == 403, resp.text
    assert compute.put(H + '/' + host, version='2.43', json={
        'status': 'enable'}).status_int == 404


def test_usage_audit_log(compute, cloud, cloud_conf):
    (host,) = cloud.computes
    _boot(compute)
    report = compute.get(LOG).json['instance_usage_audit_logs']
    begin, end = usage_audit.last_completed_period()
    assert report == {
        'period_beginning': str(begin), 'period_ending': str(end),
        'num_hosts': 1, 'num_hosts_done': 0, 'num_hosts_running': 0,
        'num_hosts_not_run': 1, 'hosts_not_run': [host],
        'total_instances': 0, 'total_errors': 0,
        'overall_status': '0 of 1 hosts done. 0 errors.', 'log': {}}

    # Off by default: the periodic task records nothing.
    manager = cloud.computes[host]
    manager._instance_usage_audit(cloud.ctx)
    assert compute.get(LOG).json['instance_usage_audit_logs'][
        'num_hosts_done'] == 0
    cloud_conf.set_override('instance_usage_audit', True)
    manager._instance_usage_audit(cloud.ctx)
    report = compute.get(LOG).json['instance_usage_audit_logs']
    assert report['num_hosts_done'] == 1 and report['hosts_not_run'] == []
    assert report['overall_status'] == 'ALL hosts done. 0 errors.'
    # The server was launched after the last completed period.
    assert report['total_instances'] == 0
    assert report['log'][host]['state'] == 'DONE'
    assert report['log'][host]['message'].startswith(
        'Instance usage audit ran for host %s, 0 instances' % host)

    # The period that is running now, once it will have ended: the
    # server is in it.
    later = datetime.datetime.utcnow() + datetime.timedelta(days=40)
    assert usage_audit.audit_host(manager.db_url, host, before=later)
    assert not usage_audit.audit_host(manager.db_url, host, before=later)
    stamp = later.strftime('%Y-%m-%d %H:%M:%S')
    resp = compute.get(LOG + '/' + stamp.replace(' ', '%20'))
    assert resp.status_int == 200, resp.text
    report = resp.json['instance_usage_audit_log']
    assert report['total_instances'] == 1
    assert report['log'][host]['instances'] == 1
    assert report['period_ending'] == str(
        usage_audit.last_completed_period(later)[1])


@pytest.mark.parametrize('stamp', ['yesterday', '2012-13-01%2000:00:00',
                                   '2012-07-01T00:00:00'])
def test_usage_audit_log_bad_timestamp(compute, cloud, stamp):
    resp = compute.get(LOG + '/' + stamp)
    assert resp.status_int == 400, resp.text
    assert 'Invalid timestamp for date' in resp.text


def test_usage_audit_log_is_for_admins(compute, cloud):
    for path in (LOG, LOG + '/2012-07-01%2000:00:00'):
        assert compute.get(path, token='alice:p1').status_int == 403
    resp = compute.get(LOG + '/2012-07-01%2000:00:00.5')
    assert resp.status_int == 200, resp.text
    assert resp.json['instance_usage_audit_log']['period_ending'] == (
        '2012-07-01 00:00:00')
