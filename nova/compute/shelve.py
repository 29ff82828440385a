"""Shelving: a server put away to free its host (os-shelve).

shelve powers it off (SHELVED) on its host, which offloads it at once if
[DEFAULT] shelved_offload_time is 0, later otherwise (shelveOffload does
it now): the guest goes, the host's resources are freed in placement
and the server has no host (SHELVED_OFFLOADED). A volume-backed server
is offloaded straight away, as upstream. unshelve hands the server to
the super conductor, which powers it on where it is or schedules it
again (nova.conductor.unshelve). A shelved server still counts against
its project's quota.

There is no snapshot: the image service here offers no way to upload
one, so an offloaded server comes back from the image it was built from.
"""

from typing import Any

from nova.compute import api as compute_api
from nova.compute import states
from nova.conductor import rpcapi as conductor_rpcapi

ALLOW_SHELVE = (states.ACTIVE, states.STOPPED, states.PAUSED,
                states.SUSPENDED)
ALLOW_UNSHELVE = (states.SHELVED, states.SHELVED_OFFLOADED)


def shelve(ctx: Any, uuid: str) -> None:
    server = compute_api.get(ctx, uuid)
    volume_backed = (not server.instance.image_ref and
                     bool(server.instance.volumes))

    def cast(cctx: Any, instance: Any) -> None:
        if volume_backed:
            compute_api._compute().shelve_offload_instance(cctx, instance)
        else:
            compute_api._compute().shelve_instance(cctx, instance, None)
    compute_api._act(ctx, uuid, 'shelve', vm_states=ALLOW_SHELVE,
                     new_task_state=states.SHELVING, cast=cast)


def shelve_offload(ctx: Any, uuid: str) -> None:
    compute_api._act(
        ctx, uuid, 'shelveOffload', vm_states=(states.SHELVED,),
        new_task_state=states.SHELVING_OFFLOADING,
        cast=lambda c, i: compute_api._compute().shelve_offload_instance(
            c, i))


def unshelve(ctx: Any, uuid: str) -> None:
    server = compute_api.get(ctx, uuid)
    spec = compute_api._request_spec(ctx, server.instance)
    compute_api._act(
        ctx, uuid, 'unshelve', vm_states=ALLOW_UNSHELVE,
        new_task_state=states.UNSHELVING,
        cast=lambda c, i: conductor_rpcapi.ConductorAPI().unshelve_instance(
            ctx, i, spec))
