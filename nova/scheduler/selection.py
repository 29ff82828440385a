"""select_destinations: pick a host for each instance of a request spec
and claim its resources in placement before answering.

For one request: ask placement for allocation candidates, build the host
states of the compute nodes it offered, and for each instance filter and
weigh them, then claim on the best host with its candidate's allocation
request, going down the list when placement refuses (409: someone else
took the room meanwhile). Each answer is the claimed host followed by up
to [scheduler] max_attempts - 1 alternates from the same cell, so that a
failed build can be retried without scheduling again.

A process places one request at a time: its choices are then made on
placement's numbers as they stand, and the parallel requests of one
scheduler never race each other to the same last slot (another
scheduler process still may; a 409 then sends us to the next host).
"""

import json
import threading
from typing import Any

from oslo_log import log as logging

from nova.conf import CONF
from nova import context as nova_context
from nova import exception
from nova.objects.request_spec import RequestSpec
from nova.objects.selection import Selection
from nova import placement_client
from nova.scheduler import filters
from nova.scheduler import host_state
from nova.scheduler import request as request_mod
from nova.scheduler import server_group
from nova.scheduler import weighers

LOG = logging.getLogger(__name__)

NO_HOSTS = 'There are not enough hosts available.'

# rp uuid -> resource class -> free amount, as this request sees it.
Free = dict[str, dict[str, int]]


def _fits(allocation_request: dict, free: Free) -> bool:
    return all(free.get(rp, {}).get(rc, 0) >= amount
               for rp, alloc in allocation_request['allocations'].items()
               for rc, amount in alloc['resources'].items())


def _consume(allocation_request: dict, free: Free) -> None:
    for rp, alloc in allocation_request['allocations'].items():
        for rc, amount in alloc['resources'].items():
            rp_free = free.setdefault(rp, {})
            rp_free[rc] = rp_free.get(rc, 0) - amount


def _restricted(hosts: list[host_state.HostState],
                spec: RequestSpec) -> tuple[list[host_state.HostState], bool]:
    """The hosts the spec allows at all (ignored, forced and requested
    hosts and nodes), and whether filters are skipped (forced)."""
    hosts = [h for h in hosts if h.host not in spec.ignore_hosts]
    destination = spec.requested_destination
    if destination is not None:
        hosts = [h for h in hosts
                 if (not destination.host or h.host == destination.host)
                 and (not destination.node or h.nodename == destination.node)]
    forced = bool(spec.force_hosts or spec.force_nodes)
    if spec.force_hosts:
        hosts = [h for h in hosts if h.host in spec.force_hosts]
    if spec.force_nodes:
        hosts = [h for h in hosts if h.nodename in spec.force_nodes]
    return hosts, forced


