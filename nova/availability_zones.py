"""Availability zones: a compute host is in the zone its aggregates'
`availability_zone` metadata names, else in [DEFAULT]
default_availability_zone; every other service is in
[DEFAULT] internal_service_availability_zone.

The host -> zone map is read in one query and kept for CACHE_SECONDS per
process; this process's aggregate changes drop it at once (another API
worker sees them within CACHE_SECONDS).
"""

import dataclasses
import threading
import time
from typing import Any

from nova.compute import hosts
from nova.conf import CONF
from nova.db.api import aggregates
from nova.db import engines
from nova import exception
from nova.objects.instance import Instance
from nova.objects.service import Service

CACHE_SECONDS = 10
# Not shown among a zone's hosts.
_API_BINARIES = ('nova-osapi_compute', 'nova-ec2', 'nova-metadata')

_lock = threading.Lock()
_cache: tuple[float, dict[str, str]] | None = None


def host_zones(ctx: Any = None) -> dict[str, str]:
    """{host: its zone} for the hosts some aggregate puts in a zone (a
    host in several differently named zones reads "a,b", as upstream)."""
    global _cache
    with _lock:
        if _cache is not None and time.monotonic() - _cache[0] < (
                CACHE_SECONDS):
            return _cache[1]
    with engines.api_reader(ctx) as conn:
        zones = {host: ','.join(sorted(names)) for host, names
                 in aggregates.zones_by_host(conn).items()}
    with _lock:
        _cache = (time.monotonic(), zones)
    return zones


def reset_cache() -> None:
    global _cache
    with _lock:
        _cache = None


def host_zone(host: str, zones: dict[str, str] | None = None) -> str:
    zones = host_zones() if zones is None else zones
    return zones.get(host, CONF.default_availability_zone)


def service_zone(service: Service, zones: dict[str, str]) -> str:
    if service.binary == 'nova-compute':
        return host_zone(service.host, zones)
    return CONF.internal_service_availability_zone


def instance_zone(instance: Instance) -> str | None:
    """The zone of the host the instance is on; before it has one, the
    zone it was asked to boot in (if any)."""
    if instance.host:
        return host_zone(instance.host)
    return instance.availability_zone


def zones(services: list[Service], zones_map: dict[str, str]
          ) -> tuple[list[str], list[str]]:
    """(zones with an enabled service, zones whose services are all
    disabled), each in the order the services come."""
    return _split([(service_zone(svc, zones_map), svc.disabled)
                   for svc in services])


def _split(pairs: list[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    """zones() of (zone, disabled) pairs."""
    available: list[str] = []
    unavailable: list[str] = []
    for zone, disabled in pairs:
        if not disabled and zone not in available:
            available.append(zone)
    for zone, disabled in pairs:
        if disabled and zone not in available and zone not in unavailable:
            unavailable.append(zone)
    return available, unavailable


@dataclasses.dataclass
class Zone:
    """A zone, whether it is available, and its enabled services but
    nova-api's (none when it is not available)."""
    name: str
    available: bool
    # Quoted: nova.compute.hosts imports this module while it loads.
    services: list['hosts.ServiceState']


def list_zones(ctx: Any) -> list[Zone]:
    """The zones services are in, available ones first (each in the
    order the services come)."""
    states = hosts.service_states(ctx)
    available, unavailable = _split(
        [(state.zone, state.service.disabled) for state in states])
    shown: dict[str, list[hosts.ServiceState]] = {}
    for state in states:
        if not state.service.disabled and (
                state.service.binary not in _API_BINARIES):
            shown.setdefault(state.zone, []).append(state)
    return ([Zone(zone, True, shown.get(zone, [])) for zone in available]
            + [Zone(zone, False, []) for zone in unavailable])


def check_requested(ctx: Any, zone: str) -> None:
    """AvailabilityZoneNotAvailable unless some enabled service is in
    `zone` (what a server create may ask for)."""
    services = [svc for _cell, svc in hosts.all_services(ctx)]
    available, _unavailable = zones(services, host_zones(ctx))
    if zone not in available:
        raise exception.AvailabilityZoneNotAvailable()
