"""/os-quota-class-sets/{id}: named sets of default limits. Only the
'default' class applies (to every project that sets no limit itself);
others are kept and shown.

By microversion: before 2.50 answers leave out server_groups and
server_group_members; from 2.50 they leave out (and bodies may not set)
nova-network's resources.
"""

from oslo_log import log as logging
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import quota_classes as schema
from nova.api import validation
from nova.db.api import quotas as db
from nova.db import engines
from nova import policy
from nova.policies import quota_class_sets as rules
from nova import quota

LOG = logging.getLogger(__name__)

_SERVER_GROUPS = ('server_groups', 'server_group_members')


def _answer(req: webob.Request, limits: dict,
            class_name: str | None) -> webob.Response:
    hidden = (quota.NETWORK if common.version(req).matches((2, 50))
              else _SERVER_GROUPS)
    body = {r: limits[r] for r in quota.RESOURCES if r not in hidden}
    if class_name is not None:
        body['id'] = class_name
    return common.json_response({'quota_class_set': body})


def _authorize(req: webob.Request, rule: str, class_name: str) -> None:
    policy.authorize(common.context(req), rule, {'quota_class': class_name})


def show(req: webob.Request, class_id: str) -> webob.Response:
    """200 {"quota_class_set": {..., "id"}}; 403 unless administrator."""
    _authorize(req, rules.SHOW, class_id)
    return _answer(req, quota.get_class_limits(common.context(req),
                                               class_id), class_id)


def update(req: webob.Request, class_id: str) -> webob.Response:
    """200 {"quota_class_set": {...}} (no id); 400 for a bad body or a
    class name over 255 characters; 403 unless administrator."""
    _authorize(req, rules.UPDATE, class_id)
    ctx = common.context(req)
    if len(class_id) > 255:
        raise fault.bad_request(
            'quota_class_name has more than 255 characters.')
    body = validation.body(req, schema.update_v250
                           if common.version(req).matches((2, 50))
                           else schema.update)
    wanted = {r: int(v) for r, v in body['quota_class_set'].items()}
    with engines.api_writer(ctx) as conn:
        db.set_class_limits(conn, class_id, wanted)
    LOG.info('Quota class %s set: %s', class_id,
             ', '.join('%s=%d' % rl for rl in sorted(wanted.items())))
    return _answer(req, quota.get_class_limits(ctx, class_id), None)
