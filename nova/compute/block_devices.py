"""The block devices a create asks for (block_device_mapping_v2), as
block device mapping records, and the volumes they reserve.

Supported: a local root disk from the image (source image, destination
local, what imageRef means) and local blank disks; on Cinder volumes, an
existing volume (source volume), and a new volume that the compute
creates from an image, a snapshot or blank (volume_size GB). A server
whose boot disk (boot_index 0) is a volume is volume-backed: it has no
image of its own and claims no root disk on its host.

An existing volume is reserved for its server (attachment_create) when
the API accepts the create, so that two creates cannot both take it; the
compute connects it at build time. A multiattach volume (2.60) asks the
scheduler for a host whose driver can share it (the trait
COMPUTE_VOLUME_MULTI_ATTACH). A new volume may name its volume_type
(2.67), which Cinder must know.
"""

import dataclasses
from typing import Any

from oslo_log import log as logging
from oslo_utils import strutils
import os_traits

from nova import exception
from nova.objects.block_device import BlockDeviceMapping
from nova.volume import cinder as volume_api

LOG = logging.getLogger(__name__)

_ID_FIELD = {'volume': 'volume_id', 'image': 'image_id',
             'snapshot': 'snapshot_id'}
# (source, destination) pairs this cloud builds.
_SUPPORTED = {('image', 'local'), ('blank', 'local'), ('volume', 'volume'),
              ('image', 'volume'), ('snapshot', 'volume'),
              ('blank', 'volume')}


def _invalid(reason: str) -> exception.InvalidBDM:
    return exception.InvalidBDM(reason=reason)


def from_api(bdms: list[dict]) -> list[BlockDeviceMapping]:
    """block_device_mapping_v2 entries (schema-checked) as records with
    no instance yet; InvalidBDM (400) for what cannot be built."""
    out = []
    for bdm in bdms:
        source = bdm.get('source_type') or 'image'
        dest = bdm.get('destination_type') or (
            'volume' if source in ('volume', 'snapshot') else 'local')
        if (source, dest) not in _SUPPORTED:
            raise _invalid('source_type %s with destination_type %s is '
                           'not supported' % (source, dest))
        uuid = bdm.get('uuid')
        if source in _ID_FIELD and not uuid:
            raise _invalid('a block device of source_type %s needs a uuid'
                           % source)
        if bdm.get('volume_type') and dest != 'volume':
            raise _invalid('Specifying a volume_type with '
                           'destination_type=local is not supported.')
        if bdm.get('volume_type') and source == 'volume':
            raise _invalid('Specifying volume type to existing volume is '
                           'not supported.')
        size = bdm.get('volume_size')
        if dest == 'volume' and source in ('blank', 'image') and not size:
            raise _invalid('a new volume from %s needs volume_size' % source)
        boot_index = bdm.get('boot_index')
        record = BlockDeviceMapping(
            instance_uuid='', source_type=source, destination_type=dest,
            boot_index=None if boot_index in (None, '', 'none', -1, '-1')
            else int(boot_index),
            delete_on_termination=strutils.bool_from_string(
                bdm.get('delete_on_termination', False)),
            device_name=bdm.get('device_name'), tag=bdm.get('tag'),
            volume_size=int(size) if size else None,
            volume_type=bdm.get('volume_type') or None)
        if source in _ID_FIELD:
            setattr(record, _ID_FIELD[source], uuid)
        out.append(record)
    roots = [b for b in out if b.is_root]
    if len(roots) > 1:
        raise _invalid('more than one block device has boot_index 0')
    return out


def root(bdms: list[BlockDeviceMapping]) -> BlockDeviceMapping | None:
    return next((b for b in bdms if b.is_root), None)


def boot_image(bdms: list[BlockDeviceMapping]) -> str | None:
    """The image of a local boot disk (clients send it instead of
    imageRef)."""
    disk = root(bdms)
    if disk is not None and disk.source_type == 'image' and not (
            disk.is_volume):
        return disk.image_id
    return None


