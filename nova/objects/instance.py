"""A server as its cell database (or, before scheduling, its build request)
holds it.

Columns of the instances table are fields of the same name; the flavor
(and, during a resize, the old and new flavors) live in instance_extra;
metadata, system_metadata and tags in their own tables; `fault` is the
newest instance_faults row as {'code', 'message', 'details', 'created'};
`volumes` are the Cinder volumes of its block device mappings as
{'id', 'delete_on_termination'}, boot volume first.
"""

import dataclasses
import datetime

from nova.objects import base
from nova.objects.flavor import Flavor


@dataclasses.dataclass
class Instance(base.Record):
    # 1.1: volumes
    # 1.2: trusted_certs
    # 1.3: auto_disk_config
    VERSION = '1.3'

    uuid: str
    project_id: str
    user_id: str
    flavor: Flavor
    display_name: str | None = None
    display_description: str | None = None
    hostname: str | None = None
    image_ref: str | None = None
    vm_state: str | None = None
    task_state: str | None = None
    power_state: int = 0
    host: str | None = None
    node: str | None = None
    launched_on: str | None = None
    availability_zone: str | None = None
    key_name: str | None = None
    key_data: str | None = None
    user_data: str | None = None
    reservation_id: str | None = None
    launch_index: int = 0
    config_drive: str = ''
    # OS-DCF:diskConfig AUTO: the guest's disk is resized to the flavor's.
    auto_disk_config: bool = False
    access_ip_v4: str | None = None
    access_ip_v6: str | None = None
    locked: bool = False
    locked_by: str | None = None
    progress: int = 0
    root_device_name: str | None = None
    os_type: str | None = None
    architecture: str | None = None
    # A resize in progress: the flavor before and the flavor asked for.
    old_flavor: Flavor | None = None
    new_flavor: Flavor | None = None
    metadata: dict[str, str] = dataclasses.field(default_factory=dict)
    system_metadata: dict[str, str] = dataclasses.field(default_factory=dict)
    tags: list[str] = dataclasses.field(default_factory=list)
    fault: dict | None = None
    volumes: list[dict] = dataclasses.field(default_factory=list)
    # Certificate ids the image's signature must chain to (2.63), or None.
    trusted_certs: list[str] | None = None
    launched_at: datetime.datetime | None = None
    terminated_at: datetime.datetime | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    deleted_at: datetime.datetime | None = None
    deleted: bool = False
    id: int | None = None

    @classmethod
    def downgrade(cls, data: dict, target: tuple[int, int]) -> None:
        if target < (1, 1):
            data.pop('volumes', None)
        if target < (1, 2):
            data.pop('trusted_certs', None)
        if target < (1, 3):
            data.pop('auto_disk_config', None)
