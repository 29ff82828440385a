"""Bodies of the server actions on its state (server_state_actions)."""

from nova.api.schemas import servers

reset_state = {
    'type': 'object',
    'properties': {'os-resetState': {
        'type': 'object',
        'properties': {'state': {'type': 'string',
                                 'enum': ['active', 'error']}},
        'required': ['state'],
        'additionalProperties': False}},
    'required': ['os-resetState'],
    'additionalProperties': False,
}

change_password = {
    'type': 'object',
    'properties': {'changePassword': {
        'type': 'object',
        'properties': {'adminPass': servers.ADMIN_PASSWORD},
        'required': ['adminPass'],
        'additionalProperties': False}},
    'required': ['changePassword'],
    'additionalProperties': False,
}

rescue = {
    'type': 'object',
    'properties': {'rescue': {
        'type': ['object', 'null'],
        'properties': {'adminPass': servers.ADMIN_PASSWORD,
                       'rescue_image_ref': servers.IMAGE_REF},
        'additionalProperties': False}},
    'required': ['rescue'],
    'additionalProperties': False,
}

trigger_crash_dump = {
    'type': 'object',
    'properties': {'trigger_crash_dump': {'type': 'null'}},
    'required': ['trigger_crash_dump'],
    'additionalProperties': False,
}
