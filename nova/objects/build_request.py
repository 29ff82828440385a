"""A server the API accepted and no cell holds yet (API database).

It carries the instance as the API built it, so that listing and showing
the server work before it is scheduled; the conductor deletes it once the
instance exists in a cell (or in cell0, if it could not be scheduled).
"""

import dataclasses
import datetime

from nova.objects import base
from nova.objects.instance import Instance


@dataclasses.dataclass
class BuildRequest(base.Record):
    VERSION = '1.0'

    instance: Instance
    project_id: str
    block_device_mappings: list[dict] = dataclasses.field(
        default_factory=list)
    tags: list[str] = dataclasses.field(default_factory=list)
    id: int | None = None
    created_at: datetime.datetime | None = None

    @property
    def instance_uuid(self) -> str:
        return self.instance.uuid
