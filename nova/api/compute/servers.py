"""/servers: create, list, show, update and delete servers.

A server the API accepted but no cell has yet (a build request) is listed,
shown (status BUILD) and deleted like any other. Another project's server
is 404 to a non-admin, as if it did not exist.
"""

import hashlib
import re
from typing import Any

from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import servers as schema
from nova.api import validation
from nova import availability_zones
from nova.compute import api as compute_api
from nova.compute import create as compute_create
from nova.compute import instance_list
from nova.compute import states
from nova.conf import CONF
from nova import exception
from nova.objects.instance import Instance
from nova import policy
from nova.policies import flavors as flavor_rules
from nova.policies import servers as rules

# vm_state -> {task_state: status}; 'default' for any other task_state.
_STATUS = {
    states.ACTIVE: {
        'default': 'ACTIVE',
        states.REBOOTING: 'REBOOT', states.REBOOT_PENDING: 'REBOOT',
        states.REBOOT_STARTED: 'REBOOT',
        states.REBOOTING_HARD: 'HARD_REBOOT',
        states.REBOOT_PENDING_HARD: 'HARD_REBOOT',
        states.REBOOT_STARTED_HARD: 'HARD_REBOOT',
        states.REBUILDING: 'REBUILD', states.REBUILD_SPAWNING: 'REBUILD',
        states.MIGRATING: 'MIGRATING',
        states.RESIZE_PREP: 'RESIZE', states.RESIZE_MIGRATING: 'RESIZE',
        states.RESIZE_MIGRATED: 'RESIZE', states.RESIZE_FINISH: 'RESIZE',
    },
    states.BUILDING: {'default': 'BUILD'},
    states.STOPPED: {
        'default': 'SHUTOFF',
        states.RESIZE_PREP: 'RESIZE', states.RESIZE_MIGRATING: 'RESIZE',
        states.RESIZE_MIGRATED: 'RESIZE', states.RESIZE_FINISH: 'RESIZE',
        states.REBUILDING: 'REBUILD', states.REBUILD_SPAWNING: 'REBUILD',
    },
    states.RESIZED: {'default': 'VERIFY_RESIZE',
                     states.RESIZE_REVERTING: 'REVERT_RESIZE'},
    states.PAUSED: {'default': 'PAUSED', states.MIGRATING: 'MIGRATING'},
    states.SUSPENDED: {'default': 'SUSPENDED'},
    states.RESCUED: {'default': 'RESCUE'},
    states.ERROR: {'default': 'ERROR', states.REBUILDING: 'REBUILD',
                   states.REBUILD_SPAWNING: 'REBUILD'},
    states.DELETED: {'default': 'DELETED'},
    states.SOFT_DELETED: {'default': 'SOFT_DELETED'},
    states.SHELVED: {'default': 'SHELVED'},
    states.SHELVED_OFFLOADED: {'default': 'SHELVED_OFFLOADED'},
}
# The statuses in which a server body carries "progress".
_PROGRESS_STATUSES = ('ACTIVE', 'BUILD', 'REBUILD', 'RESIZE',
                      'VERIFY_RESIZE', 'MIGRATING')

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


def status(instance: Instance) -> str:
    """The API status of a vm_state/task_state pair (UNKNOWN if none)."""
    task_map = _STATUS.get(instance.vm_state)
    if task_map is None:
        return 'UNKNOWN'
    return task_map.get(instance.task_state, task_map['default'])


def states_of(statuses: list[str]) -> tuple[list, list]:
    """The vm_states and task_states ('default': any) of API statuses."""
    wanted = {s.strip().upper() for s in statuses}
    vm_states, task_states = set(), set()
    for vm_state, task_map in _STATUS.items():
        for task_state, name in task_map.items():
            if name in wanted:
                vm_states.add(vm_state)
                task_states.add(task_state)
    return sorted(vm_states), sorted(task_states, key=str)


# -- views


def _image(req: webob.Request, instance: Instance) -> Any:
    if not instance.image_ref:
        return ''
    return {'id': instance.image_ref,
            'links': common.bookmark(req, 'images', instance.image_ref)}


