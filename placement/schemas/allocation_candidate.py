"""Query-string schemas for GET /allocation_candidates, by microversion.

Values are validated as strings here (one per key: the handler picks which
of repeated values counts); their inner syntax is placement.query's job.
"""

import functools
from typing import Any

# Request group suffixes: digits only until 1.33, then any short string.
_NUMBERED = '([1-9][0-9]*)?'
_ANY_SUFFIX = '([a-zA-Z0-9_-]{1,64})?'
_STRING = {'type': 'string'}


@functools.lru_cache(maxsize=None)
def list_query(version: tuple) -> dict:
    """The schema of the query string at `version` (a (major, minor))."""
    properties: dict[str, dict[str, Any]] = {'resources': _STRING}
    schema = {'type': 'object', 'properties': properties,
              'additionalProperties': False}
    if version >= (1, 16):
        properties['limit'] = {'type': 'string', 'pattern': '^[1-9][0-9]*$'}
    if version >= (1, 17):
        properties['required'] = _STRING
    if version >= (1, 21):
        properties['member_of'] = _STRING
    if version < (1, 25):
        schema['required'] = ['resources']
        return schema
    # Granular request groups: every group key may carry a suffix.
    del properties['resources'], properties['required']
    del properties['member_of']
    properties['group_policy'] = {'type': 'string',
                                  'enum': ['none', 'isolate']}
    if version >= (1, 35):
        properties['root_required'] = _STRING
    if version >= (1, 36):
        properties['same_subtree'] = _STRING
    suffix = _ANY_SUFFIX if version >= (1, 33) else _NUMBERED
    keys = ['resources', 'required', 'member_of']
    if version >= (1, 31):
        keys.append('in_tree')
    schema['patternProperties'] = {
        '^%s%s$' % (key, suffix): _STRING for key in keys}
    return schema
