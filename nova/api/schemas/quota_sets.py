"""Request bodies of /os-quota-sets, by microversion."""

import copy

from nova.api import schemas

# A limit: an integer (or a string of one) from -1 (unlimited) up.
LIMIT = {'type': ['integer', 'string'], 'pattern': '^-?[0-9]+$',
         'minimum': -1, 'maximum': schemas.MAX_INT}

# Personality files' limits, no longer settable from 2.57.
PERSONALITY = ('injected_files', 'injected_file_content_bytes',
               'injected_file_path_bytes')

# Nova-network's resources, no longer settable from 2.36.
NETWORK = ('fixed_ips', 'floating_ips', 'security_groups',
           'security_group_rules')

RESOURCES = {name: LIMIT for name in (
    'instances', 'cores', 'ram', 'floating_ips', 'fixed_ips',
    'metadata_items', 'key_pairs', 'security_groups',
    'security_group_rules', 'injected_files', 'injected_file_content_bytes',
    'injected_file_path_bytes', 'server_groups', 'server_group_members')}


def _update(properties: dict) -> dict:
    return {
        'type': 'object',
        'properties': {
            'quota_set': {
                'type': 'object',
                'properties': properties,
                'additionalProperties': False,
            },
        },
        'required': ['quota_set'],
        'additionalProperties': False,
    }


update = _update(dict(RESOURCES, force=schemas.BOOLEAN))
update_v236 = copy.deepcopy(update)
for _name in NETWORK:
    del update_v236['properties']['quota_set']['properties'][_name]
update_v257 = copy.deepcopy(update_v236)
for _name in PERSONALITY:
    del update_v257['properties']['quota_set']['properties'][_name]
