"""Request body of POST /servers/{id}/os-volume_attachments; 2.49 adds
the device tag."""

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
