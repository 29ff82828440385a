"""Hosts with more free memory first ([filter_scheduler] ram_weight_multiplier;
negative: fewer first, to stack)."""

from nova.conf import CONF
from nova.objects.request_spec import RequestSpec
from nova.scheduler import weighers
from nova.scheduler.host_state import HostState


class RAMWeigher(weighers.BaseWeigher):
    def multiplier(self) -> float:
        return CONF.filter_scheduler.ram_weight_multiplier

    def raw_weight(self, host_state: HostState, spec: RequestSpec) -> float:
        return host_state.free_ram_mb
