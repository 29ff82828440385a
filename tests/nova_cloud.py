"""A whole Nova control plane in one process, for functional tests: the
scheduler and the super conductor on the API's message queue, a cell
conductor and fake computes per cell, all as nova.service.Service with
their real managers, against real databases and a real placement.

    with nova_services.configured(transport_url='fake://', ...):
        cloud = NovaCloud(cell0_url, {'cell1': (cell1_db_url, None)})
        cloud.start()
        cloud.add_compute('cmp1', vcpus=4, memory_mb=4096, local_gb=100)
        (uuid,) = cloud.boot(flavor)     # through nova.compute.create
        cloud.wait_for(uuid, vm_state='active')
        cloud.stop()

The caller configures nova.db.engines with the API database and CONF
with [placement] endpoint_override. A cell whose transport URL is None
shares the API's queue ([DEFAULT] transport_url): its conductor is then
the super conductor itself (oslo.messaging's fake driver has one queue
per topic in the whole process, so at most one such cell). A cell with a
transport URL of its own (a RabbitMQ vhost) gets its own conductor.
"""

from concurrent import futures
import threading
import uuid as uuidlib

from nova import cells
from nova.compute import create
from nova.compute import flavors
from nova.compute import manager as compute_manager
from nova.conductor import manager as conductor_manager
from nova import context as nova_context
from nova.db.api import cell_mappings
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import instances
from nova import exception
from nova.objects.cell_mapping import CELL0_UUID
from nova.objects.cell_mapping import CellMapping
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.scheduler import manager as scheduler_manager
from nova import service
from nova.virt import fake
from tests import nova_services

# An image of the shipped catalog (etc/nova/images.json).
CIRROS = '155d900f-4e14-4e4c-a73d-069cbf4541e6'