class Scheduler:
    """The filter scheduler of one nova-scheduler process."""

    def __init__(self, client: placement_client.PlacementClient | None = None
                 ) -> None:
        self.client = client or placement_client.client()
        self.filters = filters.load(CONF.filter_scheduler.enabled_filters)
        self.weighers = weighers.all_weighers()
        self._lock = threading.Lock()

    def select_destinations(self, ctx: nova_context.RequestContext,
                            spec: RequestSpec,
                            instance_uuids: list[str] | None
                            ) -> list[list[Selection]]:
        """[[chosen, alternate, ...] per instance]; resources of each
        chosen host are claimed for its instance (nothing is claimed
        without instance_uuids). All or nothing: NoValidHost (and no
        claim left behind) if any instance finds no host."""
        query = request_mod.from_spec(spec).query_string()
        with self._lock:
            try:
                candidates = self.client.get_allocation_candidates(query)
            except placement_client.PlacementError as exc:
                LOG.error('Cannot get allocation candidates: %s', exc)
                raise exception.NoValidHost(
                    reason='Placement could not be asked for hosts.')
            requests = candidates['allocation_requests']
            if not requests:
                LOG.info('Placement has no candidates for %s', query)
                raise exception.NoValidHost(reason=NO_HOSTS)
            free = {rp: host_state.free_from_summary(summary) for rp, summary
                    in candidates['provider_summaries'].items()}
            destination = spec.requested_destination
            hosts = host_state.host_states(
                ctx, free, destination.cell_uuid if destination else None)
            server_group.refresh(ctx, spec, self.client,
                                 list(instance_uuids or []))
            return self._place(spec, instance_uuids, requests, hosts, free)

    def _place(self, spec: RequestSpec, instance_uuids: list[str] | None,
               requests: list[dict], hosts: list[host_state.HostState],
               free: Free) -> list[list[Selection]]:
        by_node: dict[str, list[dict]] = {}
        for request in requests:
            for rp in request['allocations']:
                by_node.setdefault(rp, []).append(request)
        hosts, forced = _restricted(hosts, spec)
        count = len(instance_uuids) if instance_uuids else spec.num_instances
        refused: set[str] = set()  # nodes placement turned a claim down on
        claimed: list[str] = []
        answer = []
        try:
            for index in range(count):
                uuid = instance_uuids[index] if instance_uuids else None
                answer.append(self._place_one(spec, uuid, hosts, forced,
                                              by_node, free, refused))
                if uuid:
                    claimed.append(uuid)
        except Exception:
            # Undo the claims of a request that failed part way.
            for claimed_uuid in claimed:
                self.client.free_allocations(claimed_uuid)
            raise
        return answer

    def _usable(self, host: host_state.HostState, by_node: dict,
                free: Free, refused: set[str]) -> dict | None:
        """The first of the node's allocation requests that still fits."""
        if host.uuid in refused:
            return None
        for request in by_node.get(host.uuid, []):
            if _fits(request, free):
                return request
        return None

    def _place_one(self, spec: RequestSpec, uuid: str | None,
                   hosts: list[host_state.HostState], forced: bool,
                   by_node: dict, free: Free,
                   refused: set[str]) -> list[Selection]:
        passing = hosts
        if not forced:
            for host_filter in self.filters:
                passing = host_filter.filter_all(passing, spec)
        ranked = [h for _, h in weighers.weigh(self.weighers, passing, spec)]
        for position, host in enumerate(ranked):
            request = self._usable(host, by_node, free, refused)
            if request is None:
                continue
            if uuid:
                # The specs of servers name their owner (compute.create,
                # and compute.api's spec of a resize).
                assert (spec.project_id is not None
                        and spec.user_id is not None)
                if not self.client.claim(uuid, request['allocations'],
                                         spec.project_id, spec.user_id):
                    LOG.info('Placement refused the claim for %s on %s; '
                             'trying the next host', uuid, host.nodename)
                    refused.add(host.uuid)
                    continue
            _consume(request, free)
            if uuid:
                host.instances.add(uuid)
            if spec.instance_group is not None:
                spec.instance_group.setdefault('hosts', []).append(host.host)
            LOG.info('Scheduled %s on %s (%s)', uuid or 'an instance',
                     host.host, host.nodename)
            return [_selection(host, request)] + self._alternates(
                host, ranked[position + 1:], by_node, free, refused)
        LOG.info('No host of %d candidates (%d after filters) can take %s',
                 len(hosts), len(passing), uuid or 'the instance')
        raise exception.NoValidHost(reason=NO_HOSTS)

    def _alternates(self, chosen: host_state.HostState,
                    rest: list[host_state.HostState], by_node: dict,
                    free: Free, refused: set[str]) -> list[Selection]:
        out: list[Selection] = []
        for host in rest:
            if len(out) >= CONF.scheduler.max_attempts - 1:
                break
            if host.cell_uuid != chosen.cell_uuid:
                continue
            request = self._usable(host, by_node, free, refused)
            if request is not None:
                out.append(_selection(host, request))
        return out


def _selection(host: host_state.HostState, request: dict) -> Selection:
    return Selection(
        compute_node_uuid=host.uuid, service_host=host.host,
        nodename=host.nodename, cell_uuid=host.cell_uuid,
        limits=dict(host.limits),
        allocation_request=json.dumps(request),
        allocation_request_version=placement_client.MICROVERSION)


def legacy_dicts(selections: list[list[Selection]]) -> list[dict[str, Any]]:
    """The chosen hosts in the answer format of callers that do not take
    Selection records: [{'host', 'nodename', 'limits'}]."""
    return [{'host': s[0].service_host, 'nodename': s[0].nodename,
             'limits': s[0].limits or {}} for s in selections]
