"""Request body of POST /os-snapshots (the snapshot proxy, until 2.35)."""

create = {
    'type': 'object',
    'properties': {
        'snapshot': {
            'type': 'object',
            'properties': {
                'volume_id': {'type': 'string', 'format': 'uuid'},
                'force': {'type': ['boolean', 'string']},
                'display_name': {'type': ['string', 'null'],
                                 'maxLength': 255},
                'display_description': {'type': ['string', 'null']},
            },
            'required': ['volume_id'],
            'additionalProperties': False,
        },
    },
    'required': ['snapshot'],
    'additionalProperties': False,
}
