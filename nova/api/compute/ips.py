"""/servers/{server_id}/ips: a server's addresses by network label, as its
body's "addresses" shows them."""

import webob

from nova.api.compute import common
from nova.api.compute import server_views
from nova.api.compute import servers
from nova.api import fault
from nova.policies import ips as rules


def index(req: webob.Request, server_id: str) -> webob.Response:
    """200 {"addresses": {label: [{"version", "addr"}, ...]}}; 404 no such
    server."""
    server = servers.get_authorized(common.context(req), rules.INDEX,
                                    server_id)
    return common.json_response(
        {'addresses': server_views.addresses(server.instance)})


def show(req: webob.Request, server_id: str,
         network_label: str) -> webob.Response:
    """200 {label: [...]}; 404 no such server, or it has no address on
    that network."""
    server = servers.get_authorized(common.context(req), rules.SHOW,
                                    server_id)
    found = server_views.addresses(server.instance)
    if network_label not in found:
        raise fault.not_found('Instance is not a member of specified '
                              'network')
    return common.json_response({network_label: found[network_label]})
