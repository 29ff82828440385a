"""/os-quota-sets/{tenant_id}: a project's limits, or (?user_id=) those of
one of its users; /defaults and /detail (with usage). Administrators set
and revert them.

By microversion: 2.36 drops nova-network's resources (fixed and floating
IPs, security groups and their rules) from bodies and answers, 2.57 the
personality files' limits (injected_file*).
"""

from oslo_utils import strutils
import webob

from nova.api.compute import common
from nova.api.compute import quota_views
from nova.api.schemas import quota_sets as schema
from nova.api import validation
from nova.compute import quotas as quotas_api
from nova import policy
from nova.policies import quota_sets as rules

# From here answers leave out nova-network's resources.
_NO_NETWORK = (2, 36)


def _answer(req: webob.Request, values: dict,
            project_id: str | None) -> webob.Response:
    """{"quota_set": {resource: value, "id" if project_id}}."""
    return quota_views.response(req, 'quota_set', values, project_id,
                                _NO_NETWORK)


def _authorize(req: webob.Request, rule: str, project_id: str) -> None:
    policy.authorize(common.context(req), rule, {'project_id': project_id})


def show(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {..., "id"}}: the project's (or user's) limits."""
    _authorize(req, rules.SHOW, tenant_id)
    limits = quotas_api.get_limits(common.context(req), tenant_id,
                                   req.GET.get('user_id'))
    return _answer(req, limits, tenant_id)


def detail(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {resource: {"limit", "in_use", "reserved"}}}.
    Nothing is ever reserved (usage is counted), so reserved is 0."""
    _authorize(req, rules.DETAIL, tenant_id)
    return _answer(req, quotas_api.get_detail(common.context(req), tenant_id,
                                              req.GET.get('user_id')),
                   tenant_id)


def defaults(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {..., "id"}}: the limits of a project that sets
    none itself (the 'default' quota class over the [quota] options)."""
    _authorize(req, rules.DEFAULTS, tenant_id)
    return _answer(req, quotas_api.get_class_limits(common.context(req)),
                   tenant_id)


def update(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {...}} (no id): the limits after the update.

    400 if a limit is below what is in use (or, for a project, below what
    its users were given) or, for a user, above what the project has left
    to give, unless "force" is true; 400 for a bad body; 403 unless
    administrator."""
    _authorize(req, rules.UPDATE, tenant_id)
    want = common.version(req)
    body = validation.body(req, schema.update_v257 if want.matches((2, 57))
                           else schema.update_v236
                           if want.matches(_NO_NETWORK) else schema.update)
    wanted = dict(body['quota_set'])
    force = strutils.bool_from_string(wanted.pop('force', False))
    limits = quotas_api.update_limits(
        common.context(req), tenant_id, req.GET.get('user_id'),
        {r: int(v) for r, v in wanted.items()}, force)
    return _answer(req, limits, None)


def delete(req: webob.Request, tenant_id: str) -> webob.Response:
    """202: the project's limits and its users' (or, with ?user_id=, that
    user's) are back to the defaults; 403 unless administrator."""
    _authorize(req, rules.DELETE, tenant_id)
    quotas_api.delete_limits(common.context(req), tenant_id,
                             req.GET.get('user_id'))
    return common.empty(202)
