"""Schemas for /resource_classes."""

# Only custom classes can be created or renamed to.
CUSTOM_NAME = {
    'type': 'string',
    'pattern': '^CUSTOM_[A-Z0-9_]+$',
    'maxLength': 255,
}

# The body of POST /resource_classes, and of PUT /resource_classes/{name}
# before 1.7 (a rename).
NAMED = {
    'type': 'object',
    'properties': {'name': CUSTOM_NAME},
    'required': ['name'],
    'additionalProperties': False,
}
