"""Links to a server's remote consoles: POST
/servers/{server_id}/remote-consoles (2.6+; mks from 2.8) and, before
2.6, the server actions os-getVNCConsole, os-getSPICEConsole,
os-getRDPConsole and os-getSerialConsole.

200 with the link. 400 bad body, a console type the protocol does not
offer, or one this cloud does not enable; 404 no such server; 409 the
server has no host yet or is being deleted or migrated; 501 its
hypervisor has no such console.
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.api.compute import servers
from nova.api import fault
from nova.api.schemas import remote_consoles as schema
from nova.api import validation
from nova.compute import consoles
from nova.policies import remote_consoles as rules

REMOTE_CONSOLES = (2, 6)
MKS = (2, 8)

NOT_SUPPORTED = 'The requested functionality is not supported.'


def _url(ctx: Any, server_id: str, protocol: str, console_type: str) -> str:
    servers.get_authorized(ctx, rules.BASE, server_id)
    try:
        return consoles.get_console(ctx, server_id, protocol, console_type)
    except NotImplementedError:
        raise fault.HTTPError(501, NOT_SUPPORTED)


def create(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"remote_console": {"protocol", "type", "url"}}."""
    version = common.version(req)
    if not version.matches(REMOTE_CONSOLES):
        raise fault.not_found()
    body = validation.body(req, schema.create_v28 if version.matches(MKS)
                           else schema.create_v26)
    args = body['remote_console']
    url = _url(common.context(req), server_id, args['protocol'],
               args['type'])
    return common.json_response({'remote_console': {
        'protocol': args['protocol'], 'type': args['type'], 'url': url}})


def _action(name: str, protocol: str, body_schema: dict):
    """An (action schema, handler) pair of ACTIONS for a pre-2.6 console
    action: 200 {"console": {"type", "url"}}; from 2.6 no such action."""
    def schema_for(version: Any) -> dict:
        # From 2.6 any arguments reach the handler, which answers 404.
        if version.matches(REMOTE_CONSOLES):
            return {'type': 'object', 'properties': {name: {}},
                    'required': [name], 'additionalProperties': False}
        return body_schema

    def handle(req: webob.Request, server_id: str,
               body: dict) -> webob.Response:
        if common.version(req).matches(REMOTE_CONSOLES):
            raise fault.not_found('There is no such action: %s' % name)
        console_type = body[name]['type']
        url = _url(common.context(req), server_id, protocol, console_type)
        return common.json_response({'console': {'type': console_type,
                                                 'url': url}})
    return schema_for, handle


ACTIONS = {
    'os-getVNCConsole': _action('os-getVNCConsole', 'vnc',
                                schema.get_vnc_console),
    'os-getSPICEConsole': _action('os-getSPICEConsole', 'spice',
                                  schema.get_spice_console),
    'os-getRDPConsole': _action('os-getRDPConsole', 'rdp',
                                schema.get_rdp_console),
    'os-getSerialConsole': _action('os-getSerialConsole', 'serial',
                                   schema.get_serial_console),
}
