"""Every route and method of ROUTES driven as the admin, as a member of
the project owning the resources (alice of p1) and as a member of another
project (bob of p2), against upstream's default policy:

- admin_api rules: exactly 403 with upstream's forbidden body naming the
  rule, for both non-admins;
- admin_or_owner rules on a project's own resources: another project's
  member gets 403 where upstream checks the rule against the resource's
  project (quotas, usage) and 404 where upstream's lookup is scoped to the
  caller (servers, key pairs, private flavors);
- rules anyone passes ('@', or the caller's own project): 2xx.

The expectations are written from nova/policies/*.py (and upstream's
handlers for 403-versus-404), not from what this API answers. SQLite
only: policy does not depend on the backend.
"""

import uuid as uuidlib

import pytest

from nova.api import routes
from nova.compute import states
from nova import cells
from nova.db.api import cell_mappings
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova.objects.cell_mapping import CellMapping
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.policies import aggregates as aggregate_rules
from nova.policies import availability_zones as zone_rules
from nova.policies import console_auth_tokens as token_rules
from nova.policies import flavors as flavor_rules
from nova.policies import hosts as host_rules
from nova.policies import hypervisors as hypervisor_rules
from nova.policies import instance_usage_audit_log as audit_rules
from nova.policies import keypairs as keypair_rules
from nova.policies import limits as limit_rules
from nova.policies import migrations as migration_rules
from nova.policies import quota_class_sets as quota_class_rules
from nova.policies import server_groups as group_rules
from nova.policies import quota_sets as quota_rules
from nova.policies import server_actions as action_rules
from nova.policies import server_external_events as event_rules
from nova.policies import server_moves as move_rules
from nova.policies import server_state_actions as state_rules
from nova.policies import services as service_rules
from nova.policies import simple_tenant_usage as usage_rules
from nova.policies import volume_attachments as volume_attachment_rules
from tests.functional.nova.api import admin_hosts
from tests.functional.nova.api.conftest import flavor_body

ADMIN, OWNER, OTHER = 'admin', 'alice:p1', 'bob:p2'
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
FLAVOR = flavor_body('m1.new', 'new')
AGGREGATE = {'aggregate': {'name': 'agg2'}}
SERVER = {'server': {'name': 'vm2', 'flavorRef': '1', 'imageRef': CIRROS,
                     'networks': 'none'}}
QUOTAS = {'quota_set': {'instances': 20}}


class Row:
    """One request; `other` is bob's status, `rule` the admin_api or
    owner rule a 403 names; admin_only rows give alice the same 403,
    `owner` and `admin` are their statuses where not "allowed"."""

    def __init__(self, method: str, path: str, other: int,
                 rule: str | None = None, admin_only: bool = False,
                 body=None, version: str = '2.53',
                 owner: int | None = None, admin: int | None = None) -> None:
        self.method, self.path, self.other = method, path, other
        self.rule, self.admin_only = rule, admin_only
        self.owner, self.admin = owner, admin
        self.body, self.version = body, version

    @property
    def route(self) -> str:
        return self.path.split('?')[0]

    def __repr__(self) -> str:
        return '%s %s' % (self.method, self.path)


def admin(method, path, rule, **kw) -> Row:
    return Row(method, path, 403, rule, admin_only=True, **kw)


