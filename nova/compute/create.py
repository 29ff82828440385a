"""Creating servers: what POST /servers asks of the compute layer.

nova-api builds nothing itself. A create looks up the flavor, image, key
pair and server group and counts quota, then writes, per server, a build
request, a request spec and an instance mapping (no cell yet) in one API
database transaction, and casts schedule_and_build_instances to the super
conductor. The project's creates take turns on a lock from those writes
to the commit and recheck quota there, so that two concurrent creates
cannot both take the last room (TooManyInstances for the later one).

The flavor and image checks, the hostname and the over-quota error serve
the actions on existing servers too (resize, rebuild, update in
nova.compute.api).
"""

import dataclasses
import re
from typing import Any

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from nova import availability_zones
from nova.compute import block_devices
from nova.compute import states
from nova.conductor import rpcapi as conductor_rpcapi
from nova.conf import CONF
from nova.db.api import build_requests
from nova.db.api import flavors as flavors_db
from nova.db.api import instance_groups
from nova.db.api import instance_mappings
from nova.db.api import request_specs
from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db import locks
from nova import exception
from nova import image as image_api
from nova.objects.block_device import BlockDeviceMapping
from nova.objects.build_request import BuildRequest
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.request_spec import RequestSpec
from nova import quota

LOG = logging.getLogger(__name__)

_HOSTNAME_BAD = re.compile(r'[^\w.-]+')


@dataclasses.dataclass
class CreateRequest:
    """What POST /servers asked for, validated by the API's schema."""
    name: str
    flavor_id: str
    image_id: str | None
    min_count: int = 1
    max_count: int = 1
    key_name: str | None = None
    metadata: dict[str, str] = dataclasses.field(default_factory=dict)
    user_data: str | None = None
    availability_zone: str | None = None
    scheduler_hints: dict = dataclasses.field(default_factory=dict)
    networks: str | list | None = None
    admin_password: str | None = None
    access_ip_v4: str | None = None
    access_ip_v6: str | None = None
    description: str | None = None
    tags: list[str] = dataclasses.field(default_factory=list)
    config_drive: bool = False
    block_device_mapping: list[BlockDeviceMapping] = dataclasses.field(
        default_factory=list)
    forced_host: str | None = None
    forced_node: str | None = None
    # The caller's microversion allows multiattach volumes (2.60).
    multiattach_allowed: bool = False
    # Personality files (path, base64 contents), until 2.57.
    injected_files: list[tuple[str, str]] = dataclasses.field(
        default_factory=list)
    # Certificate ids the image's signature must chain to (2.63).
    trusted_certs: list[str] | None = None
    security_groups: list[str] = dataclasses.field(
        default_factory=lambda: ['default'])
    # OS-DCF:diskConfig: AUTO True, MANUAL False, None: as the image says.
    auto_disk_config: bool | None = None


