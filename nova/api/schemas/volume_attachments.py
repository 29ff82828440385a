"""Request bodies of /servers/{id}/os-volume_attachments: POST (2.49
adds the device tag) and PUT, the swap (the new volume only)."""

import copy
from typing import Any

from nova.api.schemas import servers

_create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'volumeAttachment': {
            'type': 'object',
            'properties': {
                'volumeId': {'type': 'string', 'format': 'uuid'},
                'device': {
                    'type': ['string', 'null'],
                    'pattern': '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$',
                },
            },
            'required': ['volumeId'],
            'additionalProperties': False,
        },
    },
    'required': ['volumeAttachment'],
    'additionalProperties': False,
}


def create_schema(version) -> dict:
    schema = copy.deepcopy(_create)
    if version.matches((2, 49)):
        schema['properties']['volumeAttachment']['properties']['tag'] = (
            servers.TAG)
    return schema


def update_schema() -> dict:
    schema = copy.deepcopy(_create)
    del schema['properties']['volumeAttachment']['properties']['device']
    return schema
