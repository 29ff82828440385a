"""Queries of GET /servers/{server_id}/os-instance-actions (a value is a
query parameter's text; the times are parsed by the handler)."""


def _query(*times: str) -> dict:
    properties: dict = {
        'limit': {'type': 'string', 'pattern': '^[0-9]+$'},
        'marker': {'type': 'string'},
    }
    properties.update({name: {'type': 'string'} for name in times})
    return {'type': 'object', 'properties': properties,
            'additionalProperties': False}


# 2.58: paging by limit and marker (a request id), changes-since.
list_query_v258 = _query('changes-since')
# 2.66: changes-before.
list_query_v266 = _query('changes-since', 'changes-before')