def create(ctx: Any, req: CreateRequest) -> tuple[list[Instance], str]:
    """Accept up to req.max_count servers (at least req.min_count, as
    quota allows) and have the super conductor build them.

    Returns the instances (as build requests hold them) and the
    reservation id. Raises FlavorNotFound, FlavorDisabled, ImageNotFound,
    ImageNotActive, FlavorMemoryTooSmall, FlavorDiskTooSmall,
    KeypairNotFound, InstanceGroupNotFound, TooManyInstances,
    TooManyServerGroupMembers, AvailabilityZoneNotAvailable,
    CertificateValidationFailed, OnsetFile*LimitExceeded,
    MetadataLimitExceeded, SecurityGroupNotFoundForProject,
    AutoDiskConfigDisabledByImage.
    """
    check_security_groups(ctx, req.security_groups)
    quota.check_metadata_items(ctx, ctx.project_id, req.metadata)
    with engines.api_reader(ctx) as conn:
        flavor = flavor_by_id(ctx, conn, req.flavor_id)
        public_key = key_data(ctx, conn, req.key_name)
        groups = req.scheduler_hints.get('group')
        group = _server_group(conn, groups) if groups else None
    image = check_image(ctx, req.image_id, flavor)
    certs = trusted_certs(req.trusted_certs)
    if certs and not req.image_id:
        raise exception.CertificateValidationFailed(
            'Image certificate validation is not supported when booting '
            'from volume')
    check_injected_files(ctx, req.injected_files)
    _check_block_devices(ctx, req)
    # What the volumes need of the host, e.g. to share a multiattach one.
    host_traits = block_devices.check_volumes(
        ctx, req.block_device_mapping, req.multiattach_allowed)
    if req.availability_zone and not req.forced_host:
        availability_zones.check_requested(ctx, req.availability_zone)
    count = _allowed_count(ctx, flavor, req.min_count, req.max_count)
    if group is not None:
        _check_group_quota(ctx, group, count)
    reservation_id = 'r-%s' % uuidutils.generate_uuid()[:8]
    instances = [_new_instance(ctx, req, flavor, image, public_key, certs,
                               reservation_id, i, count)
                 for i in range(count)]
    spec_image = {'id': req.image_id,
                  'properties': image.get('properties', {}),
                  'min_ram': image.get('min_ram', 0),
                  'min_disk': image.get('min_disk', 0)}
    hints = {k: v for k, v in req.scheduler_hints.items() if k != 'group'}
    specs = [RequestSpec(
        flavor=flavor, instance_uuid=inst.uuid, project_id=ctx.project_id,
        user_id=ctx.user_id, image=spec_image, num_instances=count,
        availability_zone=req.availability_zone, scheduler_hints=hints,
        instance_group=group,
        force_hosts=[req.forced_host] if req.forced_host else [],
        force_nodes=[req.forced_node] if req.forced_node else [],
        is_bfv=block_devices.volume_backed(req.block_device_mapping),
        root_required=list(host_traits))
        for inst in instances]
    # Existing volumes are reserved before the writes, and let go if
    # they fail.
    bdms = {inst.uuid: block_devices.reserve(
        ctx, req.block_device_mapping, inst.uuid) for inst in instances}
    try:
        requests = _write(ctx, req, instances, specs, group, bdms)
    except Exception:
        for reserved in bdms.values():
            block_devices.unreserve(ctx, reserved)
        raise
    LOG.info('Accepted %d server(s) %s for project %s', count,
             reservation_id, ctx.project_id)
    conductor_rpcapi.ConductorAPI().schedule_and_build_instances(
        ctx, requests, specs, image, req.admin_password,
        [list(f) for f in req.injected_files], req.networks, [])
    return instances, reservation_id


def _write(ctx: Any, req: CreateRequest, instances: list[Instance],
           specs: list[RequestSpec], group: dict | None,
           bdms: dict[str, list[BlockDeviceMapping]]) -> list[BuildRequest]:
    with engines.api_writer(ctx) as conn:
        # The project's creates take turns from here to the commit, so
        # that each recheck sees every server accepted before it.
        locks.hold(conn, 'quota-%s' % ctx.project_id)
        requests = []
        for inst, spec in zip(instances, specs):
            requests.append(build_requests.create(conn, BuildRequest(
                instance=inst, project_id=ctx.project_id,
                block_device_mappings=block_devices.to_dicts(
                    bdms[inst.uuid]),
                tags=list(req.tags))))
            request_specs.create(conn, spec)
            instance_mappings.create(conn, inst.uuid, ctx.project_id,
                                     cell_id=None, user_id=ctx.user_id)
        if group is not None:
            instance_groups.add_members(conn, group['id'],
                                        [i.uuid for i in instances])
        # Raising here rolls back every row written above.
        _recheck_quota(ctx, instances)
        if group is not None:
            _check_group_quota(ctx, group, 0)
    return requests


def check_security_groups(ctx: Any, names: list[str]) -> None:
    """SecurityGroupNotFoundForProject for a group other than "default":
    with no network service there are no others (as upstream answers for
    a group its network service does not have)."""
    for name in names:
        if name != 'default':
            raise exception.SecurityGroupNotFoundForProject(
                security_group_id=name, project_id=ctx.project_id)


def _check_block_devices(ctx: Any, req: CreateRequest) -> None:
    """An existing volume serves one server; a new volume's image must
    exist (InvalidBDM, ImageNotFound)."""
    if req.max_count > 1 and any(
            b.source_type == 'volume' for b in req.block_device_mapping):
        raise exception.InvalidBDM(
            reason='cannot attach one or more volumes to multiple '
                   'instances')
    for bdm in req.block_device_mapping:
        if bdm.is_volume and bdm.source_type == 'image' and bdm.image_id:
            image_api.API().get(ctx, bdm.image_id)


