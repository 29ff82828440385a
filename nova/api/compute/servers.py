"""/servers: create, list, show, update and delete servers.

A server the API accepted but no cell has yet (a build request) is listed,
shown (status BUILD) and deleted like any other. Another project's server
is 404 to a non-admin, as if it did not exist.
"""

import ipaddress
import re
import secrets
from typing import Any

from oslo_utils import strutils
from oslo_utils import timeutils
import webob

from nova.api.compute import common
from nova.api.compute import server_views as views
from nova.api.compute import server_views_down as views_down
from nova.api import fault
from nova.api.schemas import servers as schema
from nova.api import validation
from nova.compute import api as compute_api
from nova.compute import block_devices
from nova.compute import create as compute_create
from nova.compute import down_cells
from nova.compute.down_cells import PartialServer
from nova.compute import instance_list
from nova.conf import CONF
from nova import exception
from nova.objects.instance import Instance
from nova import policy
from nova.policies import servers as rules


# Sort keys upstream accepts; non-admins may not sort by where a server
# runs.
SORT_KEYS = ('access_ip_v4', 'access_ip_v6', 'availability_zone',
             'config_drive', 'created_at', 'display_description',
             'display_name', 'host', 'hostname', 'image_ref',
             'instance_type_id', 'key_name', 'launch_index', 'launched_at',
             'locked_by', 'node', 'power_state', 'progress', 'project_id',
             'root_device_name', 'task_state', 'terminated_at',
             'updated_at', 'user_id', 'uuid', 'vm_state')
_ADMIN_SORT_KEYS = ('host', 'node')
# Query parameters a non-admin may filter by (others are ignored).
_USER_FILTERS = ('reservation_id', 'name', 'status', 'image', 'flavor',
                 'ip', 'changes-since', 'all_tenants')
_TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
# From this version a server of a cell that does not answer is shown as
# a partial record (status UNKNOWN) rather than left out or a 503.
PARTIAL_RECORDS = (2, 69)


def _host_statuses(req: webob.Request,
                   instances: list[Instance]) -> dict[str, str] | None:
    if not common.version(req).matches((2, 16)):
        return None
    ctx = common.context(req)
    try:
        policy.authorize(ctx, rules.SHOW_HOST_STATUS)
    except exception.PolicyNotAuthorized:
        return None
    return compute_api.host_statuses(
        ctx, {i.host for i in instances if i.host})


# -- listing


def _bool(name: str, value: str) -> bool:
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise fault.bad_request('Invalid value for %s: %s' % (name, value))


def _time_filter(name: str, value: str) -> Any:
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise fault.bad_request('Invalid filter field: %s.' % name)


def _filters(req: webob.Request) -> dict:
    """The list_instances filters of the query (non-admins' limited to
    what upstream lets them use)."""
    ctx, version = common.context(req), common.version(req)
    allowed = set(_USER_FILTERS)
    if version.matches((2, 5)):
        allowed.add('ip6')
    if version.matches((2, 26)):
        allowed.update(_TAG_FILTERS)
    if version.matches((2, 66)):
        allowed.add('changes-before')
    query: dict[str, list[str]] = {}
    for key, value in req.GET.items():
        if key in ('limit', 'marker', 'sort_key', 'sort_dir'):
            continue
        if key == 'changes-before' and key not in allowed:
            # Unknown before 2.66: ignored, even for admins.
            continue
        if not ctx.is_admin and key not in allowed:
            continue
        query.setdefault(key, []).append(value)
    filters: dict[str, Any] = {}
    all_tenants = 'all_tenants' in query and (
        query['all_tenants'][-1] == '' or
        _bool('all_tenants', query['all_tenants'][-1]))
    query.pop('all_tenants', None)
    if all_tenants:
        policy.authorize(ctx, rules.DETAIL_ALL_TENANTS
                         if req.path_info.endswith('/detail')
                         else rules.INDEX_ALL_TENANTS)
        if 'project_id' in query or 'tenant_id' in query:
            filters['project_id'] = (query.pop('project_id', None) or
                                     query.pop('tenant_id'))[-1]
    else:
        query.pop('project_id', None)
        query.pop('tenant_id', None)
        filters['project_id'] = ctx.project_id
    if 'status' in query:
        vm_states, task_states = views.states_of(query.pop('status'))
        if not vm_states:
            if version.matches((2, 38)):
                raise fault.bad_request('Invalid status value')
            return {'_empty': True}
        filters['vm_state'] = vm_states
        if 'default' not in task_states:
            filters['task_state'] = task_states
    for key in ('changes-since', 'changes-before'):
        if key in query:
            filters[key] = _time_filter(key, query.pop(key)[-1])
    if filters.get('changes-since') and filters.get('changes-before') and (
            filters['changes-since'] > filters['changes-before']):
        raise fault.bad_request('The value of changes-since must be less '
                                'than or equal to changes-before.')
    deleted = query.pop('deleted', None)
    if deleted is not None:
        filters['deleted'] = _bool('deleted', deleted[-1])
    else:
        # changes-since and changes-before also find what was deleted.
        filters['deleted'] = None if (
            'changes-since' in filters or 'changes-before' in filters
        ) else False
    if 'locked' in query:
        filters['locked'] = _bool('locked', query.pop('locked')[-1])
    for key in _TAG_FILTERS:
        if key in query:
            filters[key] = [t for t in query.pop(key)[-1].split(',') if t]
    for key, values in query.items():
        if key in ('uuid',):
            filters[key] = values
        else:
            filters[key] = values[-1]
    if 'name' in filters:
        try:
            re.compile(filters['name'])
        except re.error:
            raise fault.bad_request('Invalid filter field: name.')
    return filters


