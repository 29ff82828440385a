"""The generated OpenAPI description: complete, true to the schemas the
handlers validate with, and the shipped etc/nova/openapi.json up to date."""

import json

import jsonschema
import pytest

from nova.api import microversion
from nova.api import openapi
from nova.api import routes
from nova.api.schemas import flavors as flavor_schema
from nova.api.schemas import server_groups as group_schema
from nova.api.schemas import servers as server_schema

V253 = microversion.Version(2, 53)


@pytest.fixture(scope='module')
def document():
    return openapi.generate()


def _handlers():
    return [(path, method, handler) for path, methods in routes.ROUTES
            for method, handler in methods.items()]


def test_shipped_file_is_the_generated_one(document):
    # Regenerate with: nova-api-openapi -o etc/nova/openapi.json
    assert openapi.SHIPPED.read_text() == openapi.dumps(document)


def test_every_route_and_method_is_described(document):
    described = {(path, method.upper())
                 for path, ops in document['paths'].items() for method in ops}
    assert described == {(p, m) for p, m, _h in _handlers()}
    ids = [op['operationId'] for ops in document['paths'].values()
           for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_the_document_is_valid_openapi_31(document):
    # The meta-schema schemathesis ships (it loads the document as well).
    schemathesis = pytest.importorskip('schemathesis')
    schema = schemathesis.openapi.from_dict(json.loads(
        openapi.dumps(document)))
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) == len(_handlers())


def test_exactly_the_handlers_that_validate_bodies_have_one(document):
    for path, method, handler in _handlers():
        op = document['paths'][path][method.lower()]
        assert ('requestBody' in op) == openapi.validates_body(handler), (
            '%s %s: BODIES in nova/api/openapi.py is out of step with %s'
            % (method, path, handler.__qualname__))


def test_tables_name_only_routed_handlers():
    routed = {h for _p, _m, h in _handlers()}
    for table in (openapi.BODIES, openapi.QUERIES, openapi.RANGES):
        assert set(table) <= routed


def test_body_schema_is_the_validating_one(document):
    body = document['paths']['/servers']['post']['requestBody']
    schema = body['content']['application/json']['schema']
    assert schema == server_schema.create_schema(microversion.MAX_VERSION)
    # At 2.1 neither description nor tags exist.
    old = openapi.generate(microversion.Version(2, 1))
    props = old['paths']['/servers']['post']['requestBody']['content'][
        'application/json']['schema']['properties']['server']['properties']
    assert 'tags' not in props and 'description' not in props


def test_draft4_exclusive_bounds_become_numbers(document):
    schema = document['paths']['/flavors']['post']['requestBody'][
        'content']['application/json']['schema']
    rxtx = schema['properties']['flavor']['properties']['rxtx_factor']
    assert rxtx['exclusiveMinimum'] == 0 and 'minimum' not in rxtx
    # Same verdicts as the Draft 4 original the API validates with.
    original = flavor_schema.create['properties']['flavor']['properties'][
        'rxtx_factor']
    checker = jsonschema.Draft202012Validator(rxtx)
    for value in (0, 0.5, 1):
        assert checker.is_valid(value) == jsonschema.Draft4Validator(
            original).is_valid(value)


def test_query_parameters_and_microversion_ranges(document):
    hyper = document['paths']['/os-hypervisors']['get']
    assert {p['name'] for p in hyper['parameters']} == {
        'limit', 'marker', 'hypervisor_hostname_pattern', 'with_servers'}
    images = document['paths']['/images']['get']
    assert images['x-openstack-microversion'] == {'min': '2.1',
                                                  'max': '2.35'}
    tags = document['paths']['/servers/{server_id}/tags']['get']
    assert tags['x-openstack-microversion']['min'] == '2.26'
    show = document['paths']['/servers/{server_id}']['get']
    assert show['parameters'] == [{'name': 'server_id', 'in': 'path',
                                   'required': True, 'schema': {
                                       'type': 'string', 'minLength': 1}}]
    assert 'requestBody' not in show


def test_console_script_writes_a_version(tmp_path, capsys):
    out = tmp_path / 'api.json'
    assert openapi.main(['--version', '2.1', '-o', str(out)]) == 0
    assert json.loads(out.read_text())['info']['version'] == '2.1'
    with pytest.raises(SystemExit) as exit_:
        openapi.main(['--version', '2.99'])
    assert exit_.value.code == 2
    assert '2.99 is not between 2.1 and 2.69' in capsys.readouterr().err


def test_validates_body_reads_the_handler_source():
    from nova.api.compute import flavors
    assert openapi.validates_body(flavors.create)
    assert not openapi.validates_body(flavors.index)


def test_draft4_item_lists_become_prefix_items(document):
    schema = document['paths']['/os-server-groups']['post']['requestBody'][
        'content']['application/json']['schema']
    policies = schema['properties']['server_group']['properties'][
        'policies']
    original = group_schema.create_schema(V253)['properties'][
        'server_group']['properties']['policies']
    assert policies['prefixItems'] == original['items']
    assert policies['items'] is False
    checker = jsonschema.Draft202012Validator(policies)
    assert checker.is_valid(['affinity'])
    assert not checker.is_valid(['affinity', 'anti-affinity'])
    assert not checker.is_valid(['other'])
