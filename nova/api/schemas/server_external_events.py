"""Request body of POST /os-server-external-events; 2.51 adds the
volume-extended event."""

import copy
from typing import Any

STATUSES = ['failed', 'completed', 'in-progress']

_create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'events': {
            'type': 'array', 'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {
                    'server_uuid': {'type': 'string', 'format': 'uuid'},
                    'name': {'type': 'string',
                             'enum': ['network-changed',
                                      'network-vif-plugged',
                                      'network-vif-unplugged',
                                      'network-vif-deleted']},
                    'status': {'type': 'string', 'enum': STATUSES},
                    'tag': {'type': 'string', 'maxLength': 255},
                },
                'required': ['server_uuid', 'name'],
                'additionalProperties': False,
            },
        },
    },
    'required': ['events'],
    'additionalProperties': False,
}


def create_schema(version) -> dict:
    schema = copy.deepcopy(_create)
    if version.matches((2, 51)):
        schema['properties']['events']['items']['properties']['name'][
            'enum'].append('volume-extended')
    return schema
