"""Rescue: boot a server from a rescue image with its own disk attached,
to repair it (os-rescue); unrescue boots it from its own disk again."""

from typing import Any

from nova.compute import api as compute_api
from nova.compute import states
from nova import exception
from nova import image as image_api

ALLOW_RESCUE = (states.ACTIVE, states.STOPPED, states.ERROR)


def rescue(ctx: Any, uuid: str, password: str,
           rescue_image_ref: str | None) -> None:
    """InstanceNotRescuable for a volume-backed server, ImageNotFound if
    `rescue_image_ref` names no image the caller may use."""
    server = compute_api.get(ctx, uuid)
    instance = server.instance
    compute_api.check_unlocked(ctx, instance)
    compute_api.check_state(instance, 'rescue', ALLOW_RESCUE, (None,))
    if not instance.image_ref and instance.volumes:
        raise exception.InstanceNotRescuable(
            instance_id=uuid, reason='Cannot rescue a volume-backed instance')
    if rescue_image_ref:
        image_api.API().get(ctx, rescue_image_ref)
    compute_api._act(
        ctx, uuid, 'rescue', vm_states=ALLOW_RESCUE,
        new_task_state=states.RESCUING,
        cast=lambda c, i: compute_api._compute().rescue_instance(
            c, i, password, rescue_image_ref))


def unrescue(ctx: Any, uuid: str) -> None:
    compute_api._act(
        ctx, uuid, 'unrescue', vm_states=(states.RESCUED,),
        new_task_state=states.UNRESCUING,
        cast=lambda c, i: compute_api._compute().unrescue_instance(c, i))
