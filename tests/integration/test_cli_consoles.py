"""Consoles, instance actions, hosts and the usage audit log through the
real `openstack` and `nova` clients against the cloud `tools/cloud up`
starts (one server)."""

import urllib.parse
import uuid

import pytest

from tests.integration import cli_cloud
from tests.integration.cli_cloud import CLIError, IMAGE

HOST = 'cell1-compute1'


@pytest.fixture(scope='module')
def server(cloud):
    name = 'con-' + uuid.uuid4().hex[:8]
    cloud.osc('server', 'create', '--flavor', 'm1.tiny', '--image', IMAGE,
              '--wait', name)
    yield name
    cloud.osc('server', 'delete', '--wait', name, parse=False)


def test_console_url(cloud, server):
    shown = cloud.osc('console', 'url', 'show', server)
    assert shown['type'] == 'novnc'
    url = urllib.parse.urlsplit(shown['url'])
    assert (url.hostname, url.port) == ('127.0.0.1', 6080)
    query = urllib.parse.parse_qs(url.query)
    token = urllib.parse.parse_qs(query['path'][0].lstrip('?'))['token'][0]
    # The old action (before 2.6) answers too.
    old = cloud.osc('--os-compute-api-version', '2.5', 'console', 'url',
                    'show', '--novnc', server)
    assert old['type'] == 'novnc' and old['url'] != shown['url']
    # The token's details, as a console proxy asks for them.
    server_id = cloud.osc('server', 'show', server)['id']
    details = cloud.osc('--os-compute-api-version', '2.31', 'console',
                        'connection', 'show', token)
    assert details['instance_uuid'] == server_id
    assert details['port'] == 6969
    with pytest.raises(CLIError, match='403|Policy|not allowed'):
        cloud.osc('console', 'connection', 'show', token, user='demo')
    # Not enabled in this cloud.
    with pytest.raises(CLIError, match='Unavailable console type'):
        cloud.osc('console', 'url', 'show', '--spice', server)


def test_server_actions_list_and_show(cloud, server):
    cloud.osc('server', 'stop', server, parse=False)
    from tests.nova_services import wait_for
    wait_for(lambda: cloud.osc('server', 'show', server)['status'] ==
             'SHUTOFF', timeout=60, interval=0.5, what='stopped')
    cloud.osc('server', 'start', server, parse=False)
    wait_for(lambda: cloud.osc('server', 'show', server)['status'] ==
             'ACTIVE', timeout=60, interval=0.5, what='started')
    actions = cloud.osc('server', 'event', 'list', server)
    assert [a['Action'] for a in actions][:3] == ['start', 'stop', 'create']
    paged = cloud.osc('--os-compute-api-version', '2.66', 'server', 'event',
                      'list', '--limit', '1', server)
    assert paged[0]['Action'] == 'start'
    assert {a['Action'] for a in paged} <= {'start', 'stop', 'create'}
    assert cloud.osc('--os-compute-api-version', '2.66', 'server', 'event',
                     'list', '--changes-since', '2999-01-01T00:00:00Z',
                     server) == []
    assert len(cloud.osc('--os-compute-api-version', '2.66', 'server',
                         'event', 'list', '--changes-before',
                         '2999-01-01T00:00:00Z', server)) == len(actions)
    shown = cloud.osc('--os-compute-api-version', '2.62', 'server',
                      'event', 'show', server, actions[0]['Request ID'])
    assert shown['action'] == 'start'
    assert HOST in str(shown['events'])


def test_hosts(cloud, server):
    listed = cloud.osc('--os-compute-api-version', '2.42', 'host', 'list')
    assert {'Host Name': HOST, 'Service': 'compute',
            'Zone': 'nova'} in listed
    shown = cloud.osc('--os-compute-api-version', '2.42', 'host', 'show',
                      HOST)
    projects = {row['Project'] for row in shown}
    assert {'(total)', '(used_now)', '(used_max)'} <= projects
    cloud.osc('host', 'set', '--enable', HOST, parse=False)
    # Libvirt's (and the fake driver's) answer to maintenance mode.
    with pytest.raises(CLIError, match='501|not supported'):
        cloud.osc('host', 'set', '--enable-maintenance', HOST, parse=False)
    with pytest.raises(CLIError, match='403|Policy|not allowed'):
        cloud.osc('host', 'list', user='demo')


def test_usage_audit_log(cloud):
    out = cloud.nova('instance-usage-audit-log')
    rows = dict(r[:2] for r in cli_cloud.table(out))
    assert rows['num_hosts'] == '1'
    assert rows['hosts_not_run'] == "['%s']" % HOST
    assert rows['overall_status'] == '0 of 1 hosts done. 0 errors.'
    out = cloud.nova('instance-usage-audit-log', '--before',
                     '2012-07-02 00:00:00')
    rows = dict(r[:2] for r in cli_cloud.table(out))
    assert rows['period_ending'] == '2012-07-01 00:00:00'
