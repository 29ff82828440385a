"""Request bodies of /os-aggregates (upstream's schemas)."""

import copy
from typing import Any

from nova.api import schemas

# A zone name: printable, no ':' (it separates zone:host:node on server
# create), no leading or trailing whitespace.
AZ_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
           'pattern': r'^(?![\s])[^:\x00-\x1f\x7f]*(?<![\s])$'}
_AZ = {'oneOf': [AZ_NAME, {'type': 'null'}]}
HOSTNAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
            'pattern': '^[a-zA-Z0-9-._]*$'}

create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'aggregate': {
            'type': 'object',
            'properties': {'name': schemas.NAME, 'availability_zone': _AZ},
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['aggregate'],
    'additionalProperties': False,
}

update = copy.deepcopy(create)
del update['properties']['aggregate']['required']
update['properties']['aggregate']['anyOf'] = [
    {'required': ['name']}, {'required': ['availability_zone']}]


def _host_action(name: str) -> dict:
    return {
        'type': 'object',
        'properties': {name: {
            'type': 'object',
            'properties': {'host': HOSTNAME},
            'required': ['host'],
            'additionalProperties': False,
        }},
        'required': [name],
        'additionalProperties': False,
    }


add_host = _host_action('add_host')
remove_host = _host_action('remove_host')

set_metadata = {
    'type': 'object',
    'properties': {
        'set_metadata': {
            'type': 'object',
            'properties': {'metadata': {
                'type': 'object',
                'patternProperties': {'^[a-zA-Z0-9-_:. ]{1,255}$': {
                    'type': ['string', 'null'], 'maxLength': 255}},
                'additionalProperties': False,
            }},
            'required': ['metadata'],
            'additionalProperties': False,
        },
    },
    'required': ['set_metadata'],
    'additionalProperties': False,
}

# Which schema checks the body of each action.
ACTIONS = {'add_host': add_host, 'remove_host': remove_host,
           'set_metadata': set_metadata}