def _sort(req: webob.Request) -> tuple[list[str], list[str]]:
    ctx = common.context(req)
    keys = req.GET.getall('sort_key')
    dirs = req.GET.getall('sort_dir')
    for key in keys:
        if key not in SORT_KEYS:
            raise fault.bad_request(
                "Invalid input for query parameters sort_key. Value: %s."
                % key)
    for direction in dirs:
        if direction not in ('asc', 'desc'):
            raise fault.bad_request(
                "Invalid input for query parameters sort_dir. Value: %s."
                % direction)
    if not ctx.is_admin:
        keys = [k for k in keys if k not in _ADMIN_SORT_KEYS]
    if dirs and len(dirs) > len(keys) and keys:
        raise fault.bad_request('Sort key and direction lists differ in '
                                'length')
    return keys, dirs


def _list(req: webob.Request, collection: str, rule: str,
          view, partial_view) -> webob.Response:
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    filters = _filters(req)
    keys, dirs = _sort(req)
    limit = common.limit_param(req, CONF.api.max_limit)
    marker = req.GET.get('marker')
    found: list[Any] = []
    if not filters.pop('_empty', False):
        try:
            if common.version(req).matches(PARTIAL_RECORDS):
                found = down_cells.list_servers(ctx, filters, keys, dirs,
                                                limit, marker)
            else:
                found = instance_list.list_servers(ctx, filters, keys,
                                                   dirs, limit, marker)
        except exception.MarkerNotFound:
            raise fault.bad_request('marker [%s] not found' % marker)
    partial = [p for p in found if isinstance(p, PartialServer)]
    full = [i for i in found if not isinstance(i, PartialServer)]
    body: dict[str, Any] = {'servers': [partial_view(req, p)
                                        for p in partial] + view(req, full)}
    if limit and len(found) == limit:
        body['servers_links'] = common.next_link(req, collection,
                                                 found[-1].uuid)
    return common.json_response(body)


def index(req: webob.Request) -> webob.Response:
    """200: id, name and links of the servers. Query: upstream's filters
    (non-admins: reservation_id, name, status, image, flavor, ip,
    changes-since, ip6 2.5+, tags* 2.26+, changes-before 2.66+; others
    ignored), all_tenants (admins), sort_key/sort_dir (repeatable),
    limit, marker. 400 on a bad value, an unknown marker, (2.38+) status
    or changes-since later than changes-before; 403 all_tenants for a
    non-admin. 2.69+: the servers of a cell that does not answer come
    first, as {id, status UNKNOWN, links}; before, they are left out (a
    500 if [api] list_records_by_skipping_down_cells is False)."""
    return _list(req, 'servers', rules.INDEX,
                 lambda r, found: [views.basic(r, i) for i in found],
                 views_down.basic)


def detail_list(req: webob.Request) -> webob.Response:
    """200: as index, each server in full (2.69+, a server of a cell that
    does not answer: id, status UNKNOWN, tenant_id, created, links)."""
    def view(r, found):
        statuses = _host_statuses(r, found)
        return [views.detail(r, i, statuses) for i in found]
    return _list(req, 'servers/detail', rules.DETAIL, view,
                 views_down.detail)


