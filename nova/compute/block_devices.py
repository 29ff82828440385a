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
compute connects it at build time.
"""

import dataclasses
from typing import Any

from oslo_log import log as logging
from oslo_utils import strutils

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
            volume_type=bdm.get('volume_type'))
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


def reserve(ctx: Any, bdms: list[BlockDeviceMapping], instance_uuid: str,
            multiattach_allowed: bool) -> list[BlockDeviceMapping]:
    """The server's mappings, each existing volume reserved for it (a
    Cinder attachment). InvalidBDMVolume (400) for a volume Cinder does
    not know or will not reserve; what was reserved is released first."""
    out: list[BlockDeviceMapping] = []
    try:
        for bdm in bdms:
            bdm = dataclasses.replace(bdm, instance_uuid=instance_uuid)
            if bdm.is_volume and bdm.source_type == 'volume':
                assert bdm.volume_id is not None  # from_api checked
                bdm.attachment_id = _reserve(ctx, bdm.volume_id,
                                             instance_uuid,
                                             multiattach_allowed)
            out.append(bdm)
    except Exception:
        unreserve(ctx, out)
        raise
    return out


def _reserve(ctx: Any, volume_id: str, instance_uuid: str,
             multiattach_allowed: bool) -> str:
    try:
        volume = volume_api.get(ctx, volume_id)
    except exception.VolumeNotFound:
        raise exception.InvalidBDMVolume(
            reason='failed to get volume %s' % volume_id)
    if volume.get('multiattach') and not multiattach_allowed:
        raise exception.MultiattachNotSupportedOldMicroversion()
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
