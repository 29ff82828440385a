"""Client side of nova-compute's RPC API. Messages go to one host's
compute (server = its host) on the message queue of the cell the context
targets.

Versions:

* 1.0 - ping, update_available_resource (cast), get_available_resource
* 1.1 - get_available_resource takes `refresh`
"""

from typing import Any

from nova.objects.compute_node import ComputeNode
from nova import rpc


class ComputeAPI(rpc.RPCAPI):
    TOPIC = 'compute'
    VERSION = '1.1'

    def update_available_resource(self, ctx: Any, host: str) -> None:
        """Have `host` rewrite its compute node rows now (no answer)."""
        self.client(ctx).prepare(server=host).cast(
            ctx, 'update_available_resource')

    def get_available_resource(self, ctx: Any, host: str,
                               nodename: str | None = None,
                               refresh: bool = False) -> list[ComputeNode]:
        """The compute node records of `host`; with `refresh`, re-read from
        its driver first. A host capped below 1.1 cannot refresh on
        demand: it answers with what its last periodic update wrote."""
        client = self.client(ctx)
        kwargs: dict[str, Any] = {'nodename': nodename}
        if client.can_send_version('1.1'):
            version = '1.1'
            kwargs['refresh'] = refresh
        else:
            version = '1.0'
        return client.prepare(server=host, version=version).call(
            ctx, 'get_available_resource', **kwargs)
