"""Schemas for GET /usages."""

import copy
from typing import Any

_EXTERNAL_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}

TOTAL_USAGES_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'project_id': _EXTERNAL_ID,
        'user_id': _EXTERNAL_ID,
    },
    'required': ['project_id'],
    'additionalProperties': False,
}

# 1.38: usages are grouped by consumer type, and may be limited to one.
TOTAL_USAGES_QUERY_1_38 = copy.deepcopy(TOTAL_USAGES_QUERY)
TOTAL_USAGES_QUERY_1_38['properties']['consumer_type'] = {'type': 'string'}
