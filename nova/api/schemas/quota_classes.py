"""Request bodies of /os-quota-class-sets, by microversion."""

import copy
from typing import Any

from nova.api.schemas import quota_sets

update: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'quota_class_set': {
            'type': 'object',
            'properties': dict(quota_sets.RESOURCES),
            'additionalProperties': False,
        },
    },
    'required': ['quota_class_set'],
    'additionalProperties': False,
}

# 2.50: nova-network's resources are gone.
update_v250 = copy.deepcopy(update)
for _name in quota_sets.NETWORK:
    del update_v250['properties']['quota_class_set']['properties'][_name]

# 2.57: nor are the personality files' limits.
update_v257 = copy.deepcopy(update_v250)
for _name in quota_sets.PERSONALITY:
    del update_v257['properties']['quota_class_set']['properties'][_name]