S = '/servers/{server_id}'
TABLE = [
    Row('GET', '/', 200),
    Row('GET', '/openapi.json', 200),
    # flavors: reading is for everyone, private ones are invisible
    Row('GET', '/flavors', 200),
    admin('POST', '/flavors', flavor_rules.MANAGE_CREATE, body=FLAVOR),
    Row('GET', '/flavors/detail', 200),
    Row('GET', '/flavors/{flavor_id}', 200),
    Row('GET', '/flavors/{private_flavor_id}', 404, owner=404),
    admin('DELETE', '/flavors/{flavor_id}', flavor_rules.MANAGE_DELETE),
    admin('PUT', '/flavors/{flavor_id}', flavor_rules.MANAGE_UPDATE,
          body={'flavor': {'description': 'd'}}, version='2.55'),
    Row('GET', '/flavors/{private_flavor_id}/os-flavor-access', 404,
        owner=404),
    admin('POST', '/flavors/{private_flavor_id}/action',
          flavor_rules.ACCESS_ADD, body={'addTenantAccess': {
              'tenant': 'p9'}}),
    Row('GET', '/flavors/{flavor_id}/os-extra_specs', 200),
    admin('POST', '/flavors/{flavor_id}/os-extra_specs',
          flavor_rules.SPECS_CREATE, body={'extra_specs': {'a': 'b'}}),
    Row('GET', '/flavors/{flavor_id}/os-extra_specs/{key}', 200),
    admin('PUT', '/flavors/{flavor_id}/os-extra_specs/{key}',
          flavor_rules.SPECS_UPDATE, body={'{key}': 'x'}),
    admin('DELETE', '/flavors/{flavor_id}/os-extra_specs/{key}',
          flavor_rules.SPECS_DELETE),
    # the image proxy (until 2.35) has no policy of its own: the image
    # service decides
    Row('GET', '/images', 200, version='2.35'),
    Row('GET', '/images/detail', 200, version='2.35'),
    Row('GET', '/images/{image_id}', 200, version='2.35'),
    # (the local catalog is read-only: 403 for everyone)
    Row('DELETE', '/images/{image_id}', 403, version='2.35', owner=403,
        admin=403),
    # limits: one's own for anyone, another project's for admins
    Row('GET', '/limits', 200),
    admin('GET', '/limits?tenant_id=p1', limit_rules.USED_LIMITS),
    # key pairs: per user; another user's only through ?user_id (admins)
    Row('GET', '/os-keypairs', 200),
    Row('GET', '/os-keypairs?user_id=alice', 403, keypair_rules.INDEX),
    Row('POST', '/os-keypairs', 201, body={'keypair': {'name': 'k2'}}),
    Row('POST', '/os-keypairs', 403, keypair_rules.CREATE,
        body={'keypair': {'name': 'k2', 'user_id': 'alice'}}),
    Row('GET', '/os-keypairs/{keypair_name}', 404),
    Row('GET', '/os-keypairs/{keypair_name}?user_id=alice', 403,
        keypair_rules.SHOW),
    Row('DELETE', '/os-keypairs/{keypair_name}', 404),
    Row('DELETE', '/os-keypairs/{keypair_name}?user_id=alice', 403,
        keypair_rules.DELETE),
    # quotas
    admin('GET', '/os-quota-class-sets/{class_id}', quota_class_rules.SHOW),
    admin('PUT', '/os-quota-class-sets/{class_id}', quota_class_rules.UPDATE,
          body={'quota_class_set': {'instances': 20}}),
    Row('GET', '/os-quota-sets/{tenant_id}', 403, quota_rules.SHOW),
    admin('PUT', '/os-quota-sets/{tenant_id}', quota_rules.UPDATE,
          body=QUOTAS),
    admin('DELETE', '/os-quota-sets/{tenant_id}', quota_rules.DELETE),
    Row('GET', '/os-quota-sets/{tenant_id}/defaults', 200),
    Row('GET', '/os-quota-sets/{tenant_id}/detail', 403, quota_rules.DETAIL),
    # admin APIs
    admin('GET', '/os-migrations', migration_rules.INDEX),
    admin('POST', '/os-server-external-events', event_rules.CREATE,
          body={'events': [{'server_uuid': '{server_id}',
                            'name': 'network-changed'}]}),
    admin('GET', '/os-simple-tenant-usage', usage_rules.LIST),
    Row('GET', '/os-simple-tenant-usage/{tenant_id}', 403, usage_rules.SHOW),
    # server groups: admin_or_owner against the group's project (Pike
    # checked the caller's own project, letting anyone read or delete any
    # group by uuid; later upstream releases closed that)
    Row('GET', '/os-server-groups', 200),
    Row('POST', '/os-server-groups', 200, body={'server_group': {
        'name': 'g2', 'policies': ['affinity']}}),
    Row('GET', '/os-server-groups/{server_group_id}', 403,
        group_rules.SHOW),
    Row('DELETE', '/os-server-groups/{server_group_id}', 403,
        group_rules.DELETE),
    admin('GET', '/os-aggregates', aggregate_rules.INDEX),
    admin('POST', '/os-aggregates', aggregate_rules.CREATE, body=AGGREGATE),
    admin('GET', '/os-aggregates/{aggregate_id}', aggregate_rules.SHOW),
    admin('PUT', '/os-aggregates/{aggregate_id}', aggregate_rules.UPDATE,
          body=AGGREGATE),
    admin('DELETE', '/os-aggregates/{aggregate_id}', aggregate_rules.DELETE),
    admin('POST', '/os-aggregates/{aggregate_id}/action',
          aggregate_rules.ADD_HOST, body={'add_host': {'host': 'cmp1'}}),
    admin('POST', '/os-aggregates/{aggregate_id}/action',
          aggregate_rules.SET_METADATA,
          body={'set_metadata': {'metadata': {'a': 'b'}}}),
    Row('GET', '/os-availability-zone', 200),
    admin('GET', '/os-availability-zone/detail', zone_rules.DETAIL),
    admin('GET', '/os-hypervisors', hypervisor_rules.BASE),
    admin('GET', '/os-hypervisors/detail', hypervisor_rules.BASE),
    admin('GET', '/os-hypervisors/statistics', hypervisor_rules.BASE),
    admin('GET', '/os-hypervisors/{hypervisor_id}', hypervisor_rules.BASE),
    # (no driver here reports uptime: upstream's 501 for such drivers)
    admin('GET', '/os-hypervisors/{hypervisor_id}/uptime',
          hypervisor_rules.BASE, admin=501),
    admin('GET', '/os-hypervisors/{pattern}/search', hypervisor_rules.BASE,
          version='2.52'),
    admin('GET', '/os-hypervisors/{pattern}/servers', hypervisor_rules.BASE,
          version='2.52'),
    admin('GET', '/os-services', service_rules.BASE),
    admin('PUT', '/os-services/{service_id}', service_rules.BASE,
          body={'status': 'disabled'}),
    admin('DELETE', '/os-services/{service_id}', service_rules.BASE),
    # servers: another project's are not found
    Row('GET', '/servers', 200),
    Row('POST', '/servers', 202, body=SERVER),
    Row('GET', '/servers/detail', 200),
    Row('GET', S, 404),
    Row('PUT', S, 404, body={'server': {'name': 'x'}}),
    Row('DELETE', S, 404),
    Row('POST', S + '/action', 404, body={'reboot': {'type': 'SOFT'}}),
    Row('POST', S + '/action', 404, body={'lock': None}),
    Row('POST', S + '/action', 404, body={'pause': None}),
    admin('POST', S + '/action', action_rules.MIGRATE, body={'migrate': None}),
    admin('GET', S + '/migrations', migration_rules.SERVER_INDEX),
    admin('GET', S + '/migrations/{migration_id}',
          migration_rules.SERVER_SHOW),
    admin('POST', S + '/action', move_rules.EVACUATE,
          body={'evacuate': {}}),
    admin('POST', S + '/action', move_rules.MIGRATE_LIVE,
          body={'os-migrateLive': {'host': None,
                                   'block_migration': 'auto'}}),
    admin('POST', S + '/migrations/{migration_id}/action',
          migration_rules.FORCE_COMPLETE, body={'force_complete': None}),
    admin('DELETE', S + '/migrations/{migration_id}',
          migration_rules.DELETE),
    Row('GET', S + '/metadata', 404),
    Row('POST', S + '/metadata', 404, body={'metadata': {'a': 'b'}}),
    Row('PUT', S + '/metadata', 404, body={'metadata': {'a': 'b'}}),
    Row('GET', S + '/metadata/{key}', 404),
    Row('PUT', S + '/metadata/{key}', 404, body={'meta': {'{key}': 'v'}}),
    Row('DELETE', S + '/metadata/{key}', 404),
    Row('GET', S + '/tags', 404),
    Row('PUT', S + '/tags', 404, body={'tags': ['a', 'b']}),
    Row('DELETE', S + '/tags', 404),
    Row('GET', S + '/tags/{tag}', 404),
    Row('PUT', S + '/tags/{tag}', 404),
    Row('DELETE', S + '/tags/{tag}', 404),
    Row('GET', S + '/os-instance-actions', 404),
    Row('GET', S + '/os-instance-actions/{request_id}', 404),
    Row('GET', S + '/os-volume_attachments', 404),
    # This cloud has no Cinder: past policy, the attach cannot reach it.
    Row('POST', S + '/os-volume_attachments', 404, owner=503, admin=503,
        body={'volumeAttachment': {'volumeId': '{volume_id}'}}),
    Row('GET', S + '/os-volume_attachments/{volume_id}', 404, owner=404,
        admin=404),
    Row('DELETE', S + '/os-volume_attachments/{volume_id}', 404, owner=404,
        admin=404),
    admin('PUT', S + '/os-volume_attachments/{volume_id}',
          volume_attachment_rules.SWAP, admin=503,
          body={'volumeAttachment': {'volumeId': '{volume_id}'}}),
    # the old alias of /servers
    Row('GET', '/os-volumes_boot', 200),
    Row('POST', '/os-volumes_boot', 202, body=SERVER),
    Row('GET', '/os-volumes_boot/detail', 200),
    Row('GET', '/os-volumes_boot/{server_id}', 404),
    Row('PUT', '/os-volumes_boot/{server_id}', 404,
        body={'server': {'name': 'x'}}),
    Row('DELETE', '/os-volumes_boot/{server_id}', 404),
    # The volume proxy checks the caller's own project, then asks Cinder,
    # which this cloud does not have.
    *[Row(method, path, 503, owner=503, admin=503, version='2.35', **kw)
      for method, path, kw in (
          ('GET', '/os-volumes', {}), ('GET', '/os-volumes/detail', {}),
          ('POST', '/os-volumes', {'body': {'volume': {'size': 1}}}),
          ('GET', '/os-volumes/{volume_id}', {}),
          ('DELETE', '/os-volumes/{volume_id}', {}),
          ('GET', '/os-snapshots', {}), ('GET', '/os-snapshots/detail', {}),
          ('POST', '/os-snapshots',
           {'body': {'snapshot': {'volume_id': '{volume_id}'}}}),
          ('GET', '/os-snapshots/{snapshot_id}', {}),
          ('DELETE', '/os-snapshots/{snapshot_id}', {}))],
    # actions on a server's state; changePassword is an RPC call, which no
    # compute answers here: on the ERROR server, past policy, a 409 first
    admin('POST', S + '/action', state_rules.RESET_STATE,
          body={'os-resetState': {'state': 'error'}}),
    admin('POST', S + '/action', state_rules.INJECT_NETWORK_INFO,
          body={'injectNetworkInfo': None}),
    admin('POST', S + '/action', state_rules.RESET_NETWORK,
          body={'resetNetwork': None}),
    admin('POST', S + '/action', state_rules.SHELVE_OFFLOAD,
          body={'shelveOffload': None}),
    Row('POST', S + '/action', 404, body={'shelve': None}),
    Row('POST', S + '/action', 404, body={'unshelve': None}),
    Row('POST', S + '/action', 404, body={'rescue': None}),
    Row('POST', S + '/action', 404, body={'unrescue': None}),
    Row('POST', S + '/action', 404, body={'restore': None}),
    Row('POST', S + '/action', 404, body={'trigger_crash_dump': None},
        version='2.17'),
    Row('POST', '/servers/{unhosted_server_id}/action', 404, owner=409,
        admin=409, body={'changePassword': {'adminPass': 'p'}}),
    Row('GET', S + '/os-server-password', 404),
    Row('DELETE', S + '/os-server-password', 404),
    Row('GET', S + '/ips', 404),
    # (no network service: the server is on no network)
    Row('GET', S + '/ips/{network_label}', 404, owner=404, admin=404),
    # A server with no host yet: past policy, 409 before any RPC call.
    Row('POST', '/servers/{unhosted_server_id}/remote-consoles', 404,
        version='2.6', owner=409, admin=409, body={'remote_console': {
            'protocol': 'vnc', 'type': 'novnc'}}),
    admin('GET', '/os-console-auth-tokens/{console_token}', token_rules.BASE,
          admin=404),
    # os-hosts until 2.42; the host's compute is down: past policy, a
    # 400 before any RPC call.
    admin('GET', '/os-hosts', host_rules.BASE, version='2.42'),
    admin('GET', '/os-hosts/{host_name}', host_rules.BASE, version='2.42'),
    admin('PUT', '/os-hosts/{host_name}', host_rules.BASE, version='2.42',
          body={'status': 'enable'}, admin=400),
    *[admin('GET', '/os-hosts/{host_name}/' + action, host_rules.BASE,
            version='2.42', admin=400)
      for action in ('startup', 'shutdown', 'reboot')],
    admin('GET', '/os-instance_usage_audit_log', audit_rules.BASE),
    admin('GET', '/os-instance_usage_audit_log/{before_timestamp}',
          audit_rules.BASE),
]


