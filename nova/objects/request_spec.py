"""What the scheduler is asked to place: a flavor's worth of resources
for some instances, and the constraints on where (zone, hints, server
group, hosts forced or ignored, a requested destination)."""

import dataclasses

from nova.objects import base
from nova.objects.flavor import Flavor


@dataclasses.dataclass
class Destination(base.Record):
    """Where a move or an operator asked the instances to go."""
    VERSION = '1.0'

    host: str | None = None
    node: str | None = None
    cell_uuid: str | None = None
    # Each entry is a comma-separated list of aggregate uuids: the host
    # must be in one of each entry's aggregates (placement's member_of).
    aggregates: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class RequestSpec(base.Record):
    # 1.1: root_required
    VERSION = '1.1'

    flavor: Flavor
    instance_uuid: str | None = None
    project_id: str | None = None
    user_id: str | None = None
    # {'id': ..., 'properties': {...}}: the image's properties may carry
    # trait:NAME=required.
    image: dict = dataclasses.field(default_factory=dict)
    num_instances: int = 1
    availability_zone: str | None = None
    # Hint name -> values (same_host, different_host, group).
    scheduler_hints: dict[str, list] = dataclasses.field(
        default_factory=dict)
    # {'uuid', 'policies': ['affinity'|'anti-affinity'], 'rules',
    # 'hosts', 'members'}; the scheduler adds each host it picks to
    # 'hosts'.
    instance_group: dict | None = None
    ignore_hosts: list[str] = dataclasses.field(default_factory=list)
    force_hosts: list[str] = dataclasses.field(default_factory=list)
    force_nodes: list[str] = dataclasses.field(default_factory=list)
    requested_destination: Destination | None = None
    # Boot from volume: the root disk is not on the compute host.
    is_bfv: bool = False
    # Traits the compute node's provider must have, whatever the flavor
    # says (COMPUTE_VOLUME_MULTI_ATTACH for a multiattach volume).
    root_required: list[str] = dataclasses.field(default_factory=list)

    @classmethod
    def downgrade(cls, data: dict, target: tuple[int, int]) -> None:
        if target < (1, 1):
            data.pop('root_required', None)

    def hint(self, name: str) -> list:
        """A scheduler hint's values, always as a list."""
        value = self.scheduler_hints.get(name) or []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def group_policy(self) -> str | None:
        policies = (self.instance_group or {}).get('policies') or []
        return policies[0] if policies else None

    def max_server_per_host(self) -> int:
        """How many members of the anti-affinity group one host may
        hold (the group's rule, 1 without one)."""
        rules = (self.instance_group or {}).get('rules') or {}
        return int(rules.get('max_server_per_host', 1))
