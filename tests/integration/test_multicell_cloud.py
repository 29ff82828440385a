"""The cloud as a multi-node job starts it, every service its own process:
placement and nova-api under uWSGI, the super conductor and the scheduler
on the API level's RabbitMQ vhost, and cells with their own database,
vhost, conductor and two computes; the cell services have no API database.

Network namespaces for each cell's computes are not used: the databases,
RabbitMQ and placement listen on 127.0.0.1 only, which a namespace's own
loopback cannot reach without re-binding them or NAT.
"""

import pytest
import requests
import sqlalchemy as sa

from tests import nova_services
from tests.integration import multicell

CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
ADMIN = {'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'compute 2.53'}
# The keys GET /servers sorts by (nova.api.compute.servers.SORT_KEYS).
SORT_KEYS = ('access_ip_v4', 'access_ip_v6', 'availability_zone',
             'config_drive', 'created_at', 'display_description',
             'display_name', 'host', 'hostname', 'image_ref',
             'instance_type_id', 'key_name', 'launch_index', 'launched_at',
             'locked_by', 'node', 'power_state', 'progress', 'project_id',
             'root_device_name', 'task_state', 'terminated_at',
             'updated_at', 'user_id', 'uuid', 'vm_state')


class Api:
    def __init__(self, url: str) -> None:
        self.url = url + '/v2.1'

    def call(self, method: str, path: str, json=None,
             status: int | tuple = 200) -> requests.Response:
        resp = requests.request(method, self.url + path, json=json,
                                headers=ADMIN, timeout=60)
        wanted = status if isinstance(status, tuple) else (status,)
        assert resp.status_code in wanted, (method, path, resp.status_code,
                                            resp.text)
        return resp

    def server(self, uuid: str) -> dict | None:
        resp = self.call('GET', '/servers/' + uuid, status=(200, 404))
        return resp.json()['server'] if resp.status_code == 200 else None

    def wait(self, uuid: str, status: str | None,
             timeout: float = 90) -> dict | None:
        """The server once its status is `status` with no task (None:
        once it is gone)."""
        def ready():
            server = self.server(uuid)
            if status is None:
                return server is None
            if server and server['status'] == 'ERROR' != status:
                pytest.fail('server %s in ERROR: %s' % (uuid, server))
            return (server and server['status'] == status
                    and server['OS-EXT-STS:task_state'] is None and server)
        return nova_services.wait_for(ready, timeout, interval=0.3,
                                      what='server %s %s' % (uuid, status))

    def boot(self, name: str, zone: str | None = None,
             flavor: str = '1') -> str:
        body = {'name': name, 'flavorRef': flavor, 'imageRef': CIRROS,
                'networks': 'none'}
        if zone:
            body['availability_zone'] = zone
        resp = self.call('POST', '/servers', {'server': body}, status=202)
        return resp.json()['server']['id']

    def act(self, uuid: str, body: dict, status: int = 202) -> None:
        self.call('POST', '/servers/%s/action' % uuid, body, status=status)


def _cloud(dep: dict) -> Api:
    multicell.build_cells(dep)
    multicell.start_control_plane(dep)
    for name in dep['cells']:
        multicell.start_cell_services(dep, name)
    for name in dep['cells']:
        multicell.wait_for_services(dep, name)
    out = multicell.discover_hosts(dep)
    for name in dep['cells']:
        assert name + '-compute1' in out and name + '-compute2' in out
    api = Api(multicell.start_api(dep))
    for name, flavorid, ram, vcpus in (('m1.tiny', '1', 512, 1),
                                       ('m1.small', '2', 1024, 2)):
        api.call('POST', '/flavors', {'flavor': {
            'name': name, 'id': flavorid, 'ram': ram, 'vcpus': vcpus,
            'disk': 1}})
    return api


def _placement_used(dep: dict) -> dict:
    """{provider name: {class: used}} of every provider in placement."""
    headers = {'X-Auth-Token': 'admin',
               'OpenStack-API-Version': 'placement 1.9'}
    url = dep['placement']
    providers = requests.get(url + '/resource_providers', headers=headers,
                             timeout=30).json()['resource_providers']
    return {rp['name']: requests.get(
        '%s/resource_providers/%s/usages' % (url, rp['uuid']),
        headers=headers, timeout=30).json()['usages'] for rp in providers}


def _nothing_used(dep: dict) -> bool:
    used = _placement_used(dep)
    return used and all(not any(u.values()) for u in used.values())


def _logs_of_cell_services(dep: dict) -> dict:
    return {path.stem: path.read_text(errors='replace')
            for path in dep['tmp'].glob('cell*-compute*.log')} | {
        path.stem: path.read_text(errors='replace')
        for path in dep['tmp'].glob('cell*-conductor.log')}


def test_cell_services_need_no_api_database(tmp_path):
    with multicell.deploy(tmp_path, {'cell1': 'sqlite'}) as dep:
        api = _cloud(dep)
        uuid = api.boot('vm')
        server = api.wait(uuid, 'ACTIVE')
        assert server['OS-EXT-SRV-ATTR:host'].startswith('cell1-compute')
        api.act(uuid, {'os-stop': None})
        api.wait(uuid, 'SHUTOFF')
        api.act(uuid, {'os-start': None})
        api.wait(uuid, 'ACTIVE')
        api.act(uuid, {'reboot': {'type': 'HARD'}})
        api.wait(uuid, 'ACTIVE')
        api.call('DELETE', '/servers/' + uuid, status=204)
        api.wait(uuid, None)
        nova_services.wait_for(lambda: _nothing_used(dep), 30,
                               what='placement usages back to zero')
        logs = _logs_of_cell_services(dep)
        assert len(logs) == 3
        for host, text in logs.items():
            assert '[api_database]' not in (
                tmp_path / (host + '.conf')).read_text()
            assert 'has no API database' in text, host
            # nova.db.engines logs each database it opens.
            assert not [line for line in text.splitlines()
                        if 'nova.db.engines' in line
                        and 'API database' in line], host
            assert 'Traceback' not in text, (host, text[-3000:])


def _instances(dep: dict) -> list[dict]:
    """Every live instance row of every cell, as the databases hold it."""
    from nova.db import engines
    from nova.db.main import tables
    rows = []
    for cell in dep['cells'].values():
        with engines.cell_reader(cell['db']) as conn:
            rows += [dict(r._mapping) for r in conn.execute(
                sa.select(tables.instances).where(
                    tables.instances.c.deleted == 0))]
    return rows


def _reference(rows: list[dict], key: str, direction: str) -> list[str]:
    """The order the API promises: by `key`, NULL first ascending (last
    descending), then by uuid in the same direction."""
    def value(row):
        v = row[key]
        return (v is not None, v if v is not None else 0, row['uuid'])
    return [r['uuid'] for r in sorted(rows, key=value,
                                      reverse=direction == 'desc')]


def _paged(api: Api, key: str, direction: str, limit: int) -> list[str]:
    uuids, marker = [], None
    while True:
        query = '?all_tenants=1&sort_key=%s&sort_dir=%s&limit=%d' % (
            key, direction, limit)
        if marker:
            query += '&marker=' + marker
        body = api.call('GET', '/servers' + query).json()
        uuids += [s['id'] for s in body['servers']]
        if 'servers_links' not in body:
            return uuids
        marker = body['servers'][-1]['id']


def test_two_cells_boot_list_move_delete(tmp_path):
    cells = {'cell1': 'mysql', 'cell2': 'postgresql'}
    with multicell.deploy(tmp_path, cells) as dep:
        api = _cloud(dep)
        uuids = []
        for name in cells:
            for n in (1, 2):
                uuids.append(api.boot('%s-vm%d' % (name, n),
                                      zone='nova:%s-compute%d' % (name, n)))
        uuids += [api.boot('free-vm%d' % n) for n in range(3)]
        hosts = {}
        for uuid in uuids:
            server = api.wait(uuid, 'ACTIVE')
            hosts[uuid] = server['OS-EXT-SRV-ATTR:host']
        for name in cells:
            assert '%s-compute1' % name in hosts.values()
        # A name, a description and an address that differ per server,
        # all lowercase ASCII: every backend's collation agrees on them.
        for i, uuid in enumerate(uuids):
            api.call('PUT', '/servers/' + uuid, {'server': {
                'description': 'd%02d' % ((i * 7) % len(uuids)),
                'accessIPv4': '10.0.0.%d' % (i % 3)}})

        rows = _instances(dep)
        assert {r['uuid'] for r in rows} == set(uuids)
        for key in SORT_KEYS:
            for direction in ('asc', 'desc'):
                expected = _reference(rows, key, direction)
                assert _paged(api, key, direction, 3) == expected, (
                    key, direction)

        # Resize within cell1, cold migrate within cell2.
        cell1_vm, cell2_vm = uuids[0], uuids[2]
        api.act(cell1_vm, {'resize': {'flavorRef': '2'}})
        server = api.wait(cell1_vm, 'VERIFY_RESIZE')
        assert server['OS-EXT-SRV-ATTR:host'].startswith('cell1-')
        api.act(cell1_vm, {'confirmResize': None}, status=204)
        server = api.wait(cell1_vm, 'ACTIVE')
        assert server['flavor']['original_name'] == 'm1.small'
        api.act(cell2_vm, {'migrate': None})
        server = api.wait(cell2_vm, 'VERIFY_RESIZE')
        assert server['OS-EXT-SRV-ATTR:host'] == 'cell2-compute2'
        api.act(cell2_vm, {'confirmResize': None}, status=204)
        api.wait(cell2_vm, 'ACTIVE')

        for uuid in uuids:
            api.call('DELETE', '/servers/' + uuid, status=204)
        for uuid in uuids:
            api.wait(uuid, None)
        assert api.call('GET', '/servers?all_tenants=1').json()[
            'servers'] == []
        nova_services.wait_for(lambda: _nothing_used(dep), 60,
                               what='placement usages back to zero')
        for host, text in _logs_of_cell_services(dep).items():
            assert 'has no API database' in text, host
