"""/os-availability-zone: the zones services are in, available when one
of their services is enabled. The plain list hides the internal zone of
non-compute services; /detail (admins) shows it, with each host's
services.
"""

from typing import Any

from oslo_utils import timeutils
import webob

from nova.api.compute import common
from nova import availability_zones as azs
from nova.compute import hosts
from nova.conf import CONF
from nova.db.main import services as services_db
from nova import policy
from nova.policies import availability_zones as rules

_API_BINARIES = ('nova-osapi_compute', 'nova-ec2', 'nova-metadata')


def _zones(ctx: Any) -> tuple[list, list[str], list[str], dict[str, str]]:
    svcs = [svc for _cell, svc in hosts.all_services(ctx)]
    zones_map = azs.host_zones(ctx)
    available, unavailable = azs.zones(svcs, zones_map)
    return svcs, available, unavailable, zones_map


def index(req: webob.Request) -> webob.Response:
    """200 {"availabilityZoneInfo": [{zoneName, zoneState: {available},
    hosts: null}]}: available zones first."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.LIST)
    _svcs, available, unavailable, _map = _zones(ctx)
    internal = CONF.internal_service_availability_zone
    return common.json_response({'availabilityZoneInfo': [
        {'zoneName': zone, 'zoneState': {'available': is_up},
         'hosts': None}
        for zones, is_up in ((available, True), (unavailable, False))
        for zone in zones if zone != internal]})


def detail(req: webob.Request) -> webob.Response:
    """200: as index with the internal zone, and for each available zone
    {host: {binary: {available, active, updated_at}}} of its enabled
    services. 403 not admin."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.DETAIL)
    svcs, available, unavailable, zones_map = _zones(ctx)
    now = timeutils.utcnow().replace(tzinfo=None)
    by_zone: dict[str, dict[str, dict]] = {}
    for svc in svcs:
        if svc.disabled or svc.binary in _API_BINARIES:
            continue
        zone = azs.service_zone(svc, zones_map)
        by_zone.setdefault(zone, {}).setdefault(svc.host, {})[
            svc.binary] = {
                'available': services_db.is_up(svc, now,
                                               CONF.service_down_time),
                'active': not svc.disabled,
                'updated_at': common.usage_time(svc.updated_at)}
    info = [{'zoneName': zone, 'zoneState': {'available': True},
             'hosts': by_zone.get(zone, {})} for zone in available]
    info += [{'zoneName': zone, 'zoneState': {'available': False},
              'hosts': None} for zone in unavailable]
    return common.json_response({'availabilityZoneInfo': info})
