"""What every conductor task (building, moving servers) is given: the
placement client and the compute and scheduler RPC APIs, made once per
conductor process by nova.conductor.manager."""

from nova.compute import rpcapi as compute_rpcapi
from nova import placement_client
from nova.scheduler import rpcapi as scheduler_rpcapi


class ConductorTask:
    """The clients a conductor task talks to placement, computes and the
    scheduler with."""

    def __init__(self, placement: placement_client.PlacementClient,
                 compute_api: compute_rpcapi.ComputeAPI,
                 scheduler_api: scheduler_rpcapi.SchedulerAPI) -> None:
        self.placement = placement
        self.compute_api = compute_api
        self.scheduler_api = scheduler_api
