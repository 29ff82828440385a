"""How the servers API presents a server of a cell that does not answer
(microversion 2.69): the few fields the API database knows, status
UNKNOWN, as upstream's partial records.

- index: id, status, links;
- /servers/detail: also tenant_id and created;
- show: also user_id, flavor, image, OS-EXT-AZ:availability_zone and
  OS-EXT-STS:power_state (from the request spec; "UNKNOWN" for a user or
  zone it does not know).
"""

from typing import Any

import webob

from nova.api.compute import common
from nova.api.compute import server_views as views
from nova.compute import states
from nova.compute.down_cells import PartialServer

STATUS = 'UNKNOWN'


def basic(req: webob.Request, server: PartialServer) -> dict:
    return {'id': server.uuid, 'status': STATUS,
            'links': common.links(req, 'servers', server.uuid)}


def detail(req: webob.Request, server: PartialServer) -> dict:
    out: dict[str, Any] = {
        'id': server.uuid, 'status': STATUS, 'tenant_id': server.project_id,
        'created': common.isotime(server.created_at),
        'links': common.links(req, 'servers', server.uuid)}
    if server.flavor is None:
        # A list: its request specs are not read, as upstream.
        return out
    out.update({
        'user_id': server.user_id or STATUS,
        'flavor': views.flavor_view(req, server.flavor),
        'image': ({'id': server.image_ref,
                   'links': common.bookmark(req, 'images', server.image_ref)}
                  if server.image_ref else ''),
        'OS-EXT-AZ:availability_zone': server.availability_zone or STATUS,
        'OS-EXT-STS:power_state': states.NOSTATE,
    })
    return out
