"""Request bodies of /flavors and /flavors/{id}/os-extra_specs; 2.55
adds the description (on create, and PUT /flavors/{id} to change it)."""

import copy
from typing import Any

from nova.api import schemas

# Printable characters, whitespace included (as upstream's descriptions).
DESCRIPTION = {'type': ['string', 'null'], 'minLength': 0,
               'maxLength': 65535, 'pattern': '^[^\x00-\x1f\x7f]*$'}

create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': schemas.NAME,
                'id': {'type': ['string', 'number', 'null'],
                       'minLength': 1, 'maxLength': 255,
                       'pattern': '^(?! )[a-zA-Z0-9. _-]+(?<! )$'},
                'ram': schemas.integer(1),
                'vcpus': schemas.integer(1),
                'disk': schemas.integer(0),
                'OS-FLV-EXT-DATA:ephemeral': schemas.integer(0),
                'swap': schemas.integer(0),
                'rxtx_factor': {'type': ['number', 'string'],
                                'pattern': r'^[0-9]+(\.[0-9]+)?$',
                                'minimum': 0, 'exclusiveMinimum': True,
                                'maximum': 3.40282e+38},
                'os-flavor-access:is_public': schemas.BOOLEAN,
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}



def create_schema(version) -> dict:
    schema = copy.deepcopy(create)
    if version.matches((2, 55)):
        schema['properties']['flavor']['properties'][
            'description'] = DESCRIPTION
    return schema


# PUT /flavors/{id} (2.55+): the description is all that may change.
update = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {'description': DESCRIPTION},
            'required': ['description'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

_SPEC_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$'
_SPEC_VALUE = {'type': ['string', 'number', 'boolean'],
               'minLength': 0, 'maxLength': 255}

extra_specs_create = {
    'type': 'object',
    'properties': {
        'extra_specs': {
            'type': 'object',
            'patternProperties': {_SPEC_KEY: _SPEC_VALUE},
            'additionalProperties': False,
        },
    },
    'required': ['extra_specs'],
    'additionalProperties': False,
}

extra_spec_update = {
    'type': 'object',
    'patternProperties': {_SPEC_KEY: _SPEC_VALUE},
    'additionalProperties': False,
    'minProperties': 1,
    'maxProperties': 1,
}

_TENANT = {'type': 'object',
           'properties': {'tenant': {'type': 'string', 'minLength': 1,
                                     'maxLength': 255}},
           'required': ['tenant'], 'additionalProperties': False}

# POST /flavors/{id}/action: one of these.
ACCESS_ACTIONS = {
    name: {'type': 'object', 'properties': {name: _TENANT},
           'required': [name], 'additionalProperties': False}
    for name in ('addTenantAccess', 'removeTenantAccess')}
