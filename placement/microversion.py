"""Placement API microversions: the single list of what each version adds,
and the parsing of the `OpenStack-API-Version: placement X.Y` header."""

import re

from servicekit import microversion
# Also named by this module's callers, through it.
from servicekit.microversion import (InvalidVersion, UnacceptableVersion,
                                     Version, parse)

SERVICE_TYPE = 'placement'
HEADER = 'openstack-api-version'

VERSIONS = [
    '1.0',   # the original API
    '1.1',   # resource provider aggregates
    '1.2',   # custom resource classes
    '1.3',   # member_of on GET /resource_providers
    '1.4',   # resources filter on GET /resource_providers
    '1.5',   # DELETE /resource_providers/{uuid}/inventories
    '1.6',   # traits
    '1.7',   # PUT /resource_classes/{name} creates, no body
    '1.8',   # project_id and user_id required when writing allocations
    '1.9',   # GET /usages
    '1.10',  # GET /allocation_candidates
    '1.11',  # allocations link on resource providers
    '1.12',  # PUT /allocations/{consumer} takes the dict format
    '1.13',  # POST /allocations for many consumers
    '1.14',  # nested providers: parent and root provider uuids, in_tree
    '1.15',  # last-modified and cache-control headers
    '1.16',  # limit on GET /allocation_candidates
    '1.17',  # required traits on GET /allocation_candidates
    '1.18',  # required traits on GET /resource_providers
    '1.19',  # aggregates carry the provider generation
    '1.20',  # POST /resource_providers answers 200 with the provider
    '1.21',  # member_of on GET /allocation_candidates
    '1.22',  # forbidden traits (!TRAIT)
    '1.23',  # error codes in error bodies
    '1.24',  # several member_of parameters
    '1.25',  # granular request groups
    '1.26',  # inventories may have reserved equal to total
    '1.27',  # allocatable resources in provider summaries
    '1.28',  # consumer generations
    '1.29',  # nested and sharing providers in allocation candidates
    '1.30',  # POST /reshaper
    '1.31',  # in_tree on allocation candidates
    '1.32',  # forbidden aggregates (member_of=!)
    '1.33',  # request group suffixes of any string
    '1.34',  # mappings in allocation requests
    '1.35',  # root_required
    '1.36',  # same_subtree
    '1.37',  # re-parenting and un-parenting providers
    '1.38',  # consumer types
    '1.39',  # any-of traits (required=in:A,B) in every group
]

_VERSION_RE = re.compile(r'^([1-9]\d*|0)\.([1-9]\d*|0)$')

MIN_VERSION, MAX_VERSION = microversion.bounds(VERSIONS)


def from_header(value: str | None) -> Version:
    """The version a request asks for, given its openstack-api-version
    header value (None when absent): MIN_VERSION when it names none;
    InvalidVersion if not X.Y, UnacceptableVersion if out of range."""
    wanted = microversion.requested(
        {'HTTP_OPENSTACK_API_VERSION': value} if value else {}, SERVICE_TYPE)
    if wanted is None:
        return MIN_VERSION
    if wanted == 'latest':
        return MAX_VERSION
    if not _VERSION_RE.match(wanted):
        raise InvalidVersion('invalid version string: %s' % wanted)
    version = parse(wanted)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise UnacceptableVersion('Unacceptable version header: %s' % wanted)
    return version
