"""Only hosts whose nova-compute is up and enabled."""

from oslo_log import log as logging

from nova.objects.request_spec import RequestSpec
from nova.scheduler import filters
from nova.scheduler.host_state import HostState

LOG = logging.getLogger(__name__)


class ComputeFilter(filters.BaseHostFilter):
    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        if host_state.service_disabled:
            LOG.debug('%s is disabled', host_state.host)
            return False
        if not host_state.service_up:
            LOG.warning('%s has not reported in [DEFAULT] service_down_time '
                        'and is skipped', host_state.host)
            return False
        return True
