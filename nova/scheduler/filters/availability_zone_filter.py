"""Only hosts in the availability zone the request names (any host when
it names none)."""

from nova.objects.request_spec import RequestSpec
from nova.scheduler import filters
from nova.scheduler.host_state import HostState


class AvailabilityZoneFilter(filters.BaseHostFilter):
    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        wanted = spec.availability_zone
        return not wanted or host_state.availability_zone == wanted