def _flavor(req: webob.Request, instance: Instance) -> dict:
    flavor = instance.flavor
    if not common.version(req).matches((2, 47)):
        return {'id': flavor.flavorid,
                'links': common.bookmark(req, 'flavors', flavor.flavorid)}
    out = {'vcpus': flavor.vcpus, 'ram': flavor.memory_mb,
           'disk': flavor.root_gb, 'ephemeral': flavor.ephemeral_gb,
           'swap': flavor.swap, 'original_name': flavor.name}
    try:
        policy.authorize(common.context(req), flavor_rules.SPECS_INDEX)
        out['extra_specs'] = dict(flavor.extra_specs)
    except exception.PolicyNotAuthorized:
        pass
    return out


def _host_id(instance: Instance) -> str:
    if not instance.host:
        return ''
    return hashlib.sha224(
        ((instance.project_id or '') + instance.host).encode()).hexdigest()


def _fault(ctx: Any, instance: Instance) -> dict:
    f = instance.fault
    out = {'code': f['code'], 'message': f['message'],
           'created': common.isotime(f.get('created'))}
    # Details (a traceback) only to admins, unless not a server error.
    if f.get('details') and (ctx.is_admin or f['code'] != 500):
        out['details'] = f['details']
    return out


def basic(req: webob.Request, instance: Instance) -> dict:
    return {'id': instance.uuid, 'name': instance.display_name,
            'links': common.links(req, 'servers', instance.uuid)}


def _may(ctx: Any, rule: str, instance: Instance) -> bool:
    try:
        policy.authorize(ctx, rule, {'project_id': instance.project_id,
                                     'user_id': instance.user_id})
        return True
    except exception.PolicyNotAuthorized:
        return False


def detail(req: webob.Request, instance: Instance,
           host_statuses: dict[str, str] | None = None) -> dict:
    """A server as show and /servers/detail present it at the request's
    version. `host_statuses`: 2.16's host_status per host, when the
    caller may see it."""
    ctx, version = common.context(req), common.version(req)
    server_status = status(instance)
    out = {
        'id': instance.uuid,
        'name': instance.display_name,
        'status': server_status,
        'tenant_id': instance.project_id,
        'user_id': instance.user_id,
        'metadata': dict(instance.metadata),
        'hostId': _host_id(instance),
        'image': _image(req, instance),
        'flavor': _flavor(req, instance),
        'created': common.isotime(instance.created_at),
        'updated': common.isotime(instance.updated_at or
                                  instance.created_at),
        'addresses': {},
        'accessIPv4': instance.access_ip_v4 or '',
        'accessIPv6': instance.access_ip_v6 or '',
        'links': common.links(req, 'servers', instance.uuid),
        'OS-DCF:diskConfig': 'MANUAL',
        'OS-EXT-AZ:availability_zone': (
            availability_zones.instance_zone(instance) or ''),
        'config_drive': instance.config_drive or '',
        'key_name': instance.key_name,
        'OS-SRV-USG:launched_at': common.usage_time(instance.launched_at),
        'OS-SRV-USG:terminated_at': common.usage_time(
            instance.terminated_at),
        'OS-EXT-STS:task_state': instance.task_state,
        'OS-EXT-STS:vm_state': instance.vm_state,
        'OS-EXT-STS:power_state': instance.power_state,
        'os-extended-volumes:volumes_attached': [],
        'security_groups': [{'name': 'default'}],
    }
    if server_status in _PROGRESS_STATUSES:
        out['progress'] = instance.progress or 0
    if instance.fault and server_status in ('ERROR', 'DELETED'):
        out['fault'] = _fault(ctx, instance)
    if _may(ctx, rules.EXTENDED_ATTRIBUTES, instance):
        out.update(_extended(instance, version))
    if version.matches((2, 9)):
        out['locked'] = bool(instance.locked)
    if version.matches((2, 16)) and host_statuses is not None:
        out['host_status'] = host_statuses.get(instance.host, '') if (
            instance.host) else ''
    if version.matches((2, 19)):
        out['description'] = instance.display_description
    if version.matches((2, 26)):
        out['tags'] = list(instance.tags)
    return out


