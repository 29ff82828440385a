"""The volumes of a server (os-volume_attachments): attach, detach, list.

Attaching follows upstream's attachments flow. The API checks the server
(its state, lock) and the volume (Cinder knows it; multiattach only where
the caller's microversion allows), asks the server's compute to reserve a
guest device and record the block device mapping (a call), reserves the
volume in Cinder with attachment_create (Cinder refuses a volume in use
that is not multiattach: the loser of a race gets its 400), records the
instance action and casts attach_volume: the compute connects the volume
(attachment_update, attachment_complete). Whatever fails before the cast
is undone here; after it, by the compute.

Detaching checks the same states, refuses the boot volume and casts
detach_volume: the compute unplugs, deletes the attachment and the
mapping.

Swapping (an admin's) marks the old volume 'detaching' in Cinder,
reserves the new one for the server (attachment_create) and casts
swap_volume: the compute connects the new volume at the old one's guest
device, records it on the mapping and deletes the old attachment. A
swap that Cinder starts to migrate or retype a volume (its completion
callback) is not supported.
"""

from typing import Any

from oslo_log import log as logging

from nova.compute import api as compute_api
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.conf import CONF
from nova.db import engines
from nova.db.main import block_device_mappings
from nova.db.main import instance_actions
from nova import exception
from nova.objects.block_device import BlockDeviceMapping
from nova.volume import cinder as volume_api

LOG = logging.getLogger(__name__)

# vm_states in which volumes attach and detach, as upstream (which also
# allows the shelved states; this cloud cannot shelve yet).
ALLOWED = (states.ACTIVE, states.PAUSED, states.STOPPED, states.RESIZED,
           states.SOFT_DELETED)
# A swap needs a running guest (or a resized one), as upstream.
SWAP_ALLOWED = (states.ACTIVE, states.PAUSED, states.RESIZED)


def _server(ctx: Any, uuid: str, action: str,
            allowed: tuple[str, ...] = ALLOWED) -> compute_api.Server:
    server = compute_api.get(ctx, uuid)
    compute_api.check_unlocked(ctx, server.instance)
    # A server in these states has a cell and a host.
    compute_api.check_state(server.instance, action, allowed, (None,))
    return server


def _check_zone(instance: Any, volume: dict) -> None:
    if CONF.cinder.cross_az_attach:
        return
    zone = instance.availability_zone
    if zone and volume.get('availability_zone') != zone:
        raise exception.InvalidVolume(
            reason='Instance %s and volume %s are not in the same '
                   'availability_zone (%s, %s)' % (
                       instance.uuid, volume['id'], zone,
                       volume.get('availability_zone')))


def attach(ctx: Any, uuid: str, volume_id: str, device: str | None = None,
           tag: str | None = None, delete_on_termination: bool = False,
           multiattach_allowed: bool = False) -> BlockDeviceMapping:
    """Attach the volume to the server; the mapping (its device) once
    the compute is asked to connect it. Raises InstanceNotFound,
    InstanceInvalidState or InstanceIsLocked (409), VolumeNotFound
    (404), InvalidVolume (400: in use, wrong state, already attached),
    MultiattachNotSupportedOldMicroversion (400),
    MultiattachNotSupportedByVirtDriver (409: the server's host cannot
    share a multiattach volume)."""
    server = _server(ctx, uuid, 'attach_volume')
    instance = server.instance
    volume = volume_api.get(ctx, volume_id)
    multiattach = bool(volume.get('multiattach'))
    if multiattach and not multiattach_allowed:
        raise exception.MultiattachNotSupportedOldMicroversion()
    _check_zone(instance, volume)
    rpc = compute_rpcapi.ComputeAPI()
    with compute_api.in_cell(ctx, server) as cctx:
        bdm = rpc.reserve_block_device_name(
            cctx, instance, device, volume_id, tag, delete_on_termination,
            multiattach)
        assert bdm.id is not None  # stored by the compute
        try:
            attachment = volume_api.attachment_create(ctx, volume_id, uuid)
        except Exception:
            _forget(server, bdm.id)
            raise
        bdm = _attaching(cctx, server, bdm.id, attachment['id'])
        rpc.attach_volume(cctx, instance, bdm)
    LOG.info('Attaching volume %s to server %s at %s', volume_id, uuid,
             bdm.device_name)
    return bdm


@engines.retry_on_deadlock
def _forget(server: compute_api.Server, bdm_id: int) -> None:
    with engines.cell_writer(server.cell) as conn:
        block_device_mappings.destroy(conn, bdm_id)