def show(req: webob.Request, server_id: str) -> webob.Response:
    """200 with the server; 404 if there is none the caller may see. Its
    cell not answering: 503 before 2.69; from 2.69 a 200 with the partial
    record of the API database (status UNKNOWN)."""
    ctx = common.context(req)
    if common.version(req).matches(PARTIAL_RECORDS):
        found = down_cells.get(ctx, server_id)
        policy.authorize(ctx, rules.SHOW,
                         {'project_id': _owner(found).project_id,
                          'user_id': _owner(found).user_id})
        if isinstance(found, PartialServer):
            return common.json_response(
                {'server': views_down.detail(req, found)})
        server = found
    else:
        server = get_authorized(ctx, rules.SHOW, server_id)
    statuses = _host_statuses(req, [server.instance])
    return common.json_response(
        {'server': views.detail(req, server.instance, statuses)})


def _owner(found: compute_api.Server | PartialServer
           ) -> Instance | PartialServer:
    return found if isinstance(found, PartialServer) else found.instance


def get_authorized(ctx: Any, rule: str,
                   server_id: str) -> compute_api.Server:
    """The server `server_id` once policy `rule` lets the caller act on
    it: InstanceNotFound (404) if there is none the caller may see,
    PolicyNotAuthorized (403) if the rule refuses."""
    server = compute_api.get(ctx, server_id)
    policy.authorize(ctx, rule, {'project_id': server.instance.project_id,
                                 'user_id': server.instance.user_id})
    return server


def get_admin_authorized(ctx: Any, rule: str,
                         server_id: str) -> compute_api.Server:
    """As get_authorized, for an admin-only `rule`: it is checked before
    the lookup too, so others get its 403 and never a 404 (as
    upstream)."""
    policy.authorize(ctx, rule)
    return get_authorized(ctx, rule, server_id)


# -- create


def _networks(req: webob.Request, server: dict) -> Any:
    networks = server.get('networks')
    if isinstance(networks, list) and networks:
        # There is no network service yet to give these meaning.
        raise fault.bad_request(
            'Requested networks are not available: this cloud has no '
            'network service; use "none" or "auto".')
    return networks


def _availability_zone(ctx: Any, value: str | None
                       ) -> tuple[str | None, str | None, str | None]:
    """zone, forced host, forced node of "zone[:host[:node]]"."""
    if not value:
        return None, None, None
    zone, _sep, rest = value.partition(':')
    host, _sep, node = rest.partition(':')
    if host or node:
        policy.authorize(ctx, rules.CREATE_FORCED_HOST)
    return zone or None, host or None, node or None


def _security_groups(server: dict) -> list[str]:
    """The names of the requested security groups, each once (default if
    none is named)."""
    names = [g['name'] for g in server.get('security_groups') or []
             if g.get('name')]
    return sorted(set(names)) or ['default']


def auto_disk_config(body: dict) -> bool | None:
    """The OS-DCF:diskConfig of a create, update or rebuild body: AUTO
    True, MANUAL False, None if not given."""
    value = body.get('OS-DCF:diskConfig')
    return None if value is None else value == 'AUTO'


def access_ip(value: str | None) -> str | None:
    """An access address as upstream stores and shows it: normalised
    ('0000:0000:0000:0000:0000:babe:220.12.22.2' is '::babe:dc0c:1602');
    the schema has checked it is an address."""
    if not value:
        return value
    return str(ipaddress.ip_address(value))


