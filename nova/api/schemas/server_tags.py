"""Request bodies of /servers/{id}/tags (2.26)."""

from nova.api.schemas import servers

update_all = {
    'type': 'object',
    'properties': {'tags': servers.TAGS},
    'required': ['tags'],
    'additionalProperties': False,
}
