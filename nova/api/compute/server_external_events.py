"""/os-server-external-events: how Neutron and Cinder tell nova about a
server (a port plugged, a volume extended). Each event is passed to the
compute host of its server, which wakes whatever waits for it.

Each event in the answer carries its own outcome: code 200 (status
completed) when it was sent on, 404 (failed) for a server that does not
exist or is not in a cell yet, 422 (failed) for a server with no host.
The answer is 200 if every event was sent, 207 if only some were, and a
404 fault if none was.
"""

from oslo_log import log as logging
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import server_external_events as schema
from nova.api import validation
from nova.compute import api as compute_api
from nova import exception
from nova import policy
from nova.policies import server_external_events as rules

LOG = logging.getLogger(__name__)


def _servers(ctx, uuids: set[str]) -> dict[str, compute_api.Server]:
    found = {}
    for uuid in uuids:
        try:
            server = compute_api.get(ctx, uuid)
        except exception.InstanceNotFound:
            continue
        if server.scheduled:
            found[uuid] = server
    return found


def create(req: webob.Request) -> webob.Response:
    """200 or 207 {"events": [...each with status and code]}; 400 bad
    body; 403 not an admin; 404 no event could be sent."""
    ctx = common.context(req)
    body = validation.body(req, schema.create_schema(common.version(req)))
    policy.authorize(ctx, rules.CREATE)
    events = body['events']
    servers = _servers(ctx, {e['server_uuid'] for e in events})
    accepted, targets, status = [], {}, 200
    for event in events:
        server = servers.get(event['server_uuid'])
        if server is None:
            event.update(status='failed', code=404)
            status = 207
            LOG.debug('Dropping event %s for unknown server %s',
                      event['name'], event['server_uuid'])
        elif not server.instance.host:
            event.update(status='failed', code=422)
            status = 207
            LOG.debug('Dropping event %s for server %s, which has no host',
                      event['name'], event['server_uuid'])
        else:
            accepted.append({'server_uuid': event['server_uuid'],
                             'name': event['name'],
                             'status': event.get('status', 'completed'),
                             'tag': event.get('tag')})
            targets[server.instance.uuid] = server
            event.update(status='completed', code=200)
            LOG.info('Creating event %s:%s for server %s on %s',
                     event['name'], event.get('tag'), event['server_uuid'],
                     server.instance.host)
    if not accepted:
        raise fault.not_found('No instances found for any event')
    compute_api.external_instance_event(ctx, list(targets.values()),
                                        accepted)
    return common.json_response({'events': events}, status)
