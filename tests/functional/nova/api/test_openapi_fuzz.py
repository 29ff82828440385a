"""Schema-driven fuzzing (schemathesis) of every operation in the
generated OpenAPI document, against the in-process paste pipeline as the
admin at 2.53, with flavors, two mapped cells and a compute host so that
reads do real work: no request may answer 5xx.

SQLite only (the handlers, not the backends, are under test), a few
examples per operation: about a minute on two cores.
"""

import json
import shutil

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from nova.api import openapi
from tests.functional.nova.api import admin_hosts
from tests.functional.nova.api.conftest import flavor_body
from tests.functional.nova.conftest import map_cells

HEADERS = {'X-Auth-Token': 'admin',
           'OpenStack-API-Version': 'compute 2.53'}
# Positive and negative cases; no stateful or coverage phases, which
# multiply the requests per operation.
CONFIG = SchemathesisConfig.from_dict({
    'generation': {'max-examples': 10, 'mode': 'all', 'database': 'none',
                   'deterministic': True},
    'phases': {'coverage': {'enabled': False},
               'stateful': {'enabled': False}},
})
SCHEMA = schemathesis.openapi.from_dict(
    json.loads(openapi.SHIPPED.read_text()), config=CONFIG)


@pytest.fixture(scope='module')
def cloud(nova_api_url, nova_cell_url, sqlite_cell_template,
          tmp_path_factory):
    """One arranged API for the whole module (per-test setup would cost
    more than the fuzzing)."""
    from nova.api import direct
    from nova import availability_zones
    from nova import cells
    from nova.conf import CONF
    from nova.db import engines
    from nova import policy
    from nova import rpc
    from tests import databases
    from nova.db.api import tables as api_tables
    from nova.db.main import tables as main_tables
    engines.reset_for_tests()
    engines.configure(api_connection=nova_api_url)
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    CONF.set_override('transport_url', 'fake://')
    policy.reset()
    client = direct.ComputeDirect(CONF, token='admin', version='2.53')
    for name, flavorid, ram in (('m1.tiny', '1', 512),
                                ('m1.small', '2', 2048)):
        resp = client.post('/v2.1/flavors', json=flavor_body(
            name, flavorid, ram=ram, vcpus=1, disk=1))
        assert resp.status_int == 200, resp.text
    cell2 = tmp_path_factory.mktemp('fuzz') / 'cell2.db'
    shutil.copyfile(sqlite_cell_template, cell2)
    hosts = admin_hosts.Hosts(map_cells(
        {'cell1': nova_cell_url, 'cell2': 'sqlite:///%s' % cell2}))
    hosts.compute('cell1', 'cmp1')
    hosts.compute('cell2', 'cmp2')
    resp = client.post('/v2.1/servers', json={'server': {
        'name': 'vm', 'flavorRef': '1', 'networks': 'none',
        'imageRef': '155d900f-4e14-4e4c-a73d-069cbf4541e6'}})
    assert resp.status_int == 202, resp.text
    yield client
    cells.reset_cache()
    availability_zones.reset_cache()
    rpc.cleanup()
    policy.reset()
    CONF.reset()
    CONF.clear_override('transport_url')
    CONF.clear_override('auth_strategy', group='api')
    engines.reset_for_tests()
    databases.empty(nova_api_url, api_tables.metadata)
    databases.empty(nova_cell_url, main_tables.metadata)


@SCHEMA.parametrize()
def test_no_server_errors(case, cloud):
    resp = case.call(app=cloud.app, headers=HEADERS)
    assert resp.status_code < 500, (
        '%s %s answered %d: %s\nbody: %r\nquery: %r' % (
            case.method, case.formatted_path, resp.status_code,
            resp.text[:500], case.body, case.query))


def test_the_api_serves_the_document(cloud):
    resp = cloud.get('/v2.1/openapi.json')
    assert resp.status_int == 200
    assert resp.content_type == 'application/json'
    assert resp.text == openapi.SHIPPED.read_text()
    # Behind authentication, like every route below /v2.1 (noauth2 answers
    # a request without a token with its 204 handshake).
    resp = cloud.get('/v2.1/openapi.json', token='')
    assert resp.status_int == 204 and not resp.body