def _recheck_quota(ctx: Any, instances: list[Instance]) -> None:
    """With our rows written (not committed) under the project's lock: if
    the project is now over, a create accepted before ours took the room,
    and ours loses (TooManyInstances)."""
    requested = _resources(instances[0].flavor, len(instances))
    try:
        quota.check_deltas(ctx, ctx.project_id, ctx.user_id,
                           dict.fromkeys(requested, 0))
    except exception.OverQuota as over:
        # Report what was used before this request, as the first check.
        usages = {r: used - requested[r]
                  for r, used in over.kwargs['usages'].items()}
        raise too_many_instances(exception.OverQuota(
            overs=over.kwargs['overs'], quotas=over.kwargs['quotas'],
            usages=usages), requested)


def _check_group_quota(ctx: Any, group: dict, delta: int) -> None:
    """TooManyServerGroupMembers unless `delta` more of the caller's
    servers fit the group (0: recheck, our members written)."""
    try:
        quota.check_server_group_members(ctx, ctx.project_id, ctx.user_id,
                                         group['id'], delta)
    except exception.OverQuota:
        raise exception.TooManyServerGroupMembers()


def flavor_by_id(ctx: Any, conn: Any, flavor_id: str) -> Flavor:
    """The flavor `flavor_id` the caller may use (FlavorNotFound if
    none, or disabled)."""
    flavor = flavors_db.get_by_flavor_id(conn, flavor_id, ctx.project_id,
                                         ctx.is_admin)
    if flavor.disabled:
        # Upstream treats a disabled flavor as one that is not there.
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    return flavor


def check_image(ctx: Any, image_id: str | None, flavor: Flavor) -> dict:
    """The image `image_id` ({} if None) once it is active and fits
    `flavor`: ImageNotFound, ImageNotActive, FlavorMemoryTooSmall or
    FlavorDiskTooSmall otherwise."""
    if not image_id:
        return {}
    image = image_api.API().get(ctx, image_id)
    if (image.get('status') or 'active').lower() != 'active':
        raise exception.ImageNotActive(image_id=image_id)
    if flavor.memory_mb < int(image.get('min_ram') or 0):
        raise exception.FlavorMemoryTooSmall()
    if flavor.root_gb and flavor.root_gb < int(image.get('min_disk') or 0):
        raise exception.FlavorDiskTooSmall()
    return image


def auto_disk_config(image: dict, requested: bool | None) -> bool:
    """Whether the server's disk is resized automatically: as requested
    (AutoDiskConfigDisabledByImage if the image's auto_disk_config
    property is "disabled"), else as that property says."""
    prop = image.get('properties', {}).get('auto_disk_config')
    if requested and str(prop).strip().lower() == 'disabled':
        raise exception.AutoDiskConfigDisabledByImage(image=image.get('id'))
    if requested is None:
        return strutils.bool_from_string(prop)
    return requested




def trusted_certs(requested: list[str] | None) -> list[str] | None:
    """The certificate ids a server created or rebuilt with `requested`
    gets: those, or the configured defaults when signatures and
    certificates are checked, or None."""
    if requested:
        return list(requested)
    glance = CONF.glance
    if (glance.verify_glance_signatures and
            glance.enable_certificate_validation and
            glance.default_trusted_certificate_ids):
        return list(glance.default_trusted_certificate_ids)
    return None


def check_injected_files(ctx: Any, files: list[tuple[str, str]]) -> None:
    """The personality files fit the injected_file* quotas:
    OnsetFileLimitExceeded, OnsetFilePathLimitExceeded or
    OnsetFileContentLimitExceeded (403) if not."""
    if not files:
        return
    limits = quota.get_limits(ctx, ctx.project_id, ctx.user_id)

    def over(resource: str, value: int) -> bool:
        return limits[resource] != quota.UNLIMITED and (
            value > limits[resource])
    if over('injected_files', len(files)):
        raise exception.OnsetFileLimitExceeded()
    # As upstream, the path limit is reported before the content's.
    if over('injected_file_path_bytes', max(len(p) for p, _ in files)):
        raise exception.OnsetFilePathLimitExceeded(
            allowed=limits['injected_file_path_bytes'])
    if over('injected_file_content_bytes', max(len(c) for _, c in files)):
        raise exception.OnsetFileContentLimitExceeded(
            allowed=limits['injected_file_content_bytes'])


