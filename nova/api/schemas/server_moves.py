"""Bodies of the admin's server moves: evacuate, os-migrateLive, migrate
(2.56: a host) and a live migration's force_complete action."""

from nova.api import schemas
from nova.api.schemas import servers

HOSTNAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
            'pattern': '^[a-zA-Z0-9-._]*$'}


def _action(name: str, properties: dict, required: list[str],
            nullable: bool = False) -> dict:
    return {'type': 'object',
            'properties': {name: {
                'type': ['object', 'null'] if nullable else 'object',
                'properties': properties, 'required': required,
                'additionalProperties': False}},
            'required': [name], 'additionalProperties': False}


def evacuate(version) -> dict:
    """onSharedStorage until 2.14, force from 2.29 until 2.68."""
    properties = {'host': HOSTNAME,
                  'adminPass': {'type': 'string', 'maxLength': 255}}
    required = []
    if not version.matches((2, 14)):
        properties['onSharedStorage'] = schemas.BOOLEAN
        required = ['onSharedStorage']
    if version.matches((2, 29), (2, 67)):
        properties['force'] = schemas.BOOLEAN
    return _action('evacuate', properties, required)


def migrate_live(version) -> dict:
    """block_migration "auto" and no disk_over_commit from 2.25, force
    from 2.30 until 2.68."""
    properties = {'host': {'oneOf': [HOSTNAME, {'type': 'null'}]},
                  'block_migration': schemas.BOOLEAN}
    required = ['block_migration', 'host']
    if version.matches((2, 25)):
        properties['block_migration'] = {
            'oneOf': [schemas.BOOLEAN, {'enum': ['auto']}]}
    else:
        properties['disk_over_commit'] = schemas.BOOLEAN
        required.append('disk_over_commit')
    if version.matches((2, 30), (2, 67)):
        properties['force'] = schemas.BOOLEAN
    return _action('os-migrateLive', properties, required)


def migrate(version) -> dict:
    """From 2.56 null or {"host": ...}; before, upstream reads nothing
    of the body."""
    if not version.matches((2, 56)):
        return servers.no_arguments('migrate')
    return _action('migrate',
                   {'host': {'oneOf': [HOSTNAME, {'type': 'null'}]}}, [],
                   nullable=True)


force_complete = {
    'type': 'object',
    'properties': {'force_complete': {'type': 'null'}},
    'required': ['force_complete'],
    'additionalProperties': False,
}
