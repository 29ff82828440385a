"""Client side of nova-scheduler's RPC API (on the API's message queue).

Versions:

* 1.0 - ping
* 1.1 - select_destinations
"""

from typing import Any, Literal, overload

from nova import exception
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import rpc


class SchedulerAPI(rpc.RPCAPI):
    TOPIC = 'scheduler'
    VERSION = '1.1'

    @overload
    def select_destinations(self, ctx: Any, spec_obj: RequestSpec,
                            instance_uuids: list[str] | None,
                            return_objects: Literal[True] = ...,
                            return_alternates: bool = ...
                            ) -> list[list[Selection]]: ...
    @overload
    def select_destinations(self, ctx: Any, spec_obj: RequestSpec,
                            instance_uuids: list[str] | None,
                            return_objects: Literal[False],
                            return_alternates: bool = ...
                            ) -> list[dict]: ...
    @overload
    def select_destinations(self, ctx: Any, spec_obj: RequestSpec,
                            instance_uuids: list[str] | None,
                            return_objects: bool = ...,
                            return_alternates: bool = ...
                            ) -> list[list[Selection]] | list[dict]: ...

    def select_destinations(self, ctx: Any, spec_obj: RequestSpec,
                            instance_uuids: list[str] | None,
                            return_objects: bool = True,
                            return_alternates: bool = True
                            ) -> list[list[Selection]] | list[dict]:
        """Hosts for the instances, claimed in placement; raises
        NoValidHost. A scheduler capped at 1.0 cannot schedule."""
        client = self.client(ctx)
        if not client.can_send_version('1.1'):
            raise exception.NoValidHost(
                reason='The scheduler is capped at RPC version %s, below '
                       'the 1.1 select_destinations needs.'
                       % self.version_cap)
        return client.prepare(version='1.1').call(
            ctx, 'select_destinations', spec_obj=spec_obj,
            instance_uuids=instance_uuids, return_objects=return_objects,
            return_alternates=return_alternates)
