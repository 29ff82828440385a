"""Request bodies of PUT /os-services/* (upstream's schemas)."""

import copy
from typing import Any

from nova.api import schemas
from nova.api.schemas import aggregates

_TEXT = {'type': 'string', 'minLength': 1, 'maxLength': 255}

# PUT /os-services/{enable,disable,disable-log-reason} before 2.11.
update: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'host': aggregates.HOSTNAME,
        'binary': _TEXT,
        'disabled_reason': _TEXT,
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

# 2.11-2.52: and force-down.
update_v211 = copy.deepcopy(update)
update_v211['properties']['forced_down'] = schemas.BOOLEAN

# 2.53: PUT /os-services/{service_uuid}; nothing required.
update_v253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': _TEXT,
        'forced_down': schemas.BOOLEAN,
    },
    'additionalProperties': False,
}
