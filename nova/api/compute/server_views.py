"""How the servers API presents a server: its status (from vm_state and
task_state), and the bodies of index (basic), show and /servers/detail
(detail), update and rebuild (changed: before 2.75 upstream leaves show's
extended attributes out of those two) at the request's microversion.

Views read the request only for its context, version and URLs; what the
caller may see (extended attributes, flavor extra specs) follows policy.
"""

import hashlib
from typing import Any

import webob

from nova.api.compute import common
from nova import availability_zones
from nova.compute import states
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova import policy
from nova.policies import flavors as flavor_rules
from nova.policies import servers as rules

# vm_state -> {task_state: status}; 'default' for any other task_state.
# vm_state -> task_state -> API status; looked up with the instance's
# states, either of which may be None.
_STATUS: dict[str | None, dict[str | None, str]] = {
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
        states.UPDATING_PASSWORD: 'PASSWORD',
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


def _image(req: webob.Request, instance: Instance) -> Any:
    if not instance.image_ref:
        return ''
    return {'id': instance.image_ref,
            'links': common.bookmark(req, 'images', instance.image_ref)}


def _flavor(req: webob.Request, instance: Instance) -> dict:
    return flavor_view(req, instance.flavor)


def flavor_view(req: webob.Request, flavor: Flavor) -> dict:
    """A server's flavor at the request's version: a link before 2.47,
    the flavor's sizes (and extra specs, if policy allows) from 2.47."""
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


def host_id(project_id: str | None, host: str | None) -> str:
    """The hostId a project sees for `host` ('' for none): the same host
    reads differently to each project."""
    if not host:
        return ''
    return hashlib.sha224(((project_id or '') + host).encode()).hexdigest()


def _host_id(instance: Instance) -> str:
    return host_id(instance.project_id, instance.host)


def addresses(instance: Instance) -> dict[str, list[dict]]:
    """The server's addresses by network label: none, as long as there
    is no network service to give it any."""
    return {}


def _fault(ctx: Any, instance: Instance) -> dict:
    f = instance.fault
    assert f is not None  # only called for an instance with a fault
    out = {'code': f['code'], 'message': f['message'],
           'created': common.isotime(f.get('created'))}
    # Details (a traceback) only to admins, unless not a server error.
    if f.get('details') and (ctx.is_admin or f['code'] != 500):
        out['details'] = f['details']
    return out


def disk_config(instance: Instance) -> str:
    """OS-DCF:diskConfig: AUTO if the disk is resized automatically."""
    return 'AUTO' if instance.auto_disk_config else 'MANUAL'


def basic(req: webob.Request, instance: Instance) -> dict:
    """A server as index lists it: id, name, links."""
    return {'id': instance.uuid, 'name': instance.display_name,
            'links': common.links(req, 'servers', instance.uuid)}


def _may(ctx: Any, rule: str, instance: Instance) -> bool:
    try:
        policy.authorize(ctx, rule, {'project_id': instance.project_id,
                                     'user_id': instance.user_id})
        return True
    except exception.PolicyNotAuthorized:
        return False


def _base(req: webob.Request, instance: Instance) -> dict:
    """The fields of every full view of a server at the request's
    version (all that update and rebuild answer)."""
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
        'addresses': addresses(instance),
        'accessIPv4': instance.access_ip_v4 or '',
        'accessIPv6': instance.access_ip_v6 or '',
        'links': common.links(req, 'servers', instance.uuid),
        'OS-DCF:diskConfig': disk_config(instance),
    }
    if server_status in _PROGRESS_STATUSES:
        out['progress'] = instance.progress or 0
    if instance.fault and server_status in ('ERROR', 'DELETED'):
        out['fault'] = _fault(ctx, instance)
    if version.matches((2, 9)):
        out['locked'] = bool(instance.locked)
    if version.matches((2, 19)):
        out['description'] = instance.display_description
    if version.matches((2, 26)):
        out['tags'] = list(instance.tags)
    if version.matches((2, 63)):
        out['trusted_image_certificates'] = (
            list(instance.trusted_certs) if instance.trusted_certs
            else None)
    return out


def changed(req: webob.Request, instance: Instance) -> dict:
    """A server as update (PUT) and rebuild answer it: upstream leaves
    out what show adds (zone, usage, states, volumes, security groups,
    config drive, key name, host attributes, host status)."""
    return _base(req, instance)


def detail(req: webob.Request, instance: Instance,
           host_statuses: dict[str, str] | None = None) -> dict:
    """A server as show and /servers/detail present it at the request's
    version. `host_statuses`: 2.16's host_status per host, when the
    caller may see it."""
    ctx, version = common.context(req), common.version(req)
    out = _base(req, instance)
    out.update({
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
        'os-extended-volumes:volumes_attached': _volumes(instance,
                                                         version),
        'security_groups': [{'name': 'default'}],
    })
    if _may(ctx, rules.EXTENDED_ATTRIBUTES, instance):
        out.update(_extended(instance, version))
    if version.matches((2, 16)) and host_statuses is not None:
        out['host_status'] = host_statuses.get(instance.host, '') if (
            instance.host) else ''
    return out


def _volumes(instance: Instance, version) -> list[dict]:
    if version.matches((2, 3)):
        return [dict(v) for v in instance.volumes]
    return [{'id': v['id']} for v in instance.volumes]


def _extended(instance: Instance, version) -> dict:
    out: dict[str, Any] = {'OS-EXT-SRV-ATTR:host': instance.host,
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
