"""Which cell an instance lives in (cell None: not yet scheduled)."""

import dataclasses
import datetime

from nova.objects import base
from nova.objects.cell_mapping import CellMapping


@dataclasses.dataclass
class InstanceMapping(base.Record):
    VERSION = '1.0'

    instance_uuid: str
    project_id: str
    id: int | None = None
    cell: CellMapping | None = None
    user_id: str | None = None
    queued_for_delete: bool = False
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