def volume_backed(bdms: list[BlockDeviceMapping]) -> bool:
    disk = root(bdms)
    return disk is not None and disk.is_volume


def check_volumes(ctx: Any, bdms: list[BlockDeviceMapping],
                  multiattach_allowed: bool) -> list[str]:
    """Check the volumes and volume types the mappings name in Cinder
    (a type given by id is kept by name, as upstream); the traits the
    server's host must have. Raises InvalidBDMVolume (400: no such
    volume), MultiattachNotSupportedOldMicroversion (400: a multiattach
    volume below 2.60), VolumeTypeNotFound."""
    traits = set()
    for bdm in bdms:
        if bdm.is_volume and bdm.source_type == 'volume':
            assert bdm.volume_id is not None  # from_api checked
            try:
                volume = volume_api.get(ctx, bdm.volume_id)
            except exception.VolumeNotFound:
                raise exception.InvalidBDMVolume(
                    reason='failed to get volume %s' % bdm.volume_id)
            if volume.get('multiattach'):
                if not multiattach_allowed:
                    raise exception.MultiattachNotSupportedOldMicroversion()
                traits.add(os_traits.COMPUTE_VOLUME_MULTI_ATTACH)
    wanted = [b for b in bdms if b.volume_type]
    if wanted:
        types = volume_api.list_volume_types(ctx)
        for bdm in wanted:
            bdm.volume_type = _volume_type_name(types, bdm.volume_type)
    return sorted(traits)


def _volume_type_name(types: list[dict], id_or_name: str | None) -> str:
    for volume_type in types:
        if id_or_name in (volume_type['id'], volume_type['name']):
            return volume_type['name']
    raise exception.VolumeTypeNotFound(id_or_name=id_or_name)


def reserve(ctx: Any, bdms: list[BlockDeviceMapping],
            instance_uuid: str) -> list[BlockDeviceMapping]:
    """The server's mappings, each existing volume (check_volumes
    passed) reserved for it (a Cinder attachment). InvalidBDMVolume
    (400) for a volume Cinder will not reserve; what was reserved is
    released first."""
    out: list[BlockDeviceMapping] = []
    try:
        for bdm in bdms:
            bdm = dataclasses.replace(bdm, instance_uuid=instance_uuid)
            if bdm.is_volume and bdm.source_type == 'volume':
                assert bdm.volume_id is not None  # from_api checked
                bdm.attachment_id = _reserve(ctx, bdm.volume_id,
                                             instance_uuid)
            out.append(bdm)
    except Exception:
        unreserve(ctx, out)
        raise
    return out


def _reserve(ctx: Any, volume_id: str, instance_uuid: str) -> str:
    try:
        made = volume_api.attachment_create(ctx, volume_id, instance_uuid)
    except exception.InvalidVolume as exc:
        raise exception.InvalidBDMVolume(reason=str(exc))
    return made['id']


def unreserve(ctx: Any, bdms: list[BlockDeviceMapping]) -> None:
    """Let go of the attachments `reserve` made (the server will not be
    built): volumes stay, whatever delete_on_termination says."""
    for bdm in bdms:
        if bdm.attachment_id:
            try:
                volume_api.attachment_delete(ctx, bdm.attachment_id)
            except exception.NovaException as exc:
                LOG.error('Could not release volume %s reserved for %s: '
                          '%s', bdm.volume_id, bdm.instance_uuid, exc)


# As build requests keep them (JSON), until the instance reaches a cell.

def to_dicts(bdms: list[BlockDeviceMapping]) -> list[dict]:
    return [{k: v for k, v in dataclasses.asdict(b).items()
             if k not in ('id', 'created_at', 'updated_at')} for b in bdms]


def from_dicts(bdms: list[dict]) -> list[BlockDeviceMapping]:
    return [BlockDeviceMapping(**b) for b in bdms]
