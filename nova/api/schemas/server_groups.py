"""Request body of POST /os-server-groups. "policies" is a list for
historical reasons but holds exactly one policy (or none); 2.15 adds the
soft policies; 2.64 replaces the list by one "policy" and its "rules"."""

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


_POLICIES = ['anti-affinity', 'affinity', 'soft-anti-affinity',
             'soft-affinity']


def create_schema(version) -> dict:
    schema = copy.deepcopy(_create)
    if version.matches((2, 64)):
        group = schema['properties']['server_group']
        del group['properties']['policies']
        group['properties']['policy'] = {'type': 'string',
                                         'enum': list(_POLICIES)}
        group['properties']['rules'] = {
            'type': 'object',
            'properties': {'max_server_per_host': schemas.integer(1)},
            'additionalProperties': False,
        }
        group['required'] = ['name', 'policy']
        return schema
    if version.matches((2, 15)):
        policies = schema['properties']['server_group']['properties'][
            'policies']
        policies['items'][0]['enum'].extend(['soft-anti-affinity',
                                             'soft-affinity'])
    return schema
