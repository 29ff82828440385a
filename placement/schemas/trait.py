"""Schemas for /traits and /resource_providers/{uuid}/traits."""

# A custom trait name: what PUT /traits/{name} accepts.
CUSTOM_TRAIT = {
    'type': 'string',
    'pattern': '^CUSTOM_[A-Z0-9_]+$',
    'maxLength': 255,
}

LIST_TRAITS_QUERY = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string'},
        'associated': {'type': 'string'},
    },
    'additionalProperties': False,
}

SET_PROVIDER_TRAITS = {
    'type': 'object',
    'properties': {
        'traits': {
            'type': 'array',
            'items': {'type': 'string', 'pattern': '^[A-Z0-9_]+$',
                      'maxLength': 255},
            'uniqueItems': True,
        },
        'resource_provider_generation': {'type': 'integer'},
    },
    'required': ['traits', 'resource_provider_generation'],
    'additionalProperties': False,
}
