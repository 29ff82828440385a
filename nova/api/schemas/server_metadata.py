"""Request bodies of /servers/{id}/metadata."""

import copy

from nova.api.schemas import servers

create = {
    'type': 'object',
    'properties': {'metadata': servers.METADATA},
    'required': ['metadata'],
    'additionalProperties': False,
}

update_all = create

_one = copy.deepcopy(servers.METADATA)
_one.update(minProperties=1, maxProperties=1)
update = {
    'type': 'object',
    'properties': {'meta': _one},
    'required': ['meta'],
    'additionalProperties': False,
}
