"""Where a request's server group is, at the moment the request is placed.

The request spec carries the group as the API saw it when the servers
were accepted; other requests into the same group may have been placed
since. Before placing, the scheduler reads the group's members again
(API database) and finds each member's host: in its cell's database, or,
for a member placed a moment ago whose instance the conductor has not
written to its cell yet, through the compute node its placement
allocation is on. `hosts` then holds one entry per member placed (a host
repeats when several members share it), and the scheduler appends each
host it picks for this request.

Since one scheduler process places one request at a time, two requests
into one anti-affinity group never end on one host through it; with
several schedulers the compute's late check catches the rest.
"""

from typing import Any

from oslo_log import log as logging

from nova import cells
from nova import context as nova_context
from nova.db.api import instance_groups
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova import exception
from nova.objects.request_spec import RequestSpec
from nova import placement_client

LOG = logging.getLogger(__name__)


def _cell_hosts(ctx: nova_context.RequestContext,
                uuids: list[str]) -> dict[str, str]:
    with engines.cell_reader(ctx.cell, ctx) as conn:
        found = instances.list_instances(
            conn, {'uuid': uuids, 'deleted': False}, ['created_at'],
            ['asc'])
    return {i.uuid: i.host for i in found if i.host}


def _node_hosts(ctx: nova_context.RequestContext,
                rp_uuids: list[str]) -> dict[str, str]:
    with engines.cell_reader(ctx.cell, ctx) as conn:
        # Each node matched one of rp_uuids, so none has a NULL uuid.
        return {n.uuid: n.host
                for n in compute_nodes.list_by_uuids(conn, rp_uuids)
                if n.uuid is not None}


def _gather(ctx: nova_context.RequestContext, fn: Any,
            arg: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    targets = [c for c in cells.load_cells(ctx) if not c.is_cell0]
    for cell_uuid, result in cells.scatter_gather(ctx, targets, fn,
                                                  arg).items():
        if cells.failed(result):
            LOG.warning('Server group hosts leave out cell %s: %s',
                        cell_uuid, result)
            continue
        out.update(result)
    return out


def _claimed_nodes(client: placement_client.PlacementClient,
                   uuids: list[str]) -> dict[str, str]:
    """{member uuid: provider uuid} of the members placement holds an
    allocation for."""
    out = {}
    for uuid in uuids:
        try:
            allocations = client.get_allocations(uuid).get('allocations')
        except placement_client.PlacementError as exc:
            LOG.warning('Cannot read the allocations of group member %s: '
                        '%s', uuid, exc)
            continue
        for rp_uuid in sorted(allocations or {}):
            out[uuid] = rp_uuid
            break
    return out


def refresh(ctx: nova_context.RequestContext, spec: RequestSpec,
            client: placement_client.PlacementClient,
            placing: list[str]) -> None:
    """Set spec.instance_group's members and hosts as they are now;
    `placing`: the uuids this request places (no host yet)."""
    group = spec.instance_group
    if not group or not group.get('uuid'):
        return
    try:
        with engines.api_reader(ctx) as conn:
            current = instance_groups.get_by_uuid(conn, group['uuid'])
    except exception.InstanceGroupNotFound:
        # Deleted after the servers were accepted: its policy still
        # applies to them, as the spec knows it.
        return
    others = [m for m in current.members if m not in set(placing)]
    hosts = _gather(ctx, _cell_hosts, others) if others else {}
    missing = [m for m in others if m not in hosts]
    if missing:
        claimed = _claimed_nodes(client, missing)
        if claimed:
            node_hosts = _gather(ctx, _node_hosts,
                                 sorted(set(claimed.values())))
            for member, rp_uuid in claimed.items():
                if rp_uuid in node_hosts:
                    hosts[member] = node_hosts[rp_uuid]
    group['members'] = list(current.members)
    group['policies'] = list(current.policies)
    group['rules'] = dict(current.rules)
    group['hosts'] = [hosts[m] for m in others if m in hosts]
    LOG.debug('Server group %s has members on %s', current.uuid,
              ', '.join(sorted(set(group['hosts']))) or 'no host yet')


def refresh_members(ctx: nova_context.RequestContext,
                    spec: RequestSpec) -> None:
    """Set spec.instance_group's members as they are now (for the
    compute's late check, which has no API database to ask)."""
    group = spec.instance_group
    if not group or not group.get('uuid'):
        return
    try:
        with engines.api_reader(ctx) as conn:
            group['members'] = list(instance_groups.get_by_uuid(
                conn, group['uuid']).members)
    except exception.InstanceGroupNotFound:
        pass
