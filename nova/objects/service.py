"""A Nova service (one binary on one host) as its cell database knows it."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class Service(base.Record):
    VERSION = '1.0'

    host: str
    binary: str
    topic: str | None = None
    id: int | None = None
    uuid: str | None = None
    report_count: int = 0
    disabled: bool = False
    disabled_reason: str | None = None
    forced_down: bool = False
    last_seen_up: datetime.datetime | None = None
    # The service's code level (nova.service.SERVICE_VERSION) when it
    # last started, so that newer services can tell what it speaks.
    version: int = 0
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    deleted: int = 0