def create(req: webob.Request) -> webob.Response:
    """202 {"server": {id, links, adminPass, OS-DCF:diskConfig,
    security_groups}}, or {"reservation_id"} with return_reservation_id;
    no adminPass if [api] enable_instance_password is off. 400 bad body,
    flavor, image, key name or security group, or trusted certificates
    (2.63) for a volume-backed server; 403 over quota (servers, cores,
    ram, metadata items, personality files until 2.57) or policy."""
    ctx, version = common.context(req), common.version(req)
    body = validation.body(req, schema.create_schema(version))
    policy.authorize(ctx, rules.CREATE)
    server = body['server']
    bdms = block_devices.from_api(server.get('block_device_mapping_v2')
                                  or [])
    image_id = (None if block_devices.volume_backed(bdms) else
                server.get('imageRef') or block_devices.boot_image(bdms))
    if not image_id and not block_devices.volume_backed(bdms):
        raise fault.bad_request('Missing imageRef attribute')
    min_count = int(server.get('min_count', 1))
    max_count = int(server.get('max_count', min_count))
    if min_count > max_count:
        raise fault.bad_request('min_count must be <= max_count')
    zone, host, node = _availability_zone(
        ctx, server.get('availability_zone'))
    hints = dict(body.get('os:scheduler_hints') or
                 body.get('OS-SCH-HNT:scheduler_hints') or {})
    admin_password = server.get('adminPass') or generate_password()
    request = compute_create.CreateRequest(
        name=server['name'], flavor_id=str(server['flavorRef']),
        image_id=image_id, min_count=min_count, max_count=max_count,
        key_name=server.get('key_name'),
        metadata=server.get('metadata') or {},
        user_data=server.get('user_data'), availability_zone=zone,
        scheduler_hints=hints, networks=_networks(req, server),
        admin_password=admin_password,
        access_ip_v4=access_ip(server.get('accessIPv4')),
        access_ip_v6=access_ip(server.get('accessIPv6')),
        security_groups=_security_groups(server),
        description=server.get('description'),
        tags=server.get('tags') or [],
        config_drive=strutils.bool_from_string(
            server.get('config_drive', False)),
        auto_disk_config=auto_disk_config(server),
        forced_host=host, forced_node=node, block_device_mapping=bdms,
        multiattach_allowed=version.matches((2, 60)),
        injected_files=[(f.get('path', ''), f.get('contents', ''))
                        for f in server.get('personality') or []],
        trusted_certs=server.get('trusted_image_certificates'))
    try:
        instances, reservation_id = compute_create.create(ctx, request)
    except tuple(fault.REFERENCE_ERRORS) as exc:
        raise fault.bad_reference(exc)
    if strutils.bool_from_string(server.get('return_reservation_id',
                                            False)):
        return common.json_response({'reservation_id': reservation_id},
                                    202)
    out: dict[str, Any] = {
        'id': instances[0].uuid,
        'links': common.links(req, 'servers', instances[0].uuid),
        'OS-DCF:diskConfig': views.disk_config(instances[0]),
        'security_groups': [{'name': name}
                            for name in _security_groups(server)]}
    if CONF.api.enable_instance_password:
        out['adminPass'] = admin_password
    resp = common.json_response({'server': out}, 202)
    resp.headers['Location'] = out['links'][0]['href']
    return resp


# The characters of generated passwords, in groups each password draws
# from at least once (no look-alikes such as 0/O, 1/l/I).
_PASSWORD_GROUPS = ('23456789', 'ABCDEFGHJKLMNPQRSTUVWXYZ',
                    'abcdefghijkmnopqrstuvwxyz')


def generate_password() -> str:
    """An admin password for a server whose request named none:
    [DEFAULT] password_length random characters, at least one of each
    group."""
    length = CONF.password_length
    chars = [secrets.choice(group) for group in _PASSWORD_GROUPS][:length]
    alphabet = ''.join(_PASSWORD_GROUPS)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return ''.join(chars)


# -- update and delete


def update(req: webob.Request, server_id: str) -> webob.Response:
    """200 with the server (without show's extended attributes, as
    upstream before 2.75), also while it is being built; 400 bad body,
    404 no such server."""
    ctx, version = common.context(req), common.version(req)
    body = validation.body(req, schema.update_schema(version))['server']
    get_authorized(ctx, rules.UPDATE, server_id)
    fields = {'name': 'display_name', 'description': 'display_description',
              'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6'}
    values = {fields[k]: v for k, v in body.items() if k in fields}
    for key in ('access_ip_v4', 'access_ip_v6'):
        if key in values:
            values[key] = access_ip(values[key])
    if 'OS-DCF:diskConfig' in body:
        values['auto_disk_config'] = auto_disk_config(body)
    instance = compute_api.update(ctx, server_id, **values)
    return common.json_response({'server': views.changed(req, instance)})


def delete(req: webob.Request, server_id: str) -> webob.Response:
    """204; 404 no such server, 409 locked."""
    ctx = common.context(req)
    get_authorized(ctx, rules.DELETE, server_id)
    compute_api.delete(ctx, server_id)
    return common.empty(204)
