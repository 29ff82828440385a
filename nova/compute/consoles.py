"""Remote consoles, the API's side: a link to a server's console (its
compute hands one out: nova.compute.console_auth) and looking a token up
again (os-console-auth-tokens).
"""

from typing import Any

from oslo_log import log as logging

from nova.compute import api as compute_api
from nova.compute import hosts
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.db.main import console_auth_tokens as tokens_db
from nova import exception

LOG = logging.getLogger(__name__)


def get_console(ctx: Any, uuid: str, protocol: str,
                console_type: str) -> str:
    """The link to a `protocol` console of `console_type` on the server:
    InstanceNotReady (409) while it has no host, InstanceInvalidState
    (409) while it is being deleted or migrated; ConsoleTypeUnavailable
    or ConsoleTypeInvalid (400); NotImplementedError when its driver has
    no such console."""
    server = compute_api.get(ctx, uuid)
    instance = server.instance
    if not server.scheduled or not instance.host:
        raise exception.InstanceNotReady(instance_id=uuid)
    if instance.task_state in (states.DELETING, states.MIGRATING):
        raise exception.InstanceInvalidState(
            action='get_%s_console' % protocol, instance_uuid=uuid,
            attr='task_state', state=instance.task_state)
    with compute_api.in_cell(ctx, server) as cctx:
        url = compute_rpcapi.ComputeAPI().get_console(
            cctx, instance, protocol, console_type)
    LOG.info('%s console of server %s handed out', console_type, uuid)
    return url


def validate_token(ctx: Any, token: str) -> tokens_db.ConsoleAuthToken:
    """The connection details of an unexpired `token`, looked for in
    every cell (a token names no cell); ConsoleTokenNotFound."""
    def read(conn: Any) -> list[tokens_db.ConsoleAuthToken]:
        found = tokens_db.validate(conn, token)
        return [found] if found is not None else []
    for _cell, record in hosts.gather(ctx, read):
        return record
    raise exception.ConsoleTokenNotFound()
