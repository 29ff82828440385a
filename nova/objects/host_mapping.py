"""Which cell a compute host belongs to."""

import dataclasses
import datetime

from nova.objects import base
from nova.objects.cell_mapping import CellMapping


@dataclasses.dataclass
class HostMapping(base.Record):
    VERSION = '1.0'

    host: str
    cell: CellMapping
    id: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
