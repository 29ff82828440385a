"""Request body of POST /os-volumes (the volume proxy, until 2.35)."""

_NAME = {'type': ['string', 'null'], 'maxLength': 255}

create = {
    'type': 'object',
    'properties': {
        'volume': {
            'type': 'object',
            'properties': {
                'volume_type': _NAME,
                'metadata': {'type': 'object',
                             'additionalProperties': {
                                 'type': 'string', 'maxLength': 255}},
                'snapshot_id': {'type': ['string', 'null'],
                                'format': 'uuid'},
                'size': {'type': ['integer', 'string'],
                         'pattern': '^[0-9]+$', 'minimum': 1},
                'availability_zone': _NAME,
                'display_name': _NAME,
                'display_description': {'type': ['string', 'null']},
            },
            'required': ['size'],
            'additionalProperties': False,
        },
    },
    'required': ['volume'],
    'additionalProperties': False,
}
