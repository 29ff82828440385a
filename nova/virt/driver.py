"""What nova-compute needs from a hypervisor driver, and how it loads one.

So far a driver only describes its nodes (issue 4 adds spawning); each
node becomes a compute_nodes row named by its hypervisor_hostname.
"""

import abc
import dataclasses
import importlib

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class NodeResources:
    """One node's size and usage, as the hypervisor sees it."""
    vcpus: int
    memory_mb: int
    local_gb: int
    vcpus_used: int
    memory_mb_used: int
    local_gb_used: int
    hypervisor_type: str
    hypervisor_version: int
    cpu_info: str  # JSON text


class ComputeDriver(abc.ABC):

    def init_host(self, host: str) -> None:
        """Connect to the hypervisor before the service starts."""

    def cleanup_host(self, host: str) -> None:
        """Let go of the hypervisor at shutdown."""

    @abc.abstractmethod
    def get_available_nodes(self) -> list[str]:
        """Names (hypervisor_hostname) of the nodes this host manages."""

    @abc.abstractmethod
    def get_available_resource(self, nodename: str) -> NodeResources:
        """The current size and usage of node `nodename`."""

    def get_traits(self, nodename: str) -> list[str]:
        """Traits (os-traits names) of node `nodename` for placement."""
        return []


class DriverNotFound(ValueError):
    """[DEFAULT] compute_driver names no driver under nova.virt."""


def load(name: str, host: str) -> ComputeDriver:
    """The driver `name` (module.Class under nova.virt) for `host`."""
    module_name, _, class_name = name.rpartition('.')
    try:
        module = importlib.import_module('nova.virt.' + module_name)
        cls = getattr(module, class_name)
    except (ImportError, AttributeError, ValueError):
        raise DriverNotFound('No compute driver %r under nova.virt' % name)
    if not (isinstance(cls, type) and issubclass(cls, ComputeDriver)):
        raise DriverNotFound('%r is not a compute driver' % name)
    LOG.info('Loading compute driver %s', name)
    return cls(host)
