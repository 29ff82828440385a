"""The admin's server moves among POST /servers/{server_id}/action:

    {"evacuate": {"host": "cmp2", "adminPass": "..."}}    200
    {"os-migrateLive": {"host": null, "block_migration": "auto"}}   202

evacuate: 200, with {"adminPass": ...} before 2.14; 400 bad body, a
forced move with no host, the server's own host, its host still up, an
admin password on shared storage (before 2.14); 404 no such server or
host; 409 the server's state. os-migrateLive: 202; 400 bad body, unknown
host, a forced move with no host, and before 2.34 no valid host or a
host down; 409 locked or the server's state. Both are admin-only:
refused before the server is looked up (403, never 404). Scheduling and
the host checks run in the conductor: a move that cannot go leaves the
server where it was, with a fault (from 2.34 the API does not wait for
them).
"""

from oslo_utils import strutils
import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.api import fault
from nova.compute import api as compute_api
from nova.compute import server_moves
from nova import exception
from nova import policy
from nova.policies import server_moves as rules


def _bool(value) -> bool:
    return strutils.bool_from_string(value, strict=True)


def _force(args: dict, host: str | None) -> bool:
    force = _bool(args.get('force', False))
    if force and not host:
        raise fault.bad_request("Can't force to a non-provided destination")
    return force


def evacuate(req: webob.Request, server_id: str,
             body: dict) -> webob.Response:
    ctx = common.context(req)
    want = common.version(req)
    policy.authorize(ctx, rules.EVACUATE)
    args = body['evacuate']
    host = args.get('host')
    force = _force(args, host) if want.matches((2, 29)) else False
    password = args.get('adminPass')
    if want.matches((2, 14)):
        password = password or servers.generate_password()
    else:
        shared = _bool(args['onSharedStorage'])
        if 'adminPass' in args and shared:
            raise fault.bad_request(
                "admin password can't be changed on existing disk")
        if 'adminPass' not in args and not shared:
            password = servers.generate_password()
    if host is not None:
        try:
            compute_api.check_compute_host(ctx, host)
        except exception.ComputeHostNotFound:
            raise fault.not_found('Compute host %s not found.' % host)
    server = servers.get_authorized(ctx, rules.EVACUATE, server_id)
    if server.instance.host == host:
        raise fault.bad_request("The target host can't be the same one.")
    server_moves.evacuate(ctx, server_id, host, force, password)
    if want.matches((2, 14)):
        return common.empty(200)
    return common.json_response({'adminPass': password})


def migrate_live(req: webob.Request, server_id: str,
                 body: dict) -> webob.Response:
    ctx = common.context(req)
    want = common.version(req)
    policy.authorize(ctx, rules.MIGRATE_LIVE)
    args = body['os-migrateLive']
    host = args['host']
    force = _force(args, host) if want.matches((2, 30)) else False
    # "auto" (2.25): the fake driver moves any guest the same way.
    block_migration = (args['block_migration'] != 'auto'
                       and _bool(args['block_migration']))
    servers.get_authorized(ctx, rules.MIGRATE_LIVE, server_id)
    try:
        server_moves.live_migrate(ctx, server_id, host, block_migration,
                                  force, wait=not want.matches((2, 34)))
    except (exception.ComputeHostNotFound, exception.NoValidHost) as exc:
        raise fault.bad_request(str(exc))
    return common.empty(202)
