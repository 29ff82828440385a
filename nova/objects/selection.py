"""One host the scheduler picked for an instance: where it is, and the
allocation request that claims (or, for an alternate, would claim) its
resources in placement."""

import dataclasses

from nova.objects import base


@dataclasses.dataclass
class Selection(base.Record):
    VERSION = '1.0'

    compute_node_uuid: str
    service_host: str
    nodename: str
    cell_uuid: str
    limits: dict | None = None
    # The candidate's allocation request as JSON, in the placement
    # microversion allocation_request_version; a build retried on an
    # alternate claims with it.
    allocation_request: str | None = None
    allocation_request_version: str | None = None
