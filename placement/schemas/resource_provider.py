"""Schemas for /resource_providers and /resource_providers/{uuid}."""

import copy
import functools
from typing import Any

_NAME = {'type': 'string', 'maxLength': 200}
_UUID = {'type': 'string', 'format': 'uuid'}
_PARENT = {'anyOf': [_UUID, {'type': 'null'}]}

CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'name': _NAME, 'uuid': _UUID},
    'required': ['name'],
    'additionalProperties': False,
}

# 1.14: providers may be created under a parent.
CREATE_1_14 = copy.deepcopy(CREATE)
CREATE_1_14['properties']['parent_provider_uuid'] = _PARENT

UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'name': _NAME},
    'required': ['name'],
    'additionalProperties': False,
}

UPDATE_1_14 = copy.deepcopy(UPDATE)
UPDATE_1_14['properties']['parent_provider_uuid'] = _PARENT

# Query parameters of GET /resource_providers and the microversion that
# added each.
_LIST_PARAMS = [
    ((1, 0), 'name', {'type': 'string'}),
    ((1, 0), 'uuid', _UUID),
    ((1, 3), 'member_of', {'type': 'string'}),
    ((1, 4), 'resources', {'type': 'string'}),
    ((1, 14), 'in_tree', _UUID),
    ((1, 18), 'required', {'type': 'string'}),
]


@functools.lru_cache(maxsize=None)
def list_query(version) -> dict:
    """The schema of GET /resource_providers's query at `version` (one
    object per version, so that compiled validators can be reused)."""
    return {
        'type': 'object',
        'properties': {name: schema for since, name, schema in _LIST_PARAMS
                       if version.matches(since)},
        'additionalProperties': False,
    }
