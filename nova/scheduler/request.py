"""A request spec as placement's GET /allocation_candidates query.

Resources come from the flavor (VCPU, MEMORY_MB, and DISK_GB = root +
ephemeral + swap rounded up to GiB, without the root disk when booting
from volume), overridden by `resources:CLASS=N` extra specs (N=0 drops a
class). Traits come from `trait:NAME=required|forbidden` extra specs and
`trait:NAME=required` image properties, and from what the server's
volumes need (the spec's root_required). A requested destination's
aggregates become member_of. Malformed entries are logged and skipped,
so that a bad extra spec never stops a boot.
"""

import dataclasses
import math
import re
from urllib import parse

import os_resource_classes as orc
from oslo_log import log as logging

from nova.conf import CONF
from nova.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)

_CUSTOM = re.compile(r'^CUSTOM_[A-Z0-9_]+$')
_TRAIT_VALUES = ('required', 'forbidden')


@dataclasses.dataclass
class ResourceRequest:
    resources: dict[str, int] = dataclasses.field(default_factory=dict)
    required_traits: set[str] = dataclasses.field(default_factory=set)
    forbidden_traits: set[str] = dataclasses.field(default_factory=set)
    # Each entry: comma-separated aggregate uuids, any of which will do.
    member_of: list[str] = dataclasses.field(default_factory=list)
    limit: int | None = None

    def query_params(self) -> list[tuple[str, str]]:
        """The query as (name, value) pairs, in a stable order."""
        params = [('resources', ','.join(
            '%s:%d' % (rc, amount)
            for rc, amount in sorted(self.resources.items())))]
        traits = (sorted(self.required_traits)
                  + ['!' + t for t in sorted(self.forbidden_traits)])
        if traits:
            params.append(('required', ','.join(traits)))
        params.extend(('member_of', 'in:' + aggs) for aggs in self.member_of)
        if self.limit is not None:
            params.append(('limit', str(self.limit)))
        return params

    def query_string(self) -> str:
        return parse.urlencode(self.query_params())


def flavor_resources(spec: RequestSpec) -> dict[str, int]:
    """VCPU, MEMORY_MB and DISK_GB the flavor asks for, zeros left out."""
    flavor = spec.flavor
    disk = (flavor.ephemeral_gb + math.ceil((flavor.swap or 0) / 1024)
            + (0 if spec.is_bfv else flavor.root_gb))
    amounts = {orc.VCPU: flavor.vcpus, orc.MEMORY_MB: flavor.memory_mb,
               orc.DISK_GB: disk}
    return {rc: amount for rc, amount in amounts.items() if amount}


def _valid_class(rc: str) -> bool:
    return rc in orc.STANDARDS or bool(_CUSTOM.match(rc))


def _resource_override(key: str, value: str) -> tuple[str, int] | None:
    rc = key[len('resources:'):]
    if not _valid_class(rc):
        LOG.warning('Ignoring extra spec %s: %s is not a resource class',
                    key, rc)
        return None
    try:
        amount = int(value)
    except (TypeError, ValueError):
        amount = -1
    if amount < 0:
        LOG.warning('Ignoring extra spec %s=%s: the amount must be a '
                    'non-negative integer', key, value)
        return None
    return rc, amount


def _trait(key: str, value: str, allowed: tuple[str, ...],
           source: str) -> tuple[str, str] | None:
    name = key[len('trait:'):]
    if value not in allowed:
        LOG.warning('Ignoring %s %s=%s: the value must be one of %s',
                    source, key, value, ', '.join(allowed))
        return None
    return name, value


def from_spec(spec: RequestSpec) -> ResourceRequest:
    """The placement query for one instance of `spec`."""
    request = ResourceRequest(resources=flavor_resources(spec),
                              limit=CONF.scheduler.max_placement_results)
    for key, value in sorted((spec.flavor.extra_specs or {}).items()):
        if key.startswith('resources:'):
            override = _resource_override(key, value)
            if override is not None:
                rc, amount = override
                request.resources[rc] = amount
        elif key.startswith('trait:'):
            trait = _trait(key, value, _TRAIT_VALUES, 'extra spec')
            if trait is not None:
                name, wish = trait
                (request.required_traits if wish == 'required'
                 else request.forbidden_traits).add(name)
    properties = (spec.image or {}).get('properties') or {}
    for key, value in sorted(properties.items()):
        if key.startswith('trait:'):
            trait = _trait(key, value, ('required',), 'image property')
            if trait is not None:
                request.required_traits.add(trait[0])
    request.required_traits.update(spec.root_required)
    request.resources = {rc: amount for rc, amount
                         in request.resources.items() if amount}
    destination = spec.requested_destination
    if destination is not None and destination.aggregates:
        request.member_of = list(destination.aggregates)
    return request
