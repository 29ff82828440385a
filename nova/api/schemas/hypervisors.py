"""Query strings of /os-hypervisors from 2.53 (upstream's schemas; each
value is a query parameter's text)."""

from nova.api.schemas import aggregates

_BOOL = {'type': 'string',
         'enum': ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES',
                  'Yes', 'yes', 'False', 'FALSE', 'false', '0', 'OFF', 'Off',
                  'off', 'NO', 'No', 'no']}

list_query_v253 = {
    'type': 'object',
    'properties': {
        'limit': {'type': 'string', 'pattern': '^[0-9]+$'},
        'marker': {'type': 'string'},
        'hypervisor_hostname_pattern': aggregates.HOSTNAME,
        'with_servers': _BOOL,
    },
    'additionalProperties': False,
}

show_query_v253 = {
    'type': 'object',
    'properties': {'with_servers': _BOOL},
    'additionalProperties': False,
}
