"""Bodies and queries of /os-hosts (a query value is a query parameter's
text)."""

_ENABLE = {'type': 'string',
           'enum': ['enable', 'disable', 'Enable', 'Disable', 'ENABLE',
                    'DISABLE']}

update = {
    'type': 'object',
    'properties': {'status': _ENABLE, 'maintenance_mode': _ENABLE},
    'anyOf': [{'required': ['status']}, {'required': ['maintenance_mode']}],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {'zone': {'type': 'string'}},
    'additionalProperties': True,
}
