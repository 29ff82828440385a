"""The compute API's OpenAPI 3.1 description, generated from the route
table (nova.api.routes.ROUTES) and the very JSON schemas the handlers
validate request bodies (and 2.53's hypervisor query strings) with.

    nova-api-openapi [--version 2.53] [--output etc/nova/openapi.json]

The tables below say which schema a handler validates with at a given
microversion; tests/unit/nova/api/test_openapi.py fails when a handler that
validates a body is missing here or the shipped file is stale. The API
serves the document (at the newest microversion) as GET /v2.1/openapi.json,
behind the same authentication as every other route.
"""

import argparse
import copy
import functools
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

import webob

from nova.api import microversion
from nova.api.compute import aggregates
from nova.api.compute import common
from nova.api.compute import flavors
from nova.api.compute import hosts
from nova.api.compute import hypervisors
from nova.api.compute import images
from nova.api.compute import instance_actions
from nova.api.compute import keypairs
from nova.api.compute import limits
from nova.api.compute import migrations
from nova.api.compute import quota_classes
from nova.api.compute import quota_sets
from nova.api.compute import remote_consoles
from nova.api.compute import server_actions
from nova.api.compute import server_external_events
from nova.api.compute import server_groups
from nova.api.compute import server_metadata
from nova.api.compute import server_tags
from nova.api.compute import servers
from nova.api.compute import services
from nova.api.compute import simple_tenant_usage
from nova.api.compute import volume_attachments
from nova.api.compute import volumes
from nova.api.schemas import aggregates as aggregate_schema
from nova.api.schemas import flavors as flavor_schema
from nova.api.schemas import hosts as host_schema
from nova.api.schemas import hypervisors as hypervisor_schema
from nova.api.schemas import instance_actions as action_schema
from nova.api.schemas import keypairs as keypair_schema
from nova.api.schemas import quota_classes as quota_class_schema
from nova.api.schemas import quota_sets as quota_set_schema
from nova.api.schemas import remote_consoles as console_schema
from nova.api.schemas import server_external_events as event_schema
from nova.api.schemas import server_groups as group_schema
from nova.api.schemas import server_moves as move_schema
from nova.api.schemas import server_metadata as metadata_schema
from nova.api.schemas import server_tags as tag_schema
from nova.api.schemas import servers as server_schema
from nova.api.schemas import services as service_schema
from nova.api.schemas import volume_attachments as volume_attachment_schema
from nova.api.schemas import snapshots as snapshot_schema
from nova.api.schemas import volumes as volume_schema

Version = microversion.Version
SHIPPED = Path(__file__).resolve().parents[2] / 'etc' / 'nova' / 'openapi.json'


def _server_action(version: Version) -> dict:
    # One body per action, as server_actions.action validates each.
    bodies = []
    for name, (body_schema, _handler) in server_actions.ACTIONS.items():
        if callable(body_schema):
            body_schema = body_schema(version)
        bodies.append(body_schema or server_schema.no_arguments(name))
    return {'oneOf': bodies}


def _fixed(schema: dict) -> Callable[[Version], dict]:
    return lambda version: schema


