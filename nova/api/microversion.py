"""Compute API microversions: the single list of what each version changed,
and their negotiation through `OpenStack-API-Version: compute X.Y` (2.27+)
or `X-OpenStack-Nova-API-Version: X.Y`.

A version is advertised here only once every route the API serves honours
it: a route added later must implement each change below that touches it.
"""

import re

from servicekit import microversion
# Also named by this module's callers, through it.
from servicekit.microversion import (InvalidVersion, UnacceptableVersion,
                                     Version, parse)

SERVICE_TYPE = 'compute'
HEADER = 'OpenStack-API-Version'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'

VERSIONS = [
    '2.1',   # the v2.1 API: v2's resources with strict request validation
    '2.2',   # keypair type (ssh, x509); keypair create answers 201
    '2.3',   # more extended server attributes for admins; a server's
             # volumes_attached show delete_on_termination
    '2.4',   # reserved in os-fixed-ips (nova-network; nothing here)
    '2.5',   # non-admins may filter servers by ip6
    '2.6',   # os-remote-consoles replaces the per-type console actions
    '2.7',   # adding access to a public flavor is a 409
    '2.8',   # MKS remote consoles
    '2.9',   # locked in server bodies
    '2.10',  # admins manage other users' key pairs (user_id)
    '2.11',  # os-services force down
    '2.12',  # net_id in os-virtual-interfaces
    '2.13',  # user_id and project_id in server groups
    '2.14',  # evacuate: no onSharedStorage, no adminPass answer
    '2.15',  # soft-affinity and soft-anti-affinity server group policies
    '2.16',  # host_status in server bodies
    '2.17',  # trigger_crash_dump server action
    '2.18',  # the project id in URLs is optional
    '2.19',  # server description
    '2.20',  # volume attach and detach on shelved-offloaded servers
    '2.21',  # instance actions of deleted servers
    '2.22',  # force-complete a live migration
    '2.23',  # id and migration_type in os-migrations; server migrations
    '2.24',  # abort a running live migration
    '2.25',  # live migrate: block_migration "auto", no disk_over_commit
    '2.26',  # server tags
    '2.27',  # the OpenStack-API-Version header
    '2.28',  # hypervisor cpu_info as an object
    '2.29',  # evacuate: force
    '2.30',  # live migrate: force
    '2.31',  # os-console-auth-tokens for every console type
    '2.32',  # device tags on boot
    '2.33',  # hypervisors: limit and marker
    '2.34',  # live migration checks run asynchronously
    '2.35',  # key pairs: limit and marker
    '2.36',  # the image, network and volume proxy APIs answer 404
    '2.37',  # networks "auto" and "none"; networks required on create
    '2.38',  # an invalid server status filter is a 400
    '2.39',  # no maxImageMeta in limits
    '2.40',  # os-simple-tenant-usage: limit and marker
    '2.41',  # aggregate uuid
    '2.42',  # device tags on boot restored
    '2.43',  # os-hosts answers 404
    '2.44',  # virtual interfaces and network actions answer 404
    '2.45',  # createImage answers image_id in the body
    '2.46',  # the caller's request id travels to other services
    '2.47',  # the flavor embedded in server bodies
    '2.48',  # standard server diagnostics
    '2.49',  # tagged volume attach
    '2.50',  # server group quotas in quota classes; no network quotas
    '2.51',  # volume-extended events; action events for non-admins
    '2.52',  # tags on server create
    '2.53',  # service and hypervisor ids are UUIDs
    '2.54',  # rebuild sets or unsets the key pair (key_name)
    '2.55',  # flavor description
    '2.56',  # cold migrate to a named host
    '2.57',  # rebuild takes user_data; no personality files anywhere
    '2.58',  # instance actions: limit, marker, changes-since, updated_at
    '2.59',  # os-migrations: limit, marker, changes-since, uuid
    '2.60',  # multiattach volumes
    '2.61',  # flavor extra specs in flavor bodies
    '2.62',  # host and hostId in instance action events
    '2.63',  # trusted image certificates
    '2.64',  # server groups: one policy plus rules
    '2.65',  # abort a live migration that is queued or preparing
    '2.66',  # changes-before filter on servers, actions and migrations
    '2.67',  # volume_type in block device mappings
    '2.68',  # evacuate and live migrate: no force
    '2.69',  # servers and services of a down cell as partial records
]

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')

MIN_VERSION, MAX_VERSION = microversion.bounds(VERSIONS)
# What the legacy /v2 endpoint serves: no microversions at all.
LEGACY_V2 = Version(2, 0)


def from_environ(environ: dict) -> Version:
    """The version a request asks for (MIN_VERSION when it names none);
    InvalidVersion if not X.Y, UnacceptableVersion if out of range. The
    new header wins over the legacy one when both are sent."""
    wanted = microversion.requested(environ, SERVICE_TYPE, [LEGACY_HEADER])
    if not wanted:
        return MIN_VERSION
    if wanted.lower() == 'latest':
        return MAX_VERSION
    if not _VERSION_RE.match(wanted):
        raise InvalidVersion(
            'API Version String %s is of invalid format. Must be of format '
            'MajorNum.MinorNum.' % wanted)
    version = parse(wanted)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise UnacceptableVersion(
            'Version %s is not supported by the API. Minimum is %s and '
            'maximum is %s.' % (wanted, MIN_VERSION, MAX_VERSION))
    return version


def response_headers(version: Version) -> list[tuple[str, str]]:
    """The headers every response served at `version` carries."""
    return [(HEADER, '%s %s' % (SERVICE_TYPE, version)),
            (LEGACY_HEADER, str(version)),
            ('Vary', '%s, %s' % (HEADER, LEGACY_HEADER))]