def _extended(instance: Instance, version) -> dict:
    out = {'OS-EXT-SRV-ATTR:host': instance.host,
           'OS-EXT-SRV-ATTR:hypervisor_hostname': instance.node,
           'OS-EXT-SRV-ATTR:instance_name': (
               'instance-%08x' % instance.id if instance.id else '')}
    if version.matches((2, 3)):
        out.update({
            'OS-EXT-SRV-ATTR:reservation_id': instance.reservation_id,
            'OS-EXT-SRV-ATTR:launch_index': instance.launch_index,
            'OS-EXT-SRV-ATTR:hostname': instance.hostname,
            'OS-EXT-SRV-ATTR:kernel_id': '',
            'OS-EXT-SRV-ATTR:ramdisk_id': '',
            'OS-EXT-SRV-ATTR:root_device_name': instance.root_device_name,
            'OS-EXT-SRV-ATTR:user_data': instance.user_data})
    return out


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


def _filters(req: webob.Request) -> dict:
    """The list_instances filters of the query (non-admins' limited to
    what upstream lets them use)."""
    ctx, version = common.context(req), common.version(req)
    allowed = set(_USER_FILTERS)
    if version.matches((2, 5)):
        allowed.add('ip6')
    if version.matches((2, 26)):
        allowed.update(_TAG_FILTERS)
    query: dict[str, list[str]] = {}
    for key, value in req.GET.items():
        if key in ('limit', 'marker', 'sort_key', 'sort_dir'):
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
        vm_states, task_states = states_of(query.pop('status'))
        if not vm_states:
            if version.matches((2, 38)):
                raise fault.bad_request('Invalid status value')
            return {'_empty': True}
        filters['vm_state'] = vm_states
        if 'default' not in task_states:
            filters['task_state'] = task_states
    if 'changes-since' in query:
        try:
            filters['changes-since'] = timeutils.normalize_time(
                timeutils.parse_isotime(query.pop('changes-since')[-1]))
        except ValueError:
            raise fault.bad_request('Invalid filter field: changes-since.')
    deleted = query.pop('deleted', None)
    if deleted is not None:
        filters['deleted'] = _bool('deleted', deleted[-1])
    else:
        # changes-since also finds what was deleted since.
        filters['deleted'] = None if 'changes-since' in filters else False
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
          view) -> webob.Response:
    ctx = common.context(req)
    policy.authorize(ctx, rule)
    filters = _filters(req)
    keys, dirs = _sort(req)
    limit = common.limit_param(req, CONF.api.max_limit)
    marker = req.GET.get('marker')
    found: list[Instance] = []
    if not filters.pop('_empty', False):
        try:
            found = instance_list.list_servers(ctx, filters, keys, dirs,
                                               limit, marker)
        except exception.MarkerNotFound:
            raise fault.bad_request('marker [%s] not found' % marker)
    body: dict[str, Any] = {'servers': view(req, found)}
    if limit and len(found) == limit:
        body['servers_links'] = common.next_link(req, collection,
                                                 found[-1].uuid)
    return common.json_response(body)


def index(req: webob.Request) -> webob.Response:
    """200: id, name and links of the servers. Query: upstream's filters
    (non-admins: reservation_id, name, status, image, flavor, ip,
    changes-since, ip6 2.5+, tags* 2.26+; others ignored), all_tenants
    (admins), sort_key/sort_dir (repeatable), limit, marker. 400 on a
    bad value, an unknown marker or (2.38+) status; 403 all_tenants for
    a non-admin."""
    return _list(req, 'servers', rules.INDEX,
                 lambda r, found: [basic(r, i) for i in found])


def detail_list(req: webob.Request) -> webob.Response:
    """200: as index, each server in full."""
    def view(r, found):
        statuses = _host_statuses(r, found)
        return [detail(r, i, statuses) for i in found]
    return _list(req, 'servers/detail', rules.DETAIL, view)


def show(req: webob.Request, server_id: str) -> webob.Response:
    """200 with the server; 404 if there is none the caller may see."""
    ctx = common.context(req)
    server = compute_api.get(ctx, server_id)
    policy.authorize(ctx, rules.SHOW, _target(server.instance))
    statuses = _host_statuses(req, [server.instance])
    return common.json_response(
        {'server': detail(req, server.instance, statuses)})