# Handler -> the request body schema it validates with at a version.
# Mirrors each handler's own version branches.
BODIES: dict[Callable, Callable[[Version], dict]] = {
    aggregates.create: _fixed(aggregate_schema.create),
    aggregates.update: _fixed(aggregate_schema.update),
    aggregates.action: lambda v: {
        'oneOf': list(aggregate_schema.ACTIONS.values())},
    flavors.create: flavor_schema.create_schema,
    flavors.update: _fixed(flavor_schema.update),
    flavors.action: lambda v: {
        'oneOf': list(flavor_schema.ACCESS_ACTIONS.values())},
    flavors.create_extra_specs: _fixed(flavor_schema.extra_specs_create),
    flavors.update_extra_spec: _fixed(flavor_schema.extra_spec_update),
    keypairs.create: lambda v: (
        keypair_schema.create_v210 if v.matches((2, 10))
        else keypair_schema.create_v22 if v.matches((2, 2))
        else keypair_schema.create),
    quota_classes.update: lambda v: (
        quota_class_schema.update_v257 if v.matches((2, 57))
        else quota_class_schema.update_v250 if v.matches((2, 50))
        else quota_class_schema.update),
    quota_sets.update: lambda v: (
        quota_set_schema.update_v257 if v.matches((2, 57))
        else quota_set_schema.update_v236 if v.matches((2, 36))
        else quota_set_schema.update),
    server_actions.action: _server_action,
    migrations.server_action: _fixed(move_schema.force_complete),
    server_external_events.create: event_schema.create_schema,
    server_groups.create: group_schema.create_schema,
    server_metadata.create: _fixed(metadata_schema.create),
    server_metadata.update_all: _fixed(metadata_schema.update_all),
    server_metadata.update: _fixed(metadata_schema.update),
    server_tags.update_all: _fixed(tag_schema.update_all),
    servers.create: server_schema.create_schema,
    servers.update: server_schema.update_schema,
    services.update: lambda v: (
        service_schema.update_v253 if v.matches(services.UUID_IDS)
        else service_schema.update_v211 if v.matches(services.FORCE_DOWN)
        else service_schema.update),
    volume_attachments.create: volume_attachment_schema.create_schema,
    volume_attachments.update: lambda v: (
        volume_attachment_schema.update_schema()),
    volumes.create: _fixed(volume_schema.create),
    volumes.snapshot_create: _fixed(snapshot_schema.create),
    remote_consoles.create: lambda v: (
        console_schema.create_v28 if v.matches(remote_consoles.MKS)
        else console_schema.create_v26),
    hosts.update: _fixed(host_schema.update),
}

_TEXT = {'type': 'string'}
_INT = {'type': 'integer'}
_PAGE = {'limit': _INT, 'marker': _TEXT}
_SORT = {'sort_key': _TEXT, 'sort_dir': {'type': 'string',
                                         'enum': ['asc', 'desc']}}
_USAGE = dict(_PAGE, start=_TEXT, end=_TEXT, detailed=_TEXT)


def _hypervisor_query(version: Version, schema: dict) -> dict:
    return schema['properties'] if version.matches(
        hypervisors.UUID_IDS) else {}


# Handler -> {query parameter: schema} at a version: the common ones, not
# every filter (2.53's hypervisor queries come from their own schemas).
QUERIES: dict[Callable, Callable[[Version], dict]] = {
    flavors.index: _fixed(dict(_PAGE, **_SORT, is_public=_TEXT,
                               minRam=_TEXT, minDisk=_TEXT)),
    flavors.detail: _fixed(dict(_PAGE, **_SORT, is_public=_TEXT,
                                minRam=_TEXT, minDisk=_TEXT)),
    images.index: _fixed(dict(_PAGE)),
    images.detail: _fixed(dict(_PAGE)),
    keypairs.index: lambda v: dict(
        (_PAGE if v.matches((2, 35)) else {}),
        **({'user_id': _TEXT} if v.matches((2, 10)) else {})),
    keypairs.show: lambda v: {'user_id': _TEXT} if v.matches((2, 10)) else {},
    keypairs.delete: lambda v: (
        {'user_id': _TEXT} if v.matches((2, 10)) else {}),
    limits.index: _fixed({'tenant_id': _TEXT}),
    migrations.index: lambda v: dict(
        {'status': _TEXT, 'host': _TEXT, 'source_compute': _TEXT,
         'instance_uuid': _TEXT, 'migration_type': _TEXT},
        **(dict(_PAGE, **{'changes-since': _TEXT})
           if v.matches((2, 59)) else {}),
        **({'changes-before': _TEXT} if v.matches((2, 66)) else {})),
    quota_sets.show: _fixed({'user_id': _TEXT}),
    quota_sets.detail: _fixed({'user_id': _TEXT}),
    quota_sets.update: _fixed({'user_id': _TEXT}),
    quota_sets.delete: _fixed({'user_id': _TEXT}),
    server_groups.index: _fixed({'all_projects': _TEXT, 'limit': _INT,
                                 'offset': _INT}),
    servers.index: _fixed(dict(_PAGE, **_SORT, name=_TEXT, status=_TEXT,
                               all_tenants=_TEXT, tags=_TEXT)),
    servers.detail_list: _fixed(dict(_PAGE, **_SORT, name=_TEXT,
                                     status=_TEXT, all_tenants=_TEXT,
                                     tags=_TEXT)),
    services.index: _fixed({'host': _TEXT, 'binary': _TEXT}),
    simple_tenant_usage.index: _fixed(_USAGE),
    simple_tenant_usage.show: _fixed(_USAGE),
    hypervisors.index: lambda v: _hypervisor_query(
        v, hypervisor_schema.list_query_v253),
    hypervisors.detail: lambda v: _hypervisor_query(
        v, hypervisor_schema.list_query_v253),
    hypervisors.show: lambda v: _hypervisor_query(
        v, hypervisor_schema.show_query_v253),
    volume_attachments.index: _fixed({'limit': _INT, 'offset': _INT}),
    hosts.index: _fixed({'zone': _TEXT}),
    instance_actions.index: lambda v: (
        action_schema.list_query_v266['properties']
        if v.matches(instance_actions.CHANGES_BEFORE)
        else action_schema.list_query_v258['properties']
        if v.matches(instance_actions.PAGING) else {}),
}

