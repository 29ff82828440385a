"""A hypervisor node a nova-compute manages, with its size and usage."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class ComputeNode(base.Record):
    VERSION = '1.0'

    host: str
    hypervisor_hostname: str
    vcpus: int = 0
    memory_mb: int = 0
    local_gb: int = 0
    vcpus_used: int = 0
    memory_mb_used: int = 0
    local_gb_used: int = 0
    hypervisor_type: str = ''
    hypervisor_version: int = 0
    cpu_info: str = ''
    id: int | None = None
    uuid: str | None = None
    service_id: int | None = None
    free_ram_mb: int | None = None
    free_disk_gb: int | None = None
    current_workload: int | None = None
    running_vms: int | None = None
    disk_available_least: int | None = None
    host_ip: str | None = None
    supported_instances: str | None = None
    stats: str | None = None
    # 1 once nova-manage cell_v2 discover_hosts has mapped the host.
    mapped: int = 0
    cpu_allocation_ratio: float | None = None
    ram_allocation_ratio: float | None = None
    disk_allocation_ratio: float | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    deleted: int = 0