class NovaCloud:
    """See the module docstring. `cells` maps a cell name to (database
    URL, transport URL or None). After start(): `cells` (name -> cell
    mapping, cell0 included), `scheduler` and `conductor` (the super
    conductor's manager), `computes` (host -> ComputeManager)."""

    def __init__(self, cell0_url: str,
                 cells_: dict[str, tuple[str, str | None]]) -> None:
        self.cell0_url = cell0_url
        self.cell_specs = cells_
        self.cells: dict[str, CellMapping] = {}
        self.services: list[service.Service] = []
        self.computes: dict[str, compute_manager.ComputeManager] = {}
        self.ctx = nova_context.get_admin_context()
        self._flavor_lock = threading.Lock()

    def start(self) -> None:
        """Map cell0 and the cells, start the scheduler and the
        conductors."""
        from nova.conf import CONF
        with engines.api_writer() as conn:
            self.cells['cell0'] = cell_mappings.create(conn, CellMapping(
                uuid=CELL0_UUID, name='cell0', transport_url='none:///',
                database_connection=self.cell0_url))
            for name, (url, transport) in self.cell_specs.items():
                self.cells[name] = cell_mappings.create(conn, CellMapping(
                    uuid=str(uuidlib.uuid4()), name=name,
                    transport_url=transport or CONF.transport_url,
                    database_connection=url))
        cells.reset_cache()
        shared = [n for n, (_, t) in self.cell_specs.items() if t is None]
        if len(shared) > 1:
            raise ValueError('Only one cell can share the API queue')
        self.scheduler = scheduler_manager.SchedulerManager(
            'scheduler', self.cell0_url)
        self._start(service.Service('nova-scheduler', 'scheduler',
                                    self.scheduler))
        super_db = (self.cell_specs[shared[0]][0] if shared
                    else self.cell0_url)
        self.conductor = conductor_manager.ConductorManager('conductor',
                                                            super_db)
        self._start(service.Service('nova-conductor', 'conductor',
                                    self.conductor))
        for name, (url, transport) in self.cell_specs.items():
            if transport is not None:
                self._start(service.Service(
                    'nova-conductor', 'conductor',
                    conductor_manager.ConductorManager(
                        'conductor-' + name, url, transport),
                    transport_url=transport))

    def _start(self, svc: service.Service) -> None:
        svc.start()
        self.services.append(svc)

    def add_compute(self, host: str | None = None, cell: str = 'cell1',
                    vcpus: int = 4, memory_mb: int = 4096,
                    local_gb: int = 100, multiattach: bool = True
                    ) -> compute_manager.ComputeManager:
        """Start a fake compute of that size in `cell` (its node is
        reported to placement before this returns); `multiattach`: its
        driver can share a volume between guests."""
        host = host or 'cmp-' + uuidlib.uuid4().hex[:8]
        url, transport = self.cell_specs[cell]
        manager = compute_manager.ComputeManager(
            host, url, driver=fake.FakeDriver(host, vcpus, memory_mb,
                                              local_gb, multiattach),
            transport_url=transport)
        self._start(service.Service('nova-compute', 'compute', manager,
                                    transport_url=transport))
        self.computes[host] = manager
        return manager

    def stop(self) -> None:
        """Stop every service at once: each waits out its RPC server's
        poll, and one after the other that added up to seconds."""
        with futures.ThreadPoolExecutor(max(1, len(self.services))) as pool:
            list(pool.map(lambda svc: svc.stop(timeout=10), self.services))
        self.services = []
        fake.reset_failures()
        cells.reset_cache()

    # What nova-api does for a boot

    def boot(self, flavor: Flavor, count: int = 1, project_id: str = 'p1',
             user_id: str = 'u1', image_ref: str = CIRROS,
             name: str = 'server',
             ctx: nova_context.RequestContext | None = None) -> list[str]:
        """Create `count` servers of `flavor` through the compute layer
        (nova.compute.create, as nova-api does: build requests, quota,
        the cast to the super conductor); the servers' uuids. The flavor
        is made in the API database first if it is not there."""
        ctx = ctx or nova_context.RequestContext(
            user_id=user_id, project_id=project_id)
        self._ensure_flavor(flavor)
        made, _ = create.create(ctx, create.CreateRequest(
            name=name, flavor_id=flavor.flavorid, image_id=image_ref,
            min_count=count, max_count=count, networks='none'))
        return [inst.uuid for inst in made]

    def _ensure_flavor(self, flavor: Flavor) -> None:
        # Concurrent boots of a new flavor: one of them makes it.
        with self._flavor_lock:
            try:
                flavors.get(self.ctx, flavor.flavorid)
            except exception.FlavorNotFound:
                flavors.create(self.ctx, flavor.name, flavor.memory_mb,
                               flavor.vcpus, flavor.root_gb,
                               ephemeral_gb=flavor.ephemeral_gb,
                               flavorid=flavor.flavorid)

    # Looking

    def cell_of(self, uuid: str) -> CellMapping | None:
        with engines.api_reader() as conn:
            return instance_mappings.get_by_instance_uuid(conn, uuid).cell

    def instance(self, uuid: str) -> Instance | None:
        """The instance in its mapped cell (deleted ones too); None while
        it is a build request."""
        cell = self.cell_of(uuid)
        if cell is None:
            return None
        with engines.cell_reader(cell) as conn:
            try:
                return instances.get(conn, uuid, read_deleted=True)
            except exception.InstanceNotFound:
                return None

    def wait_for(self, uuid: str, timeout: float = 30,
                 **wanted: object) -> Instance:
        """Poll until the instance has every field in `wanted` (e.g.
        vm_state='active', task_state=None); fails the test on timeout."""
        def ready():
            inst = self.instance(uuid)
            if inst is not None and all(getattr(inst, k) == v
                                        for k, v in wanted.items()):
                return inst
            return None
        return nova_services.wait_for(
            ready, timeout=timeout,
            what='instance %s to have %s' % (uuid, wanted))
