"""Remote consoles: which console type each protocol offers and where its
link points, handing one out (the compute asks its driver where the
guest's console listens, stores a token for it and answers the link),
and looking a token up again (os-console-auth-tokens).

A console link is the protocol's proxy URL ([vnc] novncproxy_base_url,
...) with the token; the proxy asks for the token's connection details.
A protocol whose option group is not enabled is ConsoleTypeUnavailable;
a type the protocol does not offer, ConsoleTypeInvalid (both 400).
"""

import dataclasses
import time
from typing import Any
import urllib.parse

from oslo_log import log as logging
from oslo_utils import uuidutils

from nova.compute import api as compute_api
from nova.compute import hosts
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import states
from nova.conf import CONF
from nova.db.main import console_auth_tokens as tokens_db
from nova import exception
from nova.objects.instance import Instance
from nova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Protocol:
    group: str        # its option group, with `enabled`
    url_option: str   # the option of that group holding the proxy URL
    types: tuple[str, ...]


PROTOCOLS = {
    'vnc': Protocol('vnc', 'novncproxy_base_url', ('novnc',)),
    'spice': Protocol('spice', 'html5proxy_base_url', ('spice-html5',)),
    'serial': Protocol('serial_console', 'base_url', ('serial',)),
    'rdp': Protocol('rdp', 'html5_proxy_base_url', ('rdp-html5',)),
    'mks': Protocol('mks', 'mksproxy_base_url', ('webmks',)),
}


def proxy_url(protocol: str, console_type: str) -> str:
    """The proxy URL a `console_type` console of `protocol` links to;
    ConsoleTypeUnavailable or ConsoleTypeInvalid."""
    spec = PROTOCOLS[protocol]
    group = getattr(CONF, spec.group)
    if not group.enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    if console_type not in spec.types:
        raise exception.ConsoleTypeInvalid(console_type=console_type)
    return getattr(group, spec.url_option)


def access_url(base: str, console_type: str, token: str) -> str:
    # noVNC (from 1.1) reads the token inside its 'path' parameter.
    if console_type == 'novnc':
        return '%s?%s' % (base, urllib.parse.urlencode(
            {'path': '?token=%s' % token}))
    return '%s?token=%s' % (base, token)


def authorize(conn: Any, instance: Instance, console_type: str,
              base: str, info: virt_driver.ConsoleInfo) -> str:
    """Store a new token for `info` (valid [consoleauth] token_ttl
    seconds) in the cell database of `conn`; the console's link."""
    token = uuidutils.generate_uuid()
    tokens_db.create(conn, token, tokens_db.ConsoleAuthToken(
        console_type=console_type, host=info.host, port=info.port,
        internal_access_path=info.internal_access_path,
        access_url_base=base, instance_uuid=instance.uuid,
        expires=int(time.time()) + CONF.consoleauth.token_ttl))
    return access_url(base, console_type, token)


# -- the API's side


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
