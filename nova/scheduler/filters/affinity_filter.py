"""Placement relative to other instances: the same_host and
different_host scheduler hints (instance uuids), and server groups with
the affinity or anti-affinity policy (the group's hosts so far, and the
anti-affinity's max_server_per_host rule)."""

from nova.objects.request_spec import RequestSpec
from nova.scheduler import filters
from nova.scheduler.host_state import HostState


class SameHostFilter(filters.BaseHostFilter):
    """On the host of one of the same_host instances."""

    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        wanted = set(spec.hint('same_host'))
        return not wanted or bool(wanted & host_state.instances)


class DifferentHostFilter(filters.BaseHostFilter):
    """Not on the host of any different_host instance."""

    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        return not set(spec.hint('different_host')) & host_state.instances


def _group_hosts(spec: RequestSpec, policy: str) -> list[str] | None:
    """The hosts of the request's server group members so far; None when
    the request has no group with `policy`."""
    if spec.group_policy() != policy:
        return None
    return (spec.instance_group or {}).get('hosts') or []


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """On the host the group's members are on (any host for the first)."""

    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        hosts = _group_hosts(spec, 'affinity')
        return not hosts or host_state.host in hosts


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """On a host with fewer of the group's members than the group's
    max_server_per_host rule (2.64; 1 without it: a host none is on)."""

    def host_passes(self, host_state: HostState,
                    spec: RequestSpec) -> bool:
        # One entry per member placed, so a host repeats per member.
        hosts = _group_hosts(spec, 'anti-affinity') or []
        return hosts.count(host_state.host) < spec.max_server_per_host()
