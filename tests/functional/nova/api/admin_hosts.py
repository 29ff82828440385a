"""Services and compute nodes written straight into two cells, for the
tests of the admin APIs (os-hypervisors, os-services,
os-availability-zone, os-aggregates): cell1 on the backend's database,
cell2 on SQLite, no service running.

    def test_x(hosts):        # fixture in nova/api/conftest.py
        hosts.compute('cell1', 'cmp1', nodes=['cmp1'])  # service + nodes,
                                                        # host mapped
"""

import datetime
import json

from oslo_utils import timeutils

from nova.db.api import host_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import services
from nova.objects.cell_mapping import CellMapping
from nova.objects.compute_node import ComputeNode
from nova.objects.service import Service

CPU_INFO = {'arch': 'x86_64', 'model': 'Nehalem', 'vendor': 'Intel',
            'features': ['sse'], 'topology': {'cores': 1, 'threads': 1,
                                              'sockets': 4}}


class Hosts:
    def __init__(self, cells_: dict[str, CellMapping]) -> None:
        self.cells = cells_

    def service(self, cell: str, host: str, binary: str,
                disabled: bool = False, reason: str | None = None,
                up: bool = True) -> Service:
        """A service row; `up` means it reported just now (else an hour
        ago)."""
        now = timeutils.utcnow().replace(tzinfo=None, microsecond=0)
        seen = now if up else now - datetime.timedelta(hours=1)
        with engines.cell_writer(self.cells[cell]) as conn:
            return services.create(conn, Service(
                host=host, binary=binary, topic=binary.split('-')[-1],
                disabled=disabled, disabled_reason=reason,
                last_seen_up=seen))

    def compute(self, cell: str, host: str, nodes: list[str] | None = None,
                mapped: bool = True, vcpus: int = 4, memory_mb: int = 4096,
                local_gb: int = 100, **service_kw) -> tuple[
                    Service, list[ComputeNode]]:
        """A nova-compute service on `host` with its nodes (default: one
        node named as the host), the host mapped to `cell`."""
        svc = self.service(cell, host, 'nova-compute', **service_kw)
        made = []
        with engines.cell_writer(self.cells[cell]) as conn:
            for index, name in enumerate(nodes or [host]):
                made.append(compute_nodes.create(conn, ComputeNode(
                    host=host, hypervisor_hostname=name, vcpus=vcpus,
                    memory_mb=memory_mb, local_gb=local_gb,
                    vcpus_used=index + 1, memory_mb_used=512 * (index + 1),
                    local_gb_used=10, hypervisor_type='fake',
                    hypervisor_version=1000, cpu_info=json.dumps(CPU_INFO),
                    free_ram_mb=memory_mb - 512 * (index + 1),
                    free_disk_gb=local_gb - 10, current_workload=0,
                    running_vms=index, disk_available_least=local_gb - 10,
                    host_ip='192.168.1.%d' % (index + 10),
                    service_id=svc.id)))
        if mapped:
            with engines.api_writer() as conn:
                host_mappings.create(conn, host, self.cells[cell].id)
        return svc, made