def test_the_table_covers_every_route_and_method():
    # {private_flavor_id} is {flavor_id} with another value.
    covered = {(row.route.replace('private_flavor_id', 'flavor_id')
                .replace('unhosted_server_id', 'server_id'),
                row.method) for row in TABLE}
    assert covered == {(path, method) for path, methods in routes.ROUTES
                       for method in methods}


@pytest.fixture
def ids(api_conf, nova_cell_url):
    """alice's server (ACTIVE in a mapped cell, locked once so it has an
    action), key pair, server group and tags; a public flavor with an extra
    spec, a private flavor, an aggregate and a compute host."""
    from nova.api import direct
    from nova import rpc
    api_conf.set_override('transport_url', 'fake://')
    api = direct.ComputeDirect(api_conf, token=ADMIN, version='2.53')

    def ok(resp):
        assert resp.status_int < 300, resp.text
        return resp.json if resp.body else None

    ok(api.post('/v2.1/flavors', json=flavor_body('m1.tiny', '1')))
    ok(api.post('/v2.1/flavors', json=flavor_body(
        'secret', 'priv', **{'os-flavor-access:is_public': False})))
    ok(api.post('/v2.1/flavors/1/os-extra_specs',
                json={'extra_specs': {'hw:cpu_policy': 'shared'}}))
    with engines.api_writer() as conn:
        cell = cell_mappings.create(conn, CellMapping(
            uuid=str(uuidlib.uuid4()), name='cell1', transport_url='fake://',
            database_connection=nova_cell_url))
    cells.reset_cache()
    svc, (node,) = admin_hosts.Hosts({'cell1': cell}).compute('cell1',
                                                              'cmp1')
    server_id = str(uuidlib.uuid4())
    with engines.cell_writer(cell) as conn:
        instances.create(conn, Instance(
            uuid=server_id, project_id='p1', user_id='alice', host='cmp1',
            node='cmp1', flavor=Flavor(id=1, flavorid='1', name='m1.tiny',
                                       vcpus=1, memory_mb=512, root_gb=1),
            display_name='vm', image_ref=CIRROS, vm_state=states.ACTIVE))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, server_id, 'p1', cell_id=cell.id,
                                 user_id='alice')
    # alice's second server, which no host took; a host whose compute is
    # down.
    unhosted_id = str(uuidlib.uuid4())
    with engines.cell_writer(cell) as conn:
        instances.create(conn, Instance(
            uuid=unhosted_id, project_id='p1', user_id='alice',
            flavor=Flavor(id=1, flavorid='1', name='m1.tiny', vcpus=1,
                          memory_mb=512, root_gb=1),
            display_name='vm3', image_ref=CIRROS, vm_state=states.ERROR))
    with engines.api_writer() as conn:
        instance_mappings.create(conn, unhosted_id, 'p1', cell_id=cell.id,
                                 user_id='alice')
    admin_hosts.Hosts({'cell1': cell}).compute('cell1', 'cmp2', up=False)
    ok(api.put('/v2.1/servers/%s/metadata/k' % server_id,
               json={'meta': {'k': 'v'}}, token=OWNER))
    ok(api.put('/v2.1/servers/%s/tags/a' % server_id, token=OWNER))
    ok(api.post('/v2.1/servers/%s/action' % server_id, json={'lock': None},
                token=OWNER))
    ok(api.post('/v2.1/servers/%s/action' % server_id,
                json={'unlock': None}, token=OWNER))
    actions = ok(api.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                         token=OWNER))['instanceActions']
    ok(api.post('/v2.1/os-keypairs', json={'keypair': {'name': 'k1'}},
                token=OWNER))
    group = ok(api.post('/v2.1/os-server-groups', token=OWNER, json={
        'server_group': {'name': 'g', 'policies': ['affinity']}}))
    aggregate = ok(api.post('/v2.1/os-aggregates', json={
        'aggregate': {'name': 'agg'}}))
    yield api, {
        'server_id': server_id, 'flavor_id': '1', 'private_flavor_id': 'priv',
        'tag': 'a', 'keypair_name': 'k1', 'class_id': 'default',
        'tenant_id': 'p1', 'image_id': CIRROS, 'migration_id': '1',
        'request_id': actions[0]['request_id'],
        'server_group_id': group['server_group']['id'],
        'aggregate_id': str(aggregate['aggregate']['id']),
        'hypervisor_id': node.uuid, 'pattern': 'cmp1',
        'service_id': svc.uuid, 'volume_id': str(uuidlib.uuid4()),
        'snapshot_id': str(uuidlib.uuid4()),
        'unhosted_server_id': unhosted_id, 'network_label': 'private',
        'console_token': str(uuidlib.uuid4()), 'host_name': 'cmp2',
        'before_timestamp': '2012-07-01%2000:00:00'}
    cells.reset_cache()
    rpc.cleanup()


