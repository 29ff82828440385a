"""JSON schemas for writing allocations, one per microversion range.

PUT /allocations/{consumer_uuid} takes a list of {resource_provider, resources}
up to 1.11 and a dict keyed by provider uuid from 1.12; POST /allocations
(1.13) and POST /reshaper (1.30) take a dict of such consumer bodies keyed by
consumer uuid. Later versions add consumer_generation (1.28, required and
allowing an empty allocations dict), mappings (1.34) and consumer_type (1.38,
required).
"""

import copy
import functools
from typing import Any

from placement.microversion import Version
from placement.schemas.inventory import MAX_INT

UUID_PATTERN = ('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                '[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
RC_PATTERN = '^[A-Z0-9_]+$'

RESOURCES = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        RC_PATTERN: {'type': 'integer', 'minimum': 1, 'maximum': MAX_INT},
    },
    'additionalProperties': False,
}

_EXTERNAL_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}

_LIST_ITEM = {
    'type': 'object',
    'properties': {
        'resource_provider': {
            'type': 'object',
            'properties': {'uuid': {'type': 'string', 'format': 'uuid'}},
            'required': ['uuid'],
            'additionalProperties': False,
        },
        'resources': RESOURCES,
    },
    'required': ['resource_provider', 'resources'],
    'additionalProperties': False,
}

# From 1.12: {rp_uuid: {"resources": {...}}}; the provider generation that
# GET shows is accepted back and ignored.
_BY_PROVIDER = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        UUID_PATTERN: {
            'type': 'object',
            'properties': {
                'generation': {'type': 'integer'},
                'resources': RESOURCES,
            },
            'required': ['resources'],
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}

# 1.34: which request group each provider satisfied, as returned by
# GET /allocation_candidates; accepted for the record and not stored.
_MAPPINGS = {
    'type': 'object',
    'minProperties': 1,
    'additionalProperties': {
        'type': 'array',
        'minItems': 1,
        'items': {'type': 'string', 'pattern': UUID_PATTERN},
    },
}

_CONSUMER_TYPE = {'type': 'string', 'pattern': RC_PATTERN,
                  'minLength': 1, 'maxLength': 255}


def _consumer_body(version: Version, empty_ok: bool) -> dict:
    """One consumer's body in the dict format."""
    allocations = copy.deepcopy(_BY_PROVIDER)
    if empty_ok:
        allocations['minProperties'] = 0
    schema: dict[str, Any] = {
        'type': 'object',
        'properties': {
            'allocations': allocations,
            'project_id': _EXTERNAL_ID,
            'user_id': _EXTERNAL_ID,
        },
        'required': ['allocations', 'project_id', 'user_id'],
        'additionalProperties': False,
    }
    if version.matches((1, 28)):
        schema['properties']['consumer_generation'] = {
            'type': ['integer', 'null']}
        schema['required'].append('consumer_generation')
    if version.matches((1, 34)):
        schema['properties']['mappings'] = _MAPPINGS
    if version.matches((1, 38)):
        schema['properties']['consumer_type'] = _CONSUMER_TYPE
        schema['required'].append('consumer_type')
    return schema


def _bucket(version: Version) -> Version:
    """The earliest version with the same schemas as `version`, so that
    the cache below holds a handful of entries."""
    for edge in ((1, 38), (1, 34), (1, 28), (1, 13), (1, 12), (1, 8)):
        if version.matches(edge):
            return Version(*edge)
    return Version(1, 0)


@functools.lru_cache(maxsize=None)
def _put(bucket: Version) -> dict:
    if bucket.matches((1, 12)):
        # An empty dict removes the consumer's allocations from 1.28.
        return _consumer_body(bucket, empty_ok=bucket.matches((1, 28)))
    schema: dict[str, Any] = {
        'type': 'object',
        'properties': {
            'allocations': {'type': 'array', 'minItems': 1,
                            'items': _LIST_ITEM},
        },
        'required': ['allocations'],
        'additionalProperties': False,
    }
    if bucket.matches((1, 8)):
        schema['properties']['project_id'] = _EXTERNAL_ID
        schema['properties']['user_id'] = _EXTERNAL_ID
        schema['required'] += ['project_id', 'user_id']
    return schema


@functools.lru_cache(maxsize=None)
def _consumers(bucket: Version) -> dict:
    return {
        'type': 'object',
        'minProperties': 1,
        'patternProperties': {
            UUID_PATTERN: _consumer_body(bucket, empty_ok=True)},
        'additionalProperties': False,
    }


def put_allocations(version: Version) -> dict:
    """The body of PUT /allocations/{consumer_uuid} at `version`."""
    return _put(_bucket(version))


def consumers(version: Version) -> dict:
    """{consumer_uuid: body}, the body of POST /allocations and the
    "allocations" of POST /reshaper at `version`."""
    return _consumers(_bucket(version))
