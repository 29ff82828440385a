"""Soft server group policies: prefer the hosts with the most members of
a soft-affinity group, avoid those with members of a soft-anti-affinity
group ([filter_scheduler] soft_affinity_weight_multiplier and
soft_anti_affinity_weight_multiplier)."""

from nova.conf import CONF
from nova.objects.request_spec import RequestSpec
from nova.scheduler import weighers
from nova.scheduler.host_state import HostState


def _members_on(host_state: HostState, spec: RequestSpec,
                policy: str) -> int:
    if spec.group_policy() != policy:
        return 0
    # One entry per member placed (see nova.scheduler.server_group).
    hosts = (spec.instance_group or {}).get('hosts') or []
    return sum(1 for host in hosts if host == host_state.host)


class ServerGroupSoftAffinityWeigher(weighers.BaseWeigher):
    def multiplier(self) -> float:
        return CONF.filter_scheduler.soft_affinity_weight_multiplier

    def raw_weight(self, host_state: HostState, spec: RequestSpec) -> float:
        return _members_on(host_state, spec, 'soft-affinity')


class ServerGroupSoftAntiAffinityWeigher(weighers.BaseWeigher):
    def multiplier(self) -> float:
        return CONF.filter_scheduler.soft_anti_affinity_weight_multiplier

    def raw_weight(self, host_state: HostState, spec: RequestSpec) -> float:
        return -_members_on(host_state, spec, 'soft-anti-affinity')
