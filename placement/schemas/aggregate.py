"""Schemas for /resource_providers/{uuid}/aggregates."""

AGGREGATES = {
    'type': 'array',
    'items': {'type': 'string', 'format': 'uuid'},
    'uniqueItems': True,
}

# 1.19: the body carries the provider generation.
SET_1_19 = {
    'type': 'object',
    'properties': {
        'aggregates': AGGREGATES,
        'resource_provider_generation': {'type': 'integer'},
    },
    'required': ['aggregates', 'resource_provider_generation'],
    'additionalProperties': False,
}
