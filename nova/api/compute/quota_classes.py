"""/os-quota-class-sets/{id}: named sets of default limits. Only the
'default' class applies (to every project that sets no limit itself);
others are kept and shown.

By microversion: before 2.50 answers leave out server_groups and
server_group_members; from 2.50 they leave out (and bodies may not set)
nova-network's resources, from 2.57 the personality files' limits.
"""

import webob

from nova.api.compute import common
from nova.api.compute import quota_views
from nova.api import fault
from nova.api.schemas import quota_classes as schema
from nova.api import validation
from nova.compute import quotas as quotas_api
from nova import policy
from nova.policies import quota_class_sets as rules

# From here answers leave out nova-network's resources; before, these.
_NO_NETWORK = (2, 50)
_SERVER_GROUPS = ('server_groups', 'server_group_members')


def _answer(req: webob.Request, limits: dict,
            class_name: str | None) -> webob.Response:
    return quota_views.response(req, 'quota_class_set', limits, class_name,
                                _NO_NETWORK, hidden_before=_SERVER_GROUPS)


def _authorize(req: webob.Request, rule: str, class_name: str) -> None:
    policy.authorize(common.context(req), rule, {'quota_class': class_name})


def show(req: webob.Request, class_id: str) -> webob.Response:
    """200 {"quota_class_set": {..., "id"}}; 403 unless administrator."""
    _authorize(req, rules.SHOW, class_id)
    return _answer(req, quotas_api.get_class_limits(common.context(req),
                                                    class_id), class_id)


def update(req: webob.Request, class_id: str) -> webob.Response:
    """200 {"quota_class_set": {...}} (no id); 400 for a bad body or a
    class name over 255 characters; 403 unless administrator."""
    _authorize(req, rules.UPDATE, class_id)
    if len(class_id) > 255:
        raise fault.bad_request(
            'quota_class_name has more than 255 characters.')
    want = common.version(req)
    body = validation.body(req, schema.update_v257 if want.matches((2, 57))
                           else schema.update_v250
                           if want.matches(_NO_NETWORK) else schema.update)
    wanted = {r: int(v) for r, v in body['quota_class_set'].items()}
    return _answer(req, quotas_api.update_class_limits(
        common.context(req), class_id, wanted), None)
