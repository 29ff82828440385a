"""Request bodies of /servers and /servers/{id}/action, per microversion:
`create_schema(version)`, `update_schema(version)` and
`rebuild_schema(version)` add what later versions allow (description
2.19, networks required as auto/none or a list 2.37, tags 2.52, the
rebuild's key_name 2.54 and user_data 2.57, trusted image certificates
2.63, a block device's volume_type 2.67) and drop what they take away
(personality files 2.57)."""

import copy
from typing import Any

from nova.api import schemas

UUID = {'type': 'string', 'format': 'uuid'}
FLAVOR_REF = {'type': ['string', 'integer'], 'minLength': 1}
IMAGE_REF = {'type': 'string', 'format': 'uuid'}
IMAGE_REF_OR_EMPTY = {'oneOf': [IMAGE_REF, {'type': 'string',
                                            'maxLength': 0}]}
DESCRIPTION = {'type': ['string', 'null'], 'minLength': 0,
               'maxLength': 255, 'format': 'name'}
ACCESS_IPV4 = {'type': 'string', 'format': 'ipv4'}
ACCESS_IPV6 = {'type': 'string', 'format': 'ipv6'}
ADMIN_PASSWORD = {'type': 'string'}
DISK_CONFIG = {'type': 'string', 'enum': ['AUTO', 'MANUAL']}
POSITIVE_INTEGER = schemas.integer(1)
METADATA = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}
TAG = {'type': 'string', 'pattern': '^[^,/]*$', 'minLength': 1,
       'maxLength': 60}
TAGS = {'type': 'array', 'items': TAG, 'maxItems': 50}
USER_DATA = {'type': 'string', 'format': 'base64', 'maxLength': 65535}
# Files to write into the server (until 2.57).
PERSONALITY = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'path': {'type': 'string'},
            'contents': {'type': 'string', 'format': 'base64'},
        },
        'additionalProperties': False,
    },
}
# Certificate ids Glance's image signature is checked against (2.63).
TRUSTED_CERTS = {'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50,
                 'uniqueItems': True,
                 'items': {'type': 'string', 'minLength': 1}}
VOLUME_TYPE = {'type': ['string', 'null'], 'minLength': 0, 'maxLength': 255}

_NETWORK_LIST = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'fixed_ip': {'type': 'string', 'oneOf': [
                {'format': 'ipv4'}, {'format': 'ipv6'}]},
            'port': {'oneOf': [UUID, {'type': 'null'}]},
            'uuid': {'type': 'string'},
            'tag': {'type': 'string', 'maxLength': 60,
                    'pattern': '^[^,/]*$'},
        },
        'additionalProperties': False,
    },
}

_BDM_V2 = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {
            'source_type': {'type': 'string', 'enum': [
                'volume', 'image', 'snapshot', 'blank']},
            'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                     'pattern': '^[a-zA-Z0-9._-]*$'},
            'image_id': UUID,
            'destination_type': {'type': 'string',
                                 'enum': ['local', 'volume']},
            'guest_format': {'type': 'string', 'maxLength': 255},
            'device_type': {'type': 'string', 'maxLength': 255},
            'disk_bus': {'type': 'string', 'maxLength': 255},
            'boot_index': {'type': ['integer', 'string', 'null'],
                           'pattern': '^-?[0-9]+$'},
            'device_name': {'type': 'string', 'maxLength': 255},
            'volume_size': {'type': ['integer', 'string'],
                            'pattern': '^[0-9]+$', 'minimum': 1},
            'no_device': {},
            'delete_on_termination': schemas.BOOLEAN,
            'volume_id': UUID,
            'snapshot_id': UUID,
        },
        'additionalProperties': False,
    },
}

_HINTS = {
    'type': 'object',
    'properties': {
        'group': UUID,
        'different_host': {'oneOf': [UUID, {'type': 'array',
                                            'items': UUID}]},
        'same_host': {'oneOf': [UUID, {'type': 'array', 'items': UUID}]},
    },
    'additionalProperties': True,
}

_create: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': schemas.NAME,
                'imageRef': IMAGE_REF_OR_EMPTY,
                'flavorRef': FLAVOR_REF,
                'adminPass': ADMIN_PASSWORD,
                'metadata': METADATA,
                'networks': _NETWORK_LIST,
                'OS-DCF:diskConfig': DISK_CONFIG,
                'accessIPv4': ACCESS_IPV4,
                'accessIPv6': ACCESS_IPV6,
                'availability_zone': schemas.NAME,
                'block_device_mapping_v2': _BDM_V2,
                'config_drive': schemas.BOOLEAN,
                'key_name': schemas.NAME,
                'min_count': POSITIVE_INTEGER,
                'max_count': POSITIVE_INTEGER,
                'return_reservation_id': schemas.BOOLEAN,
                'security_groups': {
                    'type': 'array',
                    'items': {'type': 'object',
                              'properties': {'name': schemas.NAME},
                              'additionalProperties': False}},
                'user_data': USER_DATA,
                'personality': PERSONALITY,
            },
            'required': ['name', 'flavorRef'],
            'additionalProperties': False,
        },
        'os:scheduler_hints': _HINTS,
        'OS-SCH-HNT:scheduler_hints': _HINTS,
    },
    'required': ['server'],
    'additionalProperties': False,
}


