"""nova-scheduler's RPC endpoint (on the API's message queue)."""

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import exception
from nova.objects.request_spec import RequestSpec
from nova.scheduler import selection
from nova import service


class SchedulerManager(service.Manager):
    """Server side of nova.scheduler.rpcapi.SchedulerAPI."""

    target = messaging.Target(version='1.1')

    def __init__(self, host: str, db_url: str) -> None:
        super().__init__(host, db_url)
        self.scheduler = selection.Scheduler()

    @messaging.expose
    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, ctx: nova_context.RequestContext,
                            spec_obj: RequestSpec,
                            instance_uuids: list[str] | None,
                            return_objects: bool = True,
                            return_alternates: bool = True) -> Any:
        """Per instance, the claimed host and its alternates (Selection
        records); without return_objects the chosen hosts as dicts.
        Raises NoValidHost."""
        answer = self.scheduler.select_destinations(ctx, spec_obj,
                                                    instance_uuids)
        if not return_objects:
            return selection.legacy_dicts(answer)
        if not return_alternates:
            answer = [s[:1] for s in answer]
        return answer
