"""Actions on a server's state and guest that move it nowhere: an admin's
reset of its state, the guest agent's network and password actions, and
the crash dump (os-admin-actions, os-admin-password,
trigger_crash_dump), as upstream's compute API does them."""

from typing import Any

from oslo_log import log as logging

from nova.compute import api as compute_api
from nova.compute import states
from nova.db import engines
from nova.db.main import instance_actions
from nova.db.main import instances as instances_db
from nova import exception

LOG = logging.getLogger(__name__)

# The vm_states a crash dump may be asked in, as upstream.
ALLOW_CRASH_DUMP = (states.ACTIVE, states.PAUSED, states.RESCUED,
                    states.RESIZED, states.ERROR)


@engines.retry_on_deadlock
def reset_state(ctx: Any, uuid: str, vm_state: str) -> None:
    """Force vm_state (ACTIVE or ERROR) and clear task_state, whatever
    they were: an operator's way out of a stuck operation."""
    server = compute_api.get(ctx, uuid)
    if not server.scheduled:
        raise exception.InstanceInvalidState(
            action='resetState', instance_uuid=uuid, attr='vm_state',
            state=server.instance.vm_state)
    with compute_api.in_cell(ctx, server) as cctx:
        with engines.cell_writer(server.cell, cctx) as conn:
            instances_db.update(conn, uuid, vm_state=vm_state,
                                task_state=None)
            instance_actions.start_action(conn, cctx, uuid, 'resetState')
    LOG.info('State of server %s reset to %s (was %s, task %s)', uuid,
             vm_state, server.instance.vm_state, server.instance.task_state)


def _on_host(ctx: Any, uuid: str) -> compute_api.Server:
    """The server, unlocked, on a compute host (InstanceNotReady if it
    has none: not built yet, or offloaded)."""
    server = compute_api.get(ctx, uuid)
    compute_api.check_unlocked(ctx, server.instance)
    if not server.scheduled or not server.instance.host:
        raise exception.InstanceNotReady(instance_id=uuid)
    return server


def inject_network_info(ctx: Any, uuid: str) -> None:
    """Have the server's host push its network details into the guest
    (with no network service there are none to push; the driver's call
    still happens, as upstream)."""
    server = _on_host(ctx, uuid)
    with compute_api.in_cell(ctx, server) as cctx:
        compute_api._compute().inject_network_info(cctx, server.instance)
    LOG.info('injectNetworkInfo of server %s requested', uuid)


def reset_network(ctx: Any, uuid: str) -> None:
    """Have the guest agent reset the server's networking."""
    server = _on_host(ctx, uuid)
    with compute_api.in_cell(ctx, server) as cctx:
        compute_api._compute().reset_network(cctx, server.instance)
    LOG.info('resetNetwork of server %s requested', uuid)


def set_admin_password(ctx: Any, uuid: str, password: str) -> None:
    """Set the guest's admin password through its host and wait for the
    answer: InstanceInvalidState unless ACTIVE, InstancePasswordSetFailed
    if the guest is not running or the driver failed,
    NotImplementedError if the driver cannot set passwords."""
    compute_api._act(
        ctx, uuid, 'changePassword', vm_states=(states.ACTIVE,),
        new_task_state=states.UPDATING_PASSWORD,
        cast=lambda c, i: compute_api._compute().set_admin_password(
            c, i, password))


def trigger_crash_dump(ctx: Any, uuid: str) -> None:
    """Have the hypervisor inject an NMI (2.17): the guest OS dumps its
    memory, if it is set up to. InstanceNotReady with no host."""
    _on_host(ctx, uuid)
    compute_api._act(
        ctx, uuid, 'trigger_crash_dump', vm_states=ALLOW_CRASH_DUMP,
        cast=lambda c, i: compute_api._compute().trigger_crash_dump(c, i))
