"""Host weighers: each scores hosts on one measure; the scores are
scaled to 0..1 across the hosts being compared, multiplied by the
weigher's multiplier option and summed. The highest total wins."""

from nova.conf import CONF
from nova.objects.request_spec import RequestSpec
from nova.scheduler.host_state import HostState


class BaseWeigher:
    def multiplier(self) -> float:
        raise NotImplementedError

    def raw_weight(self, host_state: HostState, spec: RequestSpec) -> float:
        raise NotImplementedError


class FreeResourceWeigher(BaseWeigher):
    """Hosts with more of a free resource first: the host state's
    `attribute`, weighted by [filter_scheduler] `option` (negative: fewer
    first, to stack)."""
    option: str
    attribute: str

    def multiplier(self) -> float:
        return getattr(CONF.filter_scheduler, self.option)

    def raw_weight(self, host_state: HostState, spec: RequestSpec) -> float:
        return getattr(host_state, self.attribute)


def all_weighers() -> list[BaseWeigher]:
    from nova.scheduler.weighers import affinity
    from nova.scheduler.weighers import cpu
    from nova.scheduler.weighers import disk
    from nova.scheduler.weighers import ram
    return [ram.RAMWeigher(), disk.DiskWeigher(), cpu.CPUWeigher(),
            affinity.ServerGroupSoftAffinityWeigher(),
            affinity.ServerGroupSoftAntiAffinityWeigher()]


def _normalised(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    if high == low:
        return [0.0] * len(values)
    return [(v - low) / (high - low) for v in values]


def weigh(weighers: list[BaseWeigher], hosts: list[HostState],
          spec: RequestSpec) -> list[tuple[float, HostState]]:
    """(total weight, host), best first; ties keep the hosts' order."""
    if not hosts:
        return []
    totals = [0.0] * len(hosts)
    for weigher in weighers:
        multiplier = weigher.multiplier()
        if not multiplier:
            continue
        scaled = _normalised([weigher.raw_weight(h, spec) for h in hosts])
        totals = [t + multiplier * s for t, s in zip(totals, scaled)]
    order = sorted(range(len(hosts)), key=lambda i: -totals[i])
    return [(totals[i], hosts[i]) for i in order]
