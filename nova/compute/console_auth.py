"""Handing out a remote console, on the compute: which console type each
protocol offers and where its link points, and the token stored for it
in the cell database (see nova.compute.consoles for the API's side).

A console link is the protocol's proxy URL ([vnc] novncproxy_base_url,
...) with the token; the proxy asks for the token's connection details.
A protocol whose option group is not enabled is ConsoleTypeUnavailable;
a type the protocol does not offer, ConsoleTypeInvalid (both 400).
"""

import dataclasses
import time
from typing import Any
import urllib.parse

from oslo_utils import uuidutils

from nova.conf import CONF
from nova.db.main import console_auth_tokens as tokens_db
from nova import exception
from nova.objects.instance import Instance
from nova.virt import driver as virt_driver


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
