"""A host aggregate: a named group of compute hosts with metadata (an
`availability_zone` key puts its hosts in that zone)."""

import dataclasses
import datetime

from nova.objects import base

AZ_KEY = 'availability_zone'


@dataclasses.dataclass
class Aggregate(base.Record):
    VERSION = '1.0'

    name: str
    id: int | None = None
    uuid: str | None = None
    hosts: list[str] = dataclasses.field(default_factory=list)
    metadata: dict[str, str] = dataclasses.field(default_factory=dict)
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None

    @property
    def availability_zone(self) -> str | None:
        return self.metadata.get(AZ_KEY)
