"""Messaging between Nova services, on oslo.messaging.

There is one message queue per cell plus the API's (the super conductor
and the scheduler listen there): a context targeted at a cell carries the
cell mapping, whose transport_url names that cell's broker or vhost. So a
process may need several transports; each is opened on first use and kept
for the life of the process::

    client = rpc.get_client(target, version_cap='1.0',
                            transport_url=rpc.transport_url_of(ctx))
    server = rpc.get_server(target, [manager], rpc.get_transport())

Records (nova.objects.base.Record) travel as their versioned primitives
and the request context as a dict: `Serializer` does both. Servers run on
oslo.messaging's threading executor (native threads, no eventlet).
"""

import threading
from typing import Any, ClassVar

from oslo_log import log as logging
import oslo_messaging as messaging

from nova import context as nova_context
from nova.conf import CONF
from nova.objects import base

LOG = logging.getLogger(__name__)

# Exceptions of these modules are re-raised as themselves in the caller
# (others arrive as oslo.messaging's RemoteError).
ALLOWED_EXMODS = ['nova.exception']

_lock = threading.Lock()
_transports: dict[str, messaging.Transport] = {}


def get_transport(url: str | None = None) -> messaging.Transport:
    """The RPC transport for `url` ([DEFAULT] transport_url if None),
    opened once per URL. `fake://` is oslo.messaging's in-process driver:
    one process, no broker (tests and the all-in-one)."""
    url = url or CONF.transport_url
    with _lock:
        transport = _transports.get(url)
        if transport is None:
            transport = messaging.get_rpc_transport(
                CONF, url=url, allowed_remote_exmods=ALLOWED_EXMODS)
            _transports[url] = transport
            LOG.info('Opened RPC transport %s', _safe(url))
        return transport


def transport_url_of(ctx: Any) -> str | None:
    """The transport URL of the cell `ctx` targets (None: this host's own
    [DEFAULT] transport_url, the API's message queue)."""
    cell = getattr(ctx, 'cell', None)
    return getattr(cell, 'transport_url', None) if cell is not None else None


def get_client(target: messaging.Target, version_cap: str | None = None,
               transport_url: str | None = None,
               timeout: int | None = None) -> messaging.RPCClient:
    """A client sending to `target` over the transport of
    `transport_url`, never above `version_cap`."""
    return messaging.get_rpc_client(
        get_transport(transport_url), target, version_cap=version_cap,
        serializer=Serializer(), timeout=timeout)


def get_server(target: messaging.Target, endpoints: list,
               transport: messaging.Transport | None = None
               ) -> messaging.MessageHandlingServer:
    """An RPC server for `endpoints` on `target` (start() it), dispatching
    each message on a native thread."""
    # oslo.messaging picks its threading executor by itself when nothing
    # is monkey-patched (naming it is deprecated).
    return messaging.get_rpc_server(
        transport or get_transport(), target, endpoints,
        serializer=Serializer(),
        access_policy=messaging.ExplicitRPCAccessPolicy)


def cleanup() -> None:
    """Close every transport (at shutdown, or between tests)."""
    with _lock:
        for transport in _transports.values():
            transport.cleanup()
        _transports.clear()


class RPCAPI:
    """The client side of one service's RPC API.

    A subclass names its TOPIC and its newest VERSION, with the history of
    versions in comments. It sends at most `version_cap` (by default
    [upgrade_levels] <topic>), so that during a rolling upgrade new
    callers talk to old services; a method added or extended after 1.0
    asks `can_send_version()` and falls back to the older form. Clients
    are per transport: a context targeted at a cell talks to that cell's
    message queue.
    """

    TOPIC: ClassVar[str]
    VERSION: ClassVar[str]

    def __init__(self, version_cap: str | None = None,
                 timeout: int | None = None) -> None:
        self.version_cap = (version_cap or
                            getattr(CONF.upgrade_levels, self.TOPIC))
        self.timeout = timeout
        self._clients: dict[str | None, messaging.RPCClient] = {}
        self._lock = threading.Lock()
        if self.version_cap:
            LOG.info('%s RPC API capped at version %s', self.TOPIC,
                     self.version_cap)

    def client(self, ctx: Any) -> messaging.RPCClient:
        url = transport_url_of(ctx)
        with self._lock:
            client = self._clients.get(url)
            if client is None:
                client = self._clients[url] = get_client(
                    messaging.Target(topic=self.TOPIC, version='1.0'),
                    version_cap=self.version_cap, transport_url=url,
                    timeout=self.timeout)
            return client

    def ping(self, ctx: Any, arg: Any, server: str | None = None,
             timeout: int | None = None) -> dict:
        """Ask one service on the topic (`server`, or any) to echo `arg`;
        raises oslo.messaging's MessagingTimeout if none answers."""
        cctxt = self.client(ctx).prepare(server=server, timeout=timeout)
        return cctxt.call(ctx, 'ping', arg=arg)


class Serializer(messaging.Serializer):
    """Records as tagged primitives, the context as a dict."""

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        # The records module's own walk: records (nested too) and
        # datetimes become JSON-safe.
        return base._dump(entity)

    def deserialize_entity(self, ctxt: Any, entity: Any) -> Any:
        if isinstance(entity, dict):
            if base.NAME in entity:
                return base.Record.from_primitive(entity)
            return {k: self.deserialize_entity(ctxt, v)
                    for k, v in entity.items()}
        if isinstance(entity, (list, tuple)):
            return [self.deserialize_entity(ctxt, v) for v in entity]
        return entity

    def serialize_context(self, ctxt: Any) -> dict:
        return ctxt.to_dict()

    def deserialize_context(self, ctxt: dict) -> nova_context.RequestContext:
        return nova_context.RequestContext.from_dict(ctxt)


def _safe(url: str) -> str:
    """`url` without its credentials, for logs."""
    try:
        parsed = messaging.TransportURL.parse(CONF, url)
    except messaging.InvalidTransportURL:
        return '(invalid URL)'
    hosts = ','.join('%s:%s' % (h.hostname, h.port) for h in parsed.hosts)
    return '%s://%s/%s' % (parsed.transport, hosts, parsed.virtual_host or '')
