"""Host filters: each says whether one host may take the request.

A filter is a class with `host_passes(host_state, spec) -> bool`, found
by its class name in [filter_scheduler] enabled_filters.
"""

from nova.objects.request_spec import RequestSpec
from nova.scheduler.host_state import HostState


class BaseHostFilter:
    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        raise NotImplementedError

    def filter_all(self, hosts: list[HostState],
                   spec: RequestSpec) -> list[HostState]:
        return [h for h in hosts if self.host_passes(h, spec)]


def all_filters() -> dict[str, type[BaseHostFilter]]:
    """Every filter class by name."""
    from nova.scheduler.filters import affinity_filter
    from nova.scheduler.filters import availability_zone_filter
    from nova.scheduler.filters import compute_filter
    classes = (affinity_filter.SameHostFilter,
               affinity_filter.DifferentHostFilter,
               affinity_filter.ServerGroupAffinityFilter,
               affinity_filter.ServerGroupAntiAffinityFilter,
               availability_zone_filter.AvailabilityZoneFilter,
               compute_filter.ComputeFilter)
    return {cls.__name__: cls for cls in classes}


def load(names: list[str]) -> list[BaseHostFilter]:
    """Instances of the named filters, in order; ValueError naming any
    unknown one (a configuration mistake to stop the scheduler on)."""
    known = all_filters()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError('Unknown scheduler filter(s) in [filter_scheduler] '
                         'enabled_filters: %s (available: %s)'
                         % (', '.join(unknown), ', '.join(sorted(known))))
    return [known[name]() for name in names]