def _target(instance: Instance) -> dict:
    return {'project_id': instance.project_id, 'user_id': instance.user_id}


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


def _block_devices(bdms: list[dict]) -> list[dict]:
    """The local disks a create asks for. Anything on a volume needs the
    volume service, which this cloud does not have yet: 400, not a
    server that can never build."""
    for bdm in bdms:
        if (bdm.get('destination_type') == 'volume'
                or bdm.get('source_type') in ('volume', 'snapshot')):
            raise fault.bad_request(
                'Block device mappings on volumes are not supported: this '
                'cloud has no volume service configured.')
        if bdm.get('source_type') == 'image' and not bdm.get('uuid'):
            raise fault.bad_request(
                'Block device mapping of an image needs its uuid.')
    return bdms


def _boot_image(bdms: list[dict]) -> str | None:
    """The image of the boot disk (boot_index 0), which clients send
    instead of imageRef."""
    for bdm in bdms:
        if (bdm.get('source_type') == 'image'
                and str(bdm.get('boot_index')) == '0'):
            return bdm['uuid']
    return None


def create(req: webob.Request) -> webob.Response:
    """202 {"server": {id, links, adminPass, OS-DCF:diskConfig,
    security_groups}}, or {"reservation_id"} with return_reservation_id.
    400 bad body, flavor, image or key name; 403 over quota or policy."""
    ctx, version = common.context(req), common.version(req)
    body = validation.body(req, schema.create_schema(version))
    policy.authorize(ctx, rules.CREATE)
    server = body['server']
    bdms = _block_devices(server.get('block_device_mapping_v2') or [])
    image_id = server.get('imageRef') or _boot_image(bdms)
    if not image_id:
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
        access_ip_v4=server.get('accessIPv4'),
        access_ip_v6=server.get('accessIPv6'),
        description=server.get('description'),
        tags=server.get('tags') or [],
        config_drive=strutils.bool_from_string(
            server.get('config_drive', False)),
        forced_host=host, forced_node=node, block_device_mapping=bdms)
    try:
        instances, reservation_id = compute_create.create(ctx, request)
    except tuple(fault.REFERENCE_ERRORS) as exc:
        raise fault.bad_reference(exc)
    if strutils.bool_from_string(server.get('return_reservation_id',
                                            False)):
        return common.json_response({'reservation_id': reservation_id},
                                    202)
    out = {'id': instances[0].uuid,
           'links': common.links(req, 'servers', instances[0].uuid),
           'OS-DCF:diskConfig': server.get('OS-DCF:diskConfig', 'MANUAL'),
           'security_groups': server.get('security_groups') or [
               {'name': 'default'}],
           'adminPass': admin_password}
    resp = common.json_response({'server': out}, 202)
    resp.headers['Location'] = out['links'][0]['href']
    return resp


def generate_password() -> str:
    """An admin password for a server whose request named none."""
    return uuidutils.generate_uuid()[:12].replace('-', 'x')


# -- update and delete


def update(req: webob.Request, server_id: str) -> webob.Response:
    """200 with the server; 400 bad body, 404 no such server, 409 still
    being scheduled."""
    ctx, version = common.context(req), common.version(req)
    body = validation.body(req, schema.update_schema(version))['server']
    server = compute_api.get(ctx, server_id)
    policy.authorize(ctx, rules.UPDATE, _target(server.instance))
    fields = {'name': 'display_name', 'description': 'display_description',
              'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6'}
    values = {fields[k]: v for k, v in body.items() if k in fields}
    instance = compute_api.update(ctx, server_id, **values)
    return common.json_response({'server': detail(req, instance)})


def delete(req: webob.Request, server_id: str) -> webob.Response:
    """204; 404 no such server, 409 locked."""
    ctx = common.context(req)
    server = compute_api.get(ctx, server_id)
    policy.authorize(ctx, rules.DELETE, _target(server.instance))
    compute_api.delete(ctx, server_id)
    return common.empty(204)
