"""Where a cell is: its message queue and its database.

A cell's transport_url and database_connection may be templates naming
parts of this host's own [DEFAULT] transport_url or [database] connection,
so that one cell mapping serves hosts that reach the same cell by different
addresses or credentials::

    mysql+pymysql://{username}:{password}@{hostname}/nova_cell1

The API database stores the template; `format_db_url` / `format_mq_url`
expand it with the local configuration whenever a mapping is loaded.
Keys: scheme, username, password, hostname, port, netloc, path, query,
fragment; with several hosts in the local URL (a,b,c) also username1,
hostname1, port1, password1, ... per host.
"""

from collections.abc import Callable
import dataclasses
import datetime
from typing import overload
from urllib import parse

from oslo_log import log as logging

from nova.conf import CONF
from nova.objects import base

LOG = logging.getLogger(__name__)

# cell0 holds instances that failed to build; it has a database but no
# message queue, and never any hosts.
CELL0_UUID = '00000000-0000-0000-0000-000000000000'


@dataclasses.dataclass
class CellMapping(base.Record):
    VERSION = '1.0'

    uuid: str
    id: int | None = None
    name: str | None = None
    transport_url: str | None = None
    database_connection: str | None = None
    disabled: bool = False
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None

    @property
    def is_cell0(self) -> bool:
        return self.uuid == CELL0_UUID


def _netloc_parts(netloc: str) -> dict:
    parsed = parse.urlsplit('//' + netloc)
    return {'username': parsed.username, 'password': parsed.password,
            'hostname': parsed.hostname, 'port': parsed.port}


def _expand(template: str, local: str) -> str:
    parsed = parse.urlsplit(local)
    subs = {'scheme': parsed.scheme, 'netloc': parsed.netloc,
            'path': parsed.path.lstrip('/'), 'query': parsed.query,
            'fragment': parsed.fragment}
    hosts = parsed.netloc.split(',')
    if len(hosts) > 1:
        # The first host's credentials fill the unnumbered keys.
        subs.update(_netloc_parts(hosts[0]))
        for index, netloc in enumerate(hosts, 1):
            subs.update({'%s%d' % (key, index): value
                         for key, value in _netloc_parts(netloc).items()})
    else:
        subs.update(_netloc_parts(parsed.netloc))
    return template.format(**subs)


def _format(template: str | None, local_url: Callable[[], str | None],
            what: str) -> str | None:
    if not template or '{' not in template:
        return template
    local = local_url()
    if not local:
        LOG.error('A cell mapping %s is a template, but this host has no '
                  '%s to fill it from', what, what)
        return template
    try:
        return _expand(template, local)
    except (KeyError, IndexError, ValueError) as exc:
        LOG.error('Cannot expand a cell mapping %s template (%s); using it '
                  'as it is', what, exc)
        return template


@overload
def format_db_url(template: str) -> str: ...
@overload
def format_db_url(template: None) -> None: ...
@overload
def format_db_url(template: str | None) -> str | None: ...


def format_db_url(template: str | None) -> str | None:
    """Expand a database_connection template with [database] connection."""
    return _format(template, lambda: CONF.database.connection,
                   '[database] connection')


@overload
def format_mq_url(template: str) -> str: ...
@overload
def format_mq_url(template: None) -> None: ...
@overload
def format_mq_url(template: str | None) -> str | None: ...


def format_mq_url(template: str | None) -> str | None:
    """Expand a transport_url template with [DEFAULT] transport_url."""
    return _format(template, local_transport_url, '[DEFAULT] transport_url')


def local_transport_url() -> str | None:
    """This host's [DEFAULT] transport_url, or None if not configured.

    oslo.messaging's default ('rabbit://', localhost) counts as not
    configured: a cell must never be mapped to a guess.
    """
    # Imported here: oslo.messaging drags in oslo.service and eventlet,
    # which processes that never expand a transport URL can do without.
    import oslo_messaging
    from oslo_messaging import opts as messaging_opts
    # oslo.messaging registers its options when it first reads the
    # configuration; making an (empty) TransportURL is a public way to
    # have it do so.
    oslo_messaging.TransportURL(CONF)
    url = CONF.transport_url
    default = next(opt.default for group, opts in messaging_opts.list_opts()
                   if group is None for opt in opts
                   if opt.name == 'transport_url')
    return url if url and url != default else None
