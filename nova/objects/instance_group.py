"""A server group (API database): who owns it, its one scheduling policy
and the servers in it."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class InstanceGroup(base.Record):
    VERSION = '1.0'

    uuid: str
    project_id: str | None = None
    user_id: str | None = None
    name: str | None = None
    # Upstream keeps a list: one of affinity, anti-affinity,
    # soft-affinity, soft-anti-affinity (or none).
    policies: list[str] = dataclasses.field(default_factory=list)
    # Member instance uuids, deleted servers included.
    members: list[str] = dataclasses.field(default_factory=list)
    id: int | None = None
    created_at: datetime.datetime | None = None

    @property
    def policy(self) -> str | None:
        return self.policies[0] if self.policies else None
