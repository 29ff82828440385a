"""Schemas for /resource_providers/{uuid}/inventories[/{resource_class}]."""

import copy

# The largest values the database columns hold (a signed 32-bit integer and
# a single-precision float).
MAX_INT = 2147483647
MAX_FLOAT = 3.40282e+38

RESOURCE_CLASS = {'type': 'string', 'pattern': '^[A-Z0-9_]+$',
                  'maxLength': 255}

_FIELDS = {
    'total': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'reserved': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 0},
    'min_unit': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'max_unit': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'step_size': {'type': 'integer', 'maximum': MAX_INT, 'minimum': 1},
    'allocation_ratio': {'type': 'number', 'maximum': MAX_FLOAT},
}

# One inventory inside PUT .../inventories.
INVENTORY = {
    'type': 'object',
    'properties': copy.deepcopy(_FIELDS),
    'required': ['total'],
    'additionalProperties': False,
}

# A resource_provider_generation is allowed here but not checked: adding
# an inventory of a class the provider lacks cannot conflict.
CREATE = {
    'type': 'object',
    'properties': dict(copy.deepcopy(_FIELDS),
                       resource_class=RESOURCE_CLASS,
                       resource_provider_generation={'type': 'integer'}),
    'required': ['resource_class', 'total'],
    'additionalProperties': False,
}

UPDATE = {
    'type': 'object',
    'properties': dict(copy.deepcopy(_FIELDS),
                       resource_provider_generation={'type': 'integer'}),
    'required': ['total', 'resource_provider_generation'],
    'additionalProperties': False,
}

SET_ALL = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': {'type': 'integer'},
        'inventories': {
            'type': 'object',
            'patternProperties': {'^[A-Z0-9_]+$': INVENTORY},
            'additionalProperties': False,
        },
    },
    'required': ['resource_provider_generation', 'inventories'],
    'additionalProperties': False,
}
