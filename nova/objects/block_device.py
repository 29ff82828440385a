"""A block device mapping (cell database): one disk of a server. For a
Cinder volume it holds the attachment Nova made in Cinder and what the
compute's driver connected with."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class BlockDeviceMapping(base.Record):
    VERSION = '1.0'

    instance_uuid: str
    # 'volume', 'image', 'snapshot' or 'blank'; 'volume' or 'local'.
    source_type: str = 'volume'
    destination_type: str = 'volume'
    volume_id: str | None = None
    # The Cinder attachment (3.27+ flow); None until reserved.
    attachment_id: str | None = None
    # JSON text of Cinder's connection_info once the compute connected.
    connection_info: str | None = None
    device_name: str | None = None
    boot_index: int | None = None
    delete_on_termination: bool = False
    tag: str | None = None
    volume_size: int | None = None
    volume_type: str | None = None
    image_id: str | None = None
    snapshot_id: str | None = None
    uuid: str | None = None
    id: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None

    @property
    def is_volume(self) -> bool:
        return self.destination_type == 'volume'

    @property
    def is_root(self) -> bool:
        return self.boot_index == 0
