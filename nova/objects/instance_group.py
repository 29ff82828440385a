"""A server group (API database): who owns it, its one scheduling policy
with that policy's rules, and the servers in it."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class InstanceGroup(base.Record):
    # 1.1: rules
    VERSION = '1.1'

    uuid: str
    project_id: str | None = None
    user_id: str | None = None
    name: str | None = None
    # Upstream keeps a list: one of affinity, anti-affinity,
    # soft-affinity, soft-anti-affinity (or none).
    policies: list[str] = dataclasses.field(default_factory=list)
    # The policy's rules (2.64): max_server_per_host, for anti-affinity.
    rules: dict[str, int] = dataclasses.field(default_factory=dict)
    # Member instance uuids, deleted servers included.
    members: list[str] = dataclasses.field(default_factory=list)
    id: int | None = None
    created_at: datetime.datetime | None = None

    @classmethod
    def downgrade(cls, data: dict, target: tuple[int, int]) -> None:
        if target < (1, 1):
            data.pop('rules', None)

    @property
    def policy(self) -> str | None:
        return self.policies[0] if self.policies else None