# Handler -> (first, last) microversion it answers at, where not all.
RANGES: dict[Callable, tuple[str | None, str | None]] = {
    images.index: (None, '2.35'), images.detail: (None, '2.35'),
    flavors.update: ('2.55', None),
    images.show: (None, '2.35'), images.delete: (None, '2.35'),
    hypervisors.search: (None, '2.52'), hypervisors.servers: (None, '2.52'),
    migrations.server_index: ('2.23', None),
    migrations.server_show: ('2.23', None),
    migrations.server_action: ('2.22', None),
    migrations.server_abort: ('2.24', None),
    server_tags.index: ('2.26', None), server_tags.show: ('2.26', None),
    server_tags.update: ('2.26', None),
    server_tags.update_all: ('2.26', None),
    server_tags.delete: ('2.26', None),
    server_tags.delete_all: ('2.26', None),
    volumes.index: (None, '2.35'), volumes.detail: (None, '2.35'),
    volumes.show: (None, '2.35'), volumes.create: (None, '2.35'),
    volumes.delete: (None, '2.35'),
    volumes.snapshot_index: (None, '2.35'),
    volumes.snapshot_detail: (None, '2.35'),
    volumes.snapshot_show: (None, '2.35'),
    volumes.snapshot_create: (None, '2.35'),
    volumes.snapshot_delete: (None, '2.35'),
    remote_consoles.create: ('2.6', None),
    hosts.index: (None, '2.42'), hosts.show: (None, '2.42'),
    hosts.update: (None, '2.42'), hosts.startup: (None, '2.42'),
    hosts.shutdown: (None, '2.42'), hosts.reboot: (None, '2.42'),
}