def key_data(ctx: Any, conn: Any, key_name: str | None) -> str | None:
    """The public key of the caller's key pair `key_name` (None for
    None); KeypairNotFound if the caller has none of that name."""
    if key_name is None:
        return None
    kp = api_tables.key_pairs
    row = conn.execute(sa.select(kp.c.public_key).where(
        kp.c.user_id == ctx.user_id, kp.c.name == key_name)).first()
    if row is None:
        raise exception.KeypairNotFound(name=key_name, user_id=ctx.user_id)
    return row.public_key


def _server_group(conn: Any, group_uuid: str) -> dict:
    """The group of the "group" hint as the request spec carries it."""
    group = instance_groups.get_by_uuid(conn, group_uuid)
    return {'id': group.id, 'uuid': group.uuid,
            'policies': list(group.policies), 'rules': dict(group.rules),
            'members': list(group.members), 'hosts': []}


def hostname(name: str) -> str:
    """The hostname a server named `name` gets."""
    return _HOSTNAME_BAD.sub('-', name.lower()).strip('-.')[:63] or 'server'


def _resources(flavor: Flavor, count: int) -> dict[str, int]:
    return {'instances': count, 'cores': count * flavor.vcpus,
            'ram': count * flavor.memory_mb}


def _allowed_count(ctx: Any, flavor: Flavor, min_count: int,
                   max_count: int) -> int:
    """How many servers (max_count or fewer, never below min_count) quota
    lets the project boot; TooManyInstances if not even min_count."""
    try:
        quota.check_deltas(ctx, ctx.project_id, ctx.user_id,
                           _resources(flavor, max_count))
        return max_count
    except exception.OverQuota as exc:
        over = exc
    quotas, usages = over.kwargs['quotas'], over.kwargs['usages']
    per_server = _resources(flavor, 1)
    room = max_count
    for resource in over.kwargs['overs']:
        headroom = quotas[resource] - usages[resource]
        room = min(room, max(0, headroom) // max(1, per_server[resource]))
    if room >= min_count:
        quota.check_deltas(ctx, ctx.project_id, ctx.user_id,
                           _resources(flavor, room))
        return room
    raise too_many_instances(over, _resources(flavor, min_count))


def too_many_instances(over: exception.OverQuota,
              requested: dict[str, int]) -> exception.TooManyInstances:
    """The TooManyInstances to raise for `over` when `requested` was
    asked for."""
    overs = sorted(over.kwargs['overs'])
    quotas, usages = over.kwargs['quotas'], over.kwargs['usages']

    def joined(values) -> str:
        return ', '.join(str(v) for v in values)
    return exception.TooManyInstances(
        overs=joined(overs), req=joined(requested[r] for r in overs),
        used=joined(usages[r] for r in overs),
        allowed=joined(quotas[r] for r in overs))


def _new_instance(ctx: Any, req: CreateRequest, flavor: Flavor,
                  image: dict, key_data: str | None,
                  certs: list[str] | None, reservation_id: str,
                  index: int, count: int) -> Instance:
    name = req.name if count == 1 else '%s-%d' % (req.name, index + 1)
    return Instance(
        uuid=uuidutils.generate_uuid(), project_id=ctx.project_id,
        user_id=ctx.user_id, flavor=flavor, display_name=name,
        display_description=req.description, hostname=hostname(name),
        image_ref=req.image_id or '', vm_state=states.BUILDING,
        task_state=states.SCHEDULING, power_state=states.NOSTATE,
        availability_zone=req.availability_zone, key_name=req.key_name,
        key_data=key_data, user_data=req.user_data,
        reservation_id=reservation_id, launch_index=index,
        config_drive='True' if req.config_drive else '',
        auto_disk_config=auto_disk_config(image, req.auto_disk_config),
        access_ip_v4=req.access_ip_v4, access_ip_v6=req.access_ip_v6,
        metadata=dict(req.metadata), tags=list(req.tags),
        trusted_certs=certs,
        system_metadata={'image_base_image_ref': req.image_id or '',
                         'image_min_ram': str(image.get('min_ram', 0)),
                         'image_min_disk': str(image.get('min_disk', 0))},
        os_type=image.get('properties', {}).get('os_type'),
        architecture=image.get('properties', {}).get('architecture'),
        created_at=timeutils.utcnow().replace(microsecond=0))
