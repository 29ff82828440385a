"""nova.placement_client against a real placement under uWSGI (SQLite):
providers, inventories and traits with their generations, errors, and
both the token and the keystoneauth way in."""

import uuid as uuidlib

from oslo_config import cfg
import pytest
import requests

from nova.conf import placement as placement_conf
from nova import placement_client
from tests.integration.conftest import free_port

ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement 1.39'}


def _conf(tmp_path, **values) -> cfg.ConfigOpts:
    """A ConfigOpts of its own with [placement] from a file, as a service
    reads it."""
    conf = cfg.ConfigOpts()
    placement_conf.register_opts(conf)
    path = tmp_path / 'nova.conf'
    path.write_text('[placement]\n' + ''.join(
        '%s = %s\n' % kv for kv in values.items()))
    conf(['--config-file', str(path)], project='nova',
         default_config_files=[])
    return conf


class _Recorder:
    """(method, path, status) of every request the client's session
    sent."""

    def __init__(self, client: placement_client.PlacementClient) -> None:
        self.calls = []
        session = client._get_session()
        session.hooks['response'].append(self._record)

    def _record(self, response, *args, **kwargs):
        self.calls.append((response.request.method,
                           response.request.path_url, response.status_code))

    def methods(self) -> list:
        return [call[0] for call in self.calls]

    def statuses(self) -> list:
        return [call[2] for call in self.calls]


@pytest.fixture
def client(placement_server, tmp_path):
    return placement_client.PlacementClient(_conf(
        tmp_path, endpoint_override=placement_server.url, token='admin'))


