"""nova-compute's RPC endpoint and its periodic work.

At start and then periodically the manager asks its virt driver for its
nodes and writes each one's size and usage to a compute_nodes row in its
cell database (created on first sight, with a uuid generated once).
Each run then reports the nodes to placement (resource_tracker).
"""

import dataclasses
import threading

from oslo_log import log as logging
import oslo_messaging as messaging

from nova.compute import resource_tracker
from nova import context as nova_context
from nova.conf import CONF
from nova.db import engines
from nova.db.main import compute_nodes
from nova.objects.compute_node import ComputeNode
from nova import service
from nova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class ComputeManager(service.Manager):
    """Server side of nova.compute.rpcapi.ComputeAPI (see its history)."""

    target = messaging.Target(version='1.1')

    def __init__(self, host: str, db_url: str,
                 driver: virt_driver.ComputeDriver | None = None) -> None:
        super().__init__(host, db_url)
        self.driver = driver or virt_driver.load(CONF.compute_driver, host)
        # The periodic task and RPC callers may update at the same time;
        # both would try to create a new node's row.
        self._resource_lock = threading.Lock()

    def init_host(self) -> None:
        self.driver.init_host(self.host)

    def pre_start_hook(self, ctx: nova_context.RequestContext) -> None:
        self.update_available_resource(ctx)

    def cleanup_host(self) -> None:
        self.driver.cleanup_host(self.host)

    @messaging.expose
    @service.periodic_task()
    def update_available_resource(self, ctx: nova_context.RequestContext
                                  ) -> None:
        """Write every node's current resources to its compute_nodes row
        and report them to placement."""
        with self._resource_lock:
            for nodename in self.driver.get_available_nodes():
                self._update_node(nodename)
            resource_tracker.report_host(self.driver, self.host, self.db_url)

    def _update_node(self, nodename: str) -> None:
        values = dataclasses.asdict(
            self.driver.get_available_resource(nodename))
        service_id = self.service_ref.id if self.service_ref else None
        with engines.cell_writer(self.db_url) as conn:
            node = compute_nodes.get_by_host_and_nodename(conn, self.host,
                                                          nodename)
            if node is None:
                node = compute_nodes.create(conn, ComputeNode(
                    host=self.host, hypervisor_hostname=nodename,
                    service_id=service_id, **values))
                LOG.info('Created compute node %s (%s) for host %s',
                         nodename, node.uuid, self.host)
                return
            values['service_id'] = service_id
            changed = {k: v for k, v in values.items()
                       if getattr(node, k) != v}
            if changed:
                compute_nodes.update(conn, node.id, **changed)
                LOG.debug('Compute node %s changed: %s', nodename,
                          sorted(changed))

    @messaging.expose
    def get_available_resource(self, ctx: nova_context.RequestContext,
                               nodename: str | None = None,
                               refresh: bool = False) -> list[ComputeNode]:
        """This host's compute node records (only `nodename`'s if given),
        as last written, or re-read from the driver first if `refresh`
        (1.1; 1.0 callers get what the last update wrote)."""
        if refresh:
            self.update_available_resource(ctx)
        with engines.cell_reader(self.db_url) as conn:
            nodes = compute_nodes.list_by_host(conn, self.host)
        return [n for n in nodes
                if nodename is None or n.hypervisor_hostname == nodename]
