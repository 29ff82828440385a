"""A user request on a server (GET /servers/{id}/os-instance-actions) and
the events the services recorded while carrying it out."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class InstanceAction(base.Record):
    VERSION = '1.0'

    action: str
    instance_uuid: str
    request_id: str
    user_id: str | None = None
    project_id: str | None = None
    start_time: datetime.datetime | None = None
    finish_time: datetime.datetime | None = None
    # None while it runs well; 'Error' once an event of it failed.
    message: str | None = None
    updated_at: datetime.datetime | None = None
    id: int | None = None
    # Newest first: {'event', 'start_time', 'finish_time', 'result',
    # 'traceback', 'host', 'details'} (get_action fills them in).
    events: list[dict] = dataclasses.field(default_factory=list)
