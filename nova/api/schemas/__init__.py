"""JSON schemas of the compute API's request bodies, one module per noun."""

# The largest value an INT column holds, bound of most integer fields.
MAX_INT = 2147483647

# Accepted spellings of a boolean in request bodies.
BOOLEAN = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
             'YES', 'Yes', 'yes',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',
             'NO', 'No', 'no'],
}

NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'format': 'name'}


def integer(minimum: int, maximum: int = MAX_INT) -> dict:
    """An integer, or a string of digits, within [minimum, maximum]."""
    # minLength: "" matches the pattern but is no number (as upstream).
    return {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
            'minimum': minimum, 'maximum': maximum, 'minLength': 1}