def validates_body(handler: Callable, _seen: set | None = None) -> bool:
    """Whether the handler's code, or a private helper of its module it
    calls, reads a schema-checked body."""
    seen = _seen if _seen is not None else set()
    seen.add(handler)
    source = inspect.getsource(handler)
    if 'validation.body(' in source:
        return True
    module = sys.modules[handler.__module__]
    for name in set(re.findall(r'\b(_\w+)\(', source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper not in seen and (
                validates_body(helper, seen)):
            return True
    return False


def _openapi_schema(schema: Any) -> Any:
    """A Draft 4 schema as OpenAPI 3.1 (JSON Schema 2020-12) reads it: the
    boolean exclusiveMinimum/Maximum became numbers, a list of items
    prefixItems (and additionalItems items)."""
    if isinstance(schema, list):
        return [_openapi_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _openapi_schema(value) for key, value in schema.items()}
    for bound, exclusive in (('minimum', 'exclusiveMinimum'),
                             ('maximum', 'exclusiveMaximum')):
        if exclusive in out and isinstance(out[exclusive], bool):
            if out.pop(exclusive) and bound in out:
                out[exclusive] = out.pop(bound)
    if isinstance(out.get('items'), list):
        out['prefixItems'] = out.pop('items')
        if 'additionalItems' in out:
            out['items'] = out.pop('additionalItems')
    return out


# Path prefix -> the operationId prefix of its routes, where they reuse
# another resource's handlers (operationIds must be unique).
ALIASES = {'/os-volumes_boot': 'volumes_boot'}


def _operation_id(path: str, handler: Callable) -> str:
    prefix = next((name for start, name in ALIASES.items()
                   if path.startswith(start)),
                  handler.__module__.rsplit('.', 1)[-1])
    return '%s.%s' % (prefix, handler.__name__)


def _operation(path: str, handler: Callable, version: Version) -> dict:
    doc = inspect.getdoc(handler) or ''
    op: dict[str, Any] = {
        'operationId': _operation_id(path, handler),
        'tags': [handler.__module__.rsplit('.', 1)[-1]],
        'responses': {'default': {
            'description': 'The answer; errors are {"<fault name>": '
                           '{"code": <status>, "message": "..."}}.'}},
    }
    if doc:
        op['summary'] = doc.split('\n\n')[0].replace('\n', ' ')
    params = [{'name': name, 'in': 'path', 'required': True,
               'schema': {'type': 'string', 'minLength': 1}}
              for name in re.findall(r'{(\w+)}', path)]
    query = QUERIES.get(handler)
    for name, schema in sorted((query(version) if query else {}).items()):
        params.append({'name': name, 'in': 'query', 'required': False,
                       'schema': _openapi_schema(schema)})
    if params:
        op['parameters'] = params
    body = BODIES.get(handler)
    if body is not None:
        op['requestBody'] = {'required': True, 'content': {
            'application/json': {'schema': _openapi_schema(
                copy.deepcopy(body(version)))}}}
    first, last = RANGES.get(handler, (None, None))
    op['x-openstack-microversion'] = {
        'min': first or str(microversion.MIN_VERSION),
        'max': last or str(microversion.MAX_VERSION)}
    return op


def generate(version: Version = microversion.MAX_VERSION) -> dict:
    """The OpenAPI document of every route at `version`."""
    from nova.api import routes  # routes serves this module's show()
    paths = {}
    for path, methods in routes.ROUTES:
        paths[path] = {method.lower(): _operation(path, handler, version)
                       for method, handler in sorted(methods.items())}
    return {
        'openapi': '3.1.0',
        'info': {
            'title': 'OpenStack Compute API',
            'version': str(version),
            'description': (
                'The compute API at microversion %s (send '
                '"OpenStack-API-Version: compute %s"). Every path may '
                'also be given below the caller\'s project id.'
                % (version, version)),
        },
        'servers': [{'url': '/v2.1'}],
        'components': {'securitySchemes': {'token': {
            'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token'}}},
        'security': [{'token': []}],
        'paths': paths,
    }


def dumps(document: dict) -> str:
    """The text shipped as etc/nova/openapi.json."""
    return json.dumps(document, indent=2, sort_keys=True) + '\n'


@functools.cache
def _served() -> bytes:
    return dumps(generate()).encode('utf-8')


def show(req: webob.Request) -> webob.Response:
    """200 this API's OpenAPI document (at the newest microversion)."""
    resp = common.json_response(None)
    resp.body = _served()
    return resp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog='nova-api-openapi',
        description='Print the compute API\'s OpenAPI description.')
    parser.add_argument('--version', default=str(microversion.MAX_VERSION),
                        help='the microversion to describe')
    parser.add_argument('--output', '-o',
                        help='write to this file instead of stdout')
    args = parser.parse_args(argv)
    try:
        version = microversion.parse(args.version)
    except ValueError:
        parser.error('not a microversion: %s' % args.version)
    if not microversion.MIN_VERSION <= version <= microversion.MAX_VERSION:
        parser.error('%s is not between %s and %s' % (
            version, microversion.MIN_VERSION, microversion.MAX_VERSION))
    text = dumps(generate(version))
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