def _fill(value, ids: dict, key: str):
    """The row's path or body with the fixture's ids ({key} is the
    metadata key or the extra spec key, whichever the path holds)."""
    if isinstance(value, str):
        for name, real in ids.items():
            value = value.replace('{%s}' % name, real)
        return value.replace('{key}', key)
    if isinstance(value, dict):
        return {_fill(k, ids, key): _fill(v, ids, key)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids, key) for v in value]
    return value


def _call(api, row: Row, ids: dict, token: str):
    key = 'hw:cpu_policy' if 'os-extra_specs' in row.path else 'k'
    return api.request(row.method, '/v2.1' + _fill(row.path, ids, key),
                       json=_fill(row.body, ids, key), token=token,
                       version=row.version)


def _assert_forbidden(resp, rule: str) -> None:
    assert resp.status_int == 403, resp.text
    assert resp.json == {'forbidden': {
        'code': 403,
        'message': "Policy doesn't allow %s to be performed." % rule}}


def _check_other(api, values: dict, row: Row) -> None:
    resp = _call(api, row, values, OTHER)
    if row.other == 403 and row.rule:
        _assert_forbidden(resp, row.rule)
    else:
        assert resp.status_int == row.other, resp.text


def _check_owner(api, values: dict, row: Row) -> None:
    resp = _call(api, row, values, OWNER)
    if row.admin_only:
        _assert_forbidden(resp, row.rule)
    elif row.owner is not None:
        assert resp.status_int == row.owner, resp.text
    elif row.rule or row.other == 404:
        # Rules alice passes as the owner: not refused, not hidden.
        assert resp.status_int < 400 or resp.status_int == 409, resp.text
    else:
        assert resp.status_int == row.other, resp.text


def _check_admin(api, values: dict, row: Row) -> None:
    resp = _call(api, row, values, ADMIN)
    if row.admin is not None:
        assert resp.status_int == row.admin, resp.text
        return
    assert resp.status_int not in (401, 403) and resp.status_int < 500, (
        resp.text)


CHECKS = (_check_other, _check_owner, _check_admin)
# Reads change nothing: they share one set-up. A write gets a fresh one
# for each caller.
READS = [row for row in TABLE if row.method == 'GET']
WRITES = [row for row in TABLE if row.method != 'GET']


def test_every_read_for_each_caller(ids):
    api, values = ids
    failures = []
    for row in READS:
        for check in CHECKS:
            try:
                check(api, values, row)
            except AssertionError as exc:
                failures.append('%s %r: %s' % (check.__name__, row, exc))
    assert not failures, '\n'.join(failures)


@pytest.mark.parametrize('check', CHECKS, ids=lambda c: c.__name__[7:])
@pytest.mark.parametrize('row', WRITES, ids=repr)
def test_each_write_for_each_caller(ids, row, check):
    api, values = ids
    check(api, values, row)