@engines.retry_on_deadlock
def _attaching(cctx: Any, server: compute_api.Server, bdm_id: int,
               attachment_id: str) -> BlockDeviceMapping:
    with engines.cell_writer(server.cell, cctx) as conn:
        bdm = block_device_mappings.update(conn, bdm_id,
                                           attachment_id=attachment_id)
        instance_actions.start_action(conn, cctx, server.instance.uuid,
                                      'attach_volume')
        return bdm


def detach(ctx: Any, uuid: str, volume_id: str) -> None:
    """Detach the volume from the server (the compute finishes it).
    Raises InstanceNotFound, VolumeNotAttached (404),
    InstanceInvalidState or InstanceIsLocked (409), RootVolumeDetach
    (400)."""
    server = _server(ctx, uuid, 'detach_volume')
    bdm = get(ctx, uuid, volume_id, server)
    if bdm.is_root:
        raise exception.RootVolumeDetach()
    with compute_api.in_cell(ctx, server) as cctx:
        _detaching(cctx, server)
        compute_rpcapi.ComputeAPI().detach_volume(cctx, server.instance,
                                                  volume_id)
    LOG.info('Detaching volume %s from server %s', volume_id, uuid)


@engines.retry_on_deadlock
def _detaching(cctx: Any, server: compute_api.Server,
               action: str = 'detach_volume') -> None:
    with engines.cell_writer(server.cell, cctx) as conn:
        instance_actions.start_action(conn, cctx, server.instance.uuid,
                                      action)


def swap(ctx: Any, uuid: str, old_volume_id: str,
         new_volume_id: str) -> None:
    """Replace the attached volume `old_volume_id` of the server with
    `new_volume_id` (the compute finishes it). Raises InstanceNotFound,
    VolumeNotFound or VolumeNotAttached (404: the old volume),
    NewVolumeNotFound, InvalidVolume (400: the new volume is attached or
    smaller, Cinder refuses), MultiattachSwapVolumeNotSupported (400),
    InstanceInvalidState or InstanceIsLocked (409)."""
    server = _server(ctx, uuid, 'swap_volume', SWAP_ALLOWED)
    old = volume_api.get(ctx, old_volume_id)
    try:
        new = volume_api.get(ctx, new_volume_id)
    except exception.VolumeNotFound:
        raise exception.NewVolumeNotFound(volume_id=new_volume_id)
    get(ctx, uuid, old_volume_id, server)
    _check_swap(server.instance, old, new)
    volume_api.begin_detaching(ctx, old_volume_id)
    try:
        attachment = volume_api.attachment_create(ctx, new_volume_id, uuid)
    except Exception:
        volume_api.roll_detaching(ctx, old_volume_id)
        raise
    try:
        with compute_api.in_cell(ctx, server) as cctx:
            _detaching(cctx, server, 'swap_volume')
            compute_rpcapi.ComputeAPI().swap_volume(
                cctx, server.instance, old_volume_id, new_volume_id,
                attachment['id'])
    except Exception:
        volume_api.attachment_delete(ctx, attachment['id'])
        volume_api.roll_detaching(ctx, old_volume_id)
        raise
    LOG.info('Swapping volume %s of server %s for %s', old_volume_id, uuid,
             new_volume_id)


def _check_swap(instance: Any, old: dict, new: dict) -> None:
    if not any(a.get('server_id') == instance.uuid
               for a in old.get('attachments') or []):
        raise exception.InvalidVolume(
            reason='Old volume is attached to a different instance.')
    if new.get('attachments'):
        raise exception.InvalidVolume(
            reason='New volume must be detached in order to swap.')
    if int(new['size']) < int(old['size']):
        raise exception.InvalidVolume(
            reason='New volume must be the same size or larger.')
    if old.get('multiattach') and len(old.get('attachments') or []) > 1:
        raise exception.MultiattachSwapVolumeNotSupported()
    _check_zone(instance, new)


def list_for_server(ctx: Any, uuid: str,
                    server: compute_api.Server | None = None
                    ) -> list[BlockDeviceMapping]:
    """The server's volume mappings, boot volume first."""
    server = server or compute_api.get(ctx, uuid)
    if not server.scheduled:
        return []
    with compute_api.in_cell(ctx, server) as cctx:
        with engines.cell_reader(server.cell, cctx) as conn:
            return [b for b in block_device_mappings.list_by_instance(
                conn, uuid) if b.is_volume]


def get(ctx: Any, uuid: str, volume_id: str,
        server: compute_api.Server | None = None) -> BlockDeviceMapping:
    """The mapping of `volume_id` on the server (VolumeNotAttached)."""
    for bdm in list_for_server(ctx, uuid, server):
        if bdm.volume_id == volume_id:
            return bdm
    raise exception.VolumeNotAttached(volume_id=volume_id)