def create_schema(version) -> dict:
    schema = copy.deepcopy(_create)
    server = schema['properties']['server']
    if version.matches((2, 19)):
        server['properties']['description'] = DESCRIPTION
    if version.matches((2, 37)):
        server['properties']['networks'] = {'oneOf': [
            _NETWORK_LIST, {'type': 'string', 'enum': ['none', 'auto']}]}
        server['required'].append('networks')
    if version.matches((2, 42)):
        server['properties']['block_device_mapping_v2']['items'][
            'properties']['tag'] = TAG
    if version.matches((2, 52)):
        server['properties']['tags'] = TAGS
    if version.matches((2, 57)):
        del server['properties']['personality']
    if version.matches((2, 63)):
        server['properties']['trusted_image_certificates'] = TRUSTED_CERTS
    if version.matches((2, 67)):
        server['properties']['block_device_mapping_v2']['items'][
            'properties']['volume_type'] = VOLUME_TYPE
    return schema


def update_schema(version) -> dict:
    properties = {'name': schemas.NAME, 'accessIPv4': ACCESS_IPV4,
                  'accessIPv6': ACCESS_IPV6,
                  'OS-DCF:diskConfig': DISK_CONFIG}
    if version.matches((2, 19)):
        properties['description'] = DESCRIPTION
    return {
        'type': 'object',
        'properties': {'server': {'type': 'object',
                                  'properties': properties,
                                  'additionalProperties': False}},
        'required': ['server'],
        'additionalProperties': False,
    }


# -- actions: each body is {action name: arguments}

reboot = {
    'type': 'object',
    'properties': {'reboot': {
        'type': 'object',
        'properties': {'type': {'enum': ['HARD', 'Hard', 'hard',
                                         'SOFT', 'Soft', 'soft']}},
        'required': ['type'],
        'additionalProperties': False}},
    'required': ['reboot'],
    'additionalProperties': False,
}

resize = {
    'type': 'object',
    'properties': {'resize': {
        'type': 'object',
        'properties': {'flavorRef': FLAVOR_REF,
                       'OS-DCF:diskConfig': DISK_CONFIG},
        'required': ['flavorRef'],
        'additionalProperties': False}},
    'required': ['resize'],
    'additionalProperties': False,
}


def rebuild_schema(version) -> dict:
    properties = {'name': schemas.NAME, 'imageRef': IMAGE_REF,
                  'adminPass': ADMIN_PASSWORD, 'metadata': METADATA,
                  'preserve_ephemeral': schemas.BOOLEAN,
                  'OS-DCF:diskConfig': DISK_CONFIG,
                  'accessIPv4': ACCESS_IPV4, 'accessIPv6': ACCESS_IPV6,
                  'personality': PERSONALITY}
    if version.matches((2, 19)):
        properties['description'] = DESCRIPTION
    if version.matches((2, 54)):
        properties['key_name'] = {'type': ['string', 'null'],
                                  'minLength': 1, 'maxLength': 255,
                                  'format': 'name'}
    if version.matches((2, 57)):
        del properties['personality']
        properties['user_data'] = {'oneOf': [USER_DATA, {'type': 'null'}]}
    if version.matches((2, 63)):
        properties['trusted_image_certificates'] = TRUSTED_CERTS
    return {
        'type': 'object',
        'properties': {'rebuild': {'type': 'object',
                                   'properties': properties,
                                   'required': ['imageRef'],
                                   'additionalProperties': False}},
        'required': ['rebuild'],
        'additionalProperties': False,
    }


console_output = {
    'type': 'object',
    'properties': {'os-getConsoleOutput': {
        'type': 'object',
        'properties': {'length': {
            'type': ['integer', 'string', 'null'],
            'pattern': '^-?[0-9]+$', 'minimum': -1}},
        'additionalProperties': False}},
    'required': ['os-getConsoleOutput'],
    'additionalProperties': False,
}


def no_arguments(action: str) -> dict:
    """{action: null} (upstream also lets an object through)."""
    return {'type': 'object',
            'properties': {action: {'type': ['object', 'null']}},
            'required': [action],
            'additionalProperties': False}