def _get(server, path):
    resp = requests.get(server.url + path, headers=ADMIN, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _inv(total, **extra):
    return {'total': total, 'reserved': 0, 'min_unit': 1, 'max_unit': total,
            'step_size': 1, 'allocation_ratio': 1.0, **extra}


def _new_rp(client, name=None):
    uuid = str(uuidlib.uuid4())
    client.ensure_resource_provider(uuid, name or 'rp-' + uuid)
    return uuid


def test_ensure_creates_once(client, placement_server):
    uuid = str(uuidlib.uuid4())
    calls = _Recorder(client)
    made = client.ensure_resource_provider(uuid, 'node-' + uuid)
    assert (made['uuid'], made['name'], made['generation']) == (
        uuid, 'node-' + uuid, 0)
    assert calls.methods() == ['GET', 'POST']
    again = client.ensure_resource_provider(uuid, 'node-' + uuid)
    assert again['uuid'] == uuid and calls.methods()[2:] == ['GET']
    shown = _get(placement_server, '/resource_providers/' + uuid)
    assert shown['name'] == 'node-' + uuid

    child = str(uuidlib.uuid4())
    client.ensure_resource_provider(child, 'child-' + child, uuid)
    shown = _get(placement_server, '/resource_providers/' + child)
    assert shown['parent_provider_uuid'] == uuid


def test_ensure_name_taken(client):
    uuid = _new_rp(client)
    with pytest.raises(placement_client.PlacementError) as err:
        client.ensure_resource_provider(str(uuidlib.uuid4()), 'rp-' + uuid)
    assert (err.value.status, err.value.code) == (
        409, 'placement.duplicate_name')
    assert err.value.message


def test_ensure_created_by_someone_else_meanwhile(client, placement_server):
    """A POST that loses the race (the uuid exists by then) takes the
    provider the other writer created."""
    uuid = str(uuidlib.uuid4())
    original = client.request

    def racing(method, path, json=None, **kw):
        if method == 'POST':
            requests.post(placement_server.url + '/resource_providers',
                          json=json, headers=ADMIN, timeout=30)
        return original(method, path, json=json, **kw)

    client.request = racing
    made = client.ensure_resource_provider(uuid, 'rp-' + uuid)
    assert made['uuid'] == uuid


def test_inventory_written_only_when_changed(client, placement_server):
    uuid = _new_rp(client)
    calls = _Recorder(client)
    inventory = {'VCPU': _inv(8, allocation_ratio=16.0),
                 'MEMORY_MB': _inv(4096, reserved=512, allocation_ratio=1.5)}
    assert client.set_inventory(uuid, inventory) is True
    assert calls.methods() == ['GET', 'PUT']
    shown = _get(placement_server, '/resource_providers/%s/inventories'
                 % uuid)
    assert shown['inventories'] == inventory
    generation = shown['resource_provider_generation']

    assert client.set_inventory(uuid, inventory) is False
    assert calls.methods() == ['GET', 'PUT']
    inventory['VCPU'] = _inv(12, allocation_ratio=16.0)
    assert client.set_inventory(uuid, inventory) is True
    assert calls.methods()[2:] == ['PUT']
    shown = _get(placement_server, '/resource_providers/%s/inventories'
                 % uuid)
    assert shown['inventories']['VCPU']['total'] == 12
    assert shown['resource_provider_generation'] == generation + 1


def test_stale_generation_is_refreshed_and_retried(client, placement_server):
    uuid = _new_rp(client)
    client.set_inventory(uuid, {'VCPU': _inv(4)})
    # Someone else changes the provider: our cached generation is stale.
    gen = _get(placement_server, '/resource_providers/' + uuid)['generation']
    resp = requests.put(placement_server.url + '/resource_providers/%s/traits'
                        % uuid, headers=ADMIN, timeout=30,
                        json={'resource_provider_generation': gen,
                              'traits': ['HW_CPU_X86_AVX']})
    assert resp.status_code == 200, resp.text
    calls = _Recorder(client)
    assert client.set_inventory(uuid, {'VCPU': _inv(6)}) is True
    assert calls.methods() == ['PUT', 'GET', 'PUT']
    assert calls.statuses() == [409, 200, 200]
    shown = _get(placement_server, '/resource_providers/%s/inventories'
                 % uuid)
    assert shown['inventories']['VCPU']['total'] == 6


def test_traits(client, placement_server):
    uuid = _new_rp(client)
    calls = _Recorder(client)
    assert client.set_traits(uuid, ['COMPUTE_NET_ATTACH_INTERFACE',
                                     'HW_CPU_X86_SSE']) is True
    assert client.set_traits(uuid, ['HW_CPU_X86_SSE',
                                    'COMPUTE_NET_ATTACH_INTERFACE']) is False
    assert calls.methods() == ['GET', 'PUT']
    shown = _get(placement_server, '/resource_providers/%s/traits' % uuid)
    assert sorted(shown['traits']) == ['COMPUTE_NET_ATTACH_INTERFACE',
                                       'HW_CPU_X86_SSE']
    assert client.set_traits(uuid, []) is True
    assert _get(placement_server, '/resource_providers/%s/traits'
                % uuid)['traits'] == []


def test_errors_carry_placement_code(client):
    uuid = _new_rp(client)
    with pytest.raises(placement_client.PlacementError) as err:
        client.set_traits(uuid, ['CUSTOM_NOT_DEFINED_ANYWHERE'])
    assert err.value.status == 400 and 'CUSTOM_NOT_DEFINED' in str(err.value)
    with pytest.raises(placement_client.PlacementError) as err:
        client.set_inventory(str(uuidlib.uuid4()), {'VCPU': _inv(1)})
    assert err.value.status == 404
    assert err.value.code == 'placement.undefined_code'
    # The failed write is forgotten: a good one goes through afterwards.
    client.set_traits(uuid, ['HW_CPU_X86_SSE'])


def test_unreachable(tmp_path):
    client = placement_client.PlacementClient(_conf(
        tmp_path, endpoint_override='http://127.0.0.1:%d' % free_port()))
    with pytest.raises(placement_client.PlacementUnreachable) as err:
        client.ensure_resource_provider(str(uuidlib.uuid4()), 'x')
    assert err.value.status is None
    unset = placement_client.PlacementClient(_conf(tmp_path))
    with pytest.raises(placement_client.PlacementUnreachable,
                       match='endpoint_override'):
        unset.set_traits(str(uuidlib.uuid4()), [])


def test_wrong_token_is_refused(placement_server, tmp_path):
    client = placement_client.PlacementClient(_conf(
        tmp_path, endpoint_override=placement_server.url, token='demo'))
    with pytest.raises(placement_client.PlacementError) as err:
        client.ensure_resource_provider(str(uuidlib.uuid4()), 'x')
    assert err.value.status == 403


def test_keystoneauth_session(placement_server, tmp_path):
    """With a keystoneauth plugin configured, requests go through a
    keystoneauth session to the adapter's endpoint, with the plugin's
    token: `none` sends a placeholder, which noauth2 placement lets read
    its root but not the providers."""
    client = placement_client.PlacementClient(_conf(
        tmp_path, auth_type='none', endpoint_override=placement_server.url))
    root = client.request('GET', '/')
    assert root.status_code == 200 and root.json()['versions']
    with pytest.raises(placement_client.PlacementError) as err:
        client.ensure_resource_provider(str(uuidlib.uuid4()), 'x')
    assert err.value.status == 403
    assert type(client._get_session()).__module__.startswith('keystoneauth1')
