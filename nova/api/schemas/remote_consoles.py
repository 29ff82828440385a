"""Bodies of the remote console requests: the pre-2.6 server actions and
POST /servers/{server_id}/remote-consoles."""


def _action(name: str, types: list[str]) -> dict:
    return {
        'type': 'object',
        'properties': {name: {
            'type': 'object',
            'properties': {'type': {'type': 'string', 'enum': types}},
            'required': ['type'],
            'additionalProperties': False,
        }},
        'required': [name],
        'additionalProperties': False,
    }


get_vnc_console = _action('os-getVNCConsole', ['novnc', 'xvpvnc'])
get_spice_console = _action('os-getSPICEConsole', ['spice-html5'])
get_rdp_console = _action('os-getRDPConsole', ['rdp-html5'])
get_serial_console = _action('os-getSerialConsole', ['serial'])


def _create(protocols: list[str], types: list[str]) -> dict:
    return {
        'type': 'object',
        'properties': {'remote_console': {
            'type': 'object',
            'properties': {
                'protocol': {'type': 'string', 'enum': protocols},
                'type': {'type': 'string', 'enum': types},
            },
            'required': ['protocol', 'type'],
            'additionalProperties': False,
        }},
        'required': ['remote_console'],
        'additionalProperties': False,
    }


create_v26 = _create(['vnc', 'spice', 'rdp', 'serial'],
                     ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5',
                      'serial'])
# 2.8: VMware's MKS console.
create_v28 = _create(['vnc', 'spice', 'rdp', 'serial', 'mks'],
                     ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5',
                      'serial', 'webmks'])
