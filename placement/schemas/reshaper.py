"""JSON schema for POST /reshaper (1.30): the complete new inventories of
some providers, and the complete new allocations of some consumers."""

import functools

from placement.microversion import Version
from placement.schemas import allocation
from placement.schemas import inventory

_INVENTORIES = {
    'type': 'object',
    'patternProperties': {
        allocation.UUID_PATTERN: {
            'type': 'object',
            'properties': {
                'resource_provider_generation': {'type': 'integer'},
                'inventories': {
                    'type': 'object',
                    'patternProperties': {
                        allocation.RC_PATTERN: inventory.INVENTORY},
                    'additionalProperties': False,
                },
            },
            'required': ['resource_provider_generation', 'inventories'],
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}


@functools.lru_cache(maxsize=None)
def _reshape(with_mappings: bool, with_type: bool) -> dict:
    consumers = dict(allocation.consumers(Version(
        1, 38 if with_type else 34 if with_mappings else 30)))
    # A reshape may move inventory alone.
    consumers['minProperties'] = 0
    return {
        'type': 'object',
        'properties': {'inventories': _INVENTORIES,
                       'allocations': consumers},
        'required': ['inventories', 'allocations'],
        'additionalProperties': False,
    }


def reshape(version: Version) -> dict:
    """The body of POST /reshaper at `version`."""
    return _reshape(version.matches((1, 34)), version.matches((1, 38)))
