"""Request body of POST /os-server-groups. "policies" is a list for
historical reasons but holds exactly one policy (or none); 2.15 adds the
soft policies."""

import copy
from typing import Any

from nova.api import schemas

_create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {
                'name': schemas.NAME,
                'policies': {
                    'type': 'array',
                    'items': [{'enum': ['anti-affinity', 'affinity']}],
                    'uniqueItems': True,
                    'additionalItems': False,
                },
            },
            'required': ['name', 'policies'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
}


def create_schema(version) -> dict:
    schema = copy.deepcopy(_create)
    if version.matches((2, 15)):
        policies = schema['properties']['server_group']['properties'][
            'policies']
        policies['items'][0]['enum'].extend(['soft-anti-affinity',
                                             'soft-affinity'])
    return schema
