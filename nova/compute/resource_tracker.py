"""What nova-compute tells placement about its nodes: each compute node is
a resource provider (same uuid, named by its hypervisor_hostname) with
VCPU, MEMORY_MB and DISK_GB inventory sized by the node and the
allocation ratio and reserved options, and the traits its driver reports.

It also works out the usage figures os-hypervisors shows that no driver
reports: free memory and disk, the servers on the node and how many of
them are busy with a task (upstream's current_workload).
"""

import math

from oslo_log import log as logging

from nova.compute import states
from nova.conf import CONF
from nova.db import engines
from nova.db.main import compute_nodes
from nova.objects.compute_node import ComputeNode
from nova.objects.instance import Instance
from nova import placement_client
from nova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


# vm_states of servers that no longer use a node's resources.
_GONE = (states.DELETED, states.SHELVED_OFFLOADED)


def usage(resources: dict, instances: list[Instance]) -> dict[str, int]:
    """The usage fields of a compute node whose driver reported
    `resources` (NodeResources fields) and on which `instances` live:
    free_ram_mb, free_disk_gb, disk_available_least (the free disk: no
    driver here reports what over-committed disks leave), running_vms
    and current_workload (those running with a task under way)."""
    running = [i for i in instances if i.vm_state not in _GONE]
    free_disk_gb = resources['local_gb'] - resources['local_gb_used']
    return {
        'free_ram_mb': resources['memory_mb'] - resources['memory_mb_used'],
        'free_disk_gb': free_disk_gb,
        'disk_available_least': free_disk_gb,
        'running_vms': len(running),
        'current_workload': sum(1 for i in running
                                if i.task_state is not None),
    }


def _inventory(total: int, reserved: int, ratio: float) -> dict:
    return {'total': total, 'reserved': reserved, 'min_unit': 1,
            'max_unit': total, 'step_size': 1, 'allocation_ratio': ratio}


def inventories(node: ComputeNode) -> dict[str, dict]:
    """The node's inventory by resource class (classes with no capacity
    left out: placement refuses a total of 0)."""
    sizes = {
        'VCPU': (node.vcpus, CONF.reserved_host_cpus,
                 CONF.cpu_allocation_ratio),
        'MEMORY_MB': (node.memory_mb, CONF.reserved_host_memory_mb,
                      CONF.ram_allocation_ratio),
        'DISK_GB': (node.local_gb,
                    math.ceil(CONF.reserved_host_disk_mb / 1024),
                    CONF.disk_allocation_ratio),
    }
    return {rc: _inventory(total, reserved, ratio)
            for rc, (total, reserved, ratio) in sizes.items() if total > 0}


def report(nodes: list[ComputeNode], traits: dict[str, list[str]],
           client: placement_client.PlacementClient | None = None) -> bool:
    """Bring each node's provider in placement up to date; `traits` maps
    hypervisor_hostname to the driver's traits. Placement trouble is
    logged and left for the next run: True if every node was reported."""
    client = client or placement_client.client()
    reported = True
    for node in nodes:
        # Stored nodes have a uuid (compute_nodes.create).
        assert node.uuid is not None
        try:
            client.ensure_resource_provider(node.uuid,
                                            node.hypervisor_hostname)
            client.set_inventory(node.uuid, inventories(node))
            client.set_traits(node.uuid,
                              traits.get(node.hypervisor_hostname, []))
        except placement_client.PlacementUnreachable as exc:
            LOG.warning('Cannot report compute node %s to placement, will '
                        'retry: %s', node.hypervisor_hostname, exc)
            return False
        except placement_client.PlacementError as exc:
            LOG.warning('Placement refused the report of compute node %s, '
                        'will retry: %s', node.hypervisor_hostname, exc)
            reported = False
    return reported


def report_host(driver: virt_driver.ComputeDriver, host: str,
                db_url: str) -> bool:
    """report() the compute nodes `host` has in its cell database."""
    with engines.cell_reader(db_url) as conn:
        nodes = compute_nodes.list_by_host(conn, host)
    return report(nodes, {node.hypervisor_hostname:
                          driver.get_traits(node.hypervisor_hostname)
                          + driver.capability_traits()
                          for node in nodes})
