"""/os-availability-zone: the zones services are in, available when one
of their services is enabled. The plain list hides the internal zone of
non-compute services; /detail (admins) shows it, with each host's
services.
"""

import webob

from nova.api.compute import common
from nova import availability_zones as azs
from nova.conf import CONF
from nova import policy
from nova.policies import availability_zones as rules


def index(req: webob.Request) -> webob.Response:
    """200 {"availabilityZoneInfo": [{zoneName, zoneState: {available},
    hosts: null}]}: available zones first."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.LIST)
    internal = CONF.internal_service_availability_zone
    return common.json_response({'availabilityZoneInfo': [
        {'zoneName': zone.name, 'zoneState': {'available': zone.available},
         'hosts': None}
        for zone in azs.list_zones(ctx) if zone.name != internal]})


def _hosts(zone: azs.Zone) -> dict[str, dict] | None:
    """{host: {binary: {available, active, updated_at}}} of an available
    zone's services."""
    if not zone.available:
        return None
    out: dict[str, dict] = {}
    for state in zone.services:
        svc = state.service
        out.setdefault(svc.host, {})[svc.binary] = {
            'available': state.up, 'active': not svc.disabled,
            'updated_at': common.usage_time(svc.updated_at)}
    return out


def detail(req: webob.Request) -> webob.Response:
    """200: as index with the internal zone, and for each available zone
    {host: {binary: {available, active, updated_at}}} of its enabled
    services. 403 not admin."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.DETAIL)
    return common.json_response({'availabilityZoneInfo': [
        {'zoneName': zone.name, 'zoneState': {'available': zone.available},
         'hosts': _hosts(zone)} for zone in azs.list_zones(ctx)]})
