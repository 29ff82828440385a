"""A driver with no hypervisor: one node named after the host, of the size
[fake_driver] configures. For tests, development and scale testing of the
control plane."""

import json

from nova.conf import CONF
from nova.virt import driver


class FakeDriver(driver.ComputeDriver):

    def __init__(self, host: str) -> None:
        self.host = host
        self.vcpus = CONF.fake_driver.vcpus
        self.memory_mb = CONF.fake_driver.memory_mb
        self.local_gb = CONF.fake_driver.local_gb

    def get_available_nodes(self) -> list[str]:
        return [self.host]

    def get_available_resource(self, nodename: str) -> driver.NodeResources:
        if nodename != self.host:
            raise ValueError('Unknown node %s' % nodename)
        return driver.NodeResources(
            vcpus=self.vcpus, memory_mb=self.memory_mb,
            local_gb=self.local_gb, vcpus_used=0, memory_mb_used=0,
            local_gb_used=0, hypervisor_type='fake', hypervisor_version=1000,
            cpu_info=json.dumps({'arch': 'x86_64', 'model': 'fake',
                                 'vendor': 'fake',
                                 'topology': {'sockets': 1,
                                              'cores': self.vcpus,
                                              'threads': 1}}))
