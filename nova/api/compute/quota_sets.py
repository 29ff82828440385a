"""/os-quota-sets/{tenant_id}: a project's limits, or (?user_id=) those of
one of its users; /defaults and /detail (with usage). Administrators set
and revert them.

By microversion: 2.36 drops nova-network's resources (fixed and floating
IPs, security groups and their rules) from bodies and answers.
"""

from oslo_log import log as logging
from oslo_utils import strutils
import webob

from nova.api.compute import common
from nova.api import fault
from nova.api.schemas import quota_sets as schema
from nova.api import validation
from nova.db.api import quotas as db
from nova.db import engines
from nova import policy
from nova.policies import quota_sets as rules
from nova import quota

LOG = logging.getLogger(__name__)


def _shown(req: webob.Request) -> list[str]:
    hidden = quota.NETWORK if common.version(req).matches((2, 36)) else ()
    return [r for r in quota.RESOURCES if r not in hidden]


def _answer(req: webob.Request, values: dict,
            project_id: str | None) -> webob.Response:
    """{"quota_set": {resource: value, "id" if project_id}}."""
    body = {r: values[r] for r in _shown(req)}
    if project_id is not None:
        body['id'] = project_id
    return common.json_response({'quota_set': body})


def _authorize(req: webob.Request, rule: str, project_id: str) -> None:
    policy.authorize(common.context(req), rule, {'project_id': project_id})


def show(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {..., "id"}}: the project's (or user's) limits."""
    _authorize(req, rules.SHOW, tenant_id)
    limits = quota.get_limits(common.context(req), tenant_id,
                              req.GET.get('user_id'))
    return _answer(req, limits, tenant_id)


def detail(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {resource: {"limit", "in_use", "reserved"}}}.
    Nothing is ever reserved (usage is counted), so reserved is 0."""
    _authorize(req, rules.DETAIL, tenant_id)
    ctx = common.context(req)
    user_id = req.GET.get('user_id')
    limits = quota.get_limits(ctx, tenant_id, user_id)
    used = quota.get_usages(ctx, tenant_id, user_id)
    return _answer(req, {r: {'limit': limits[r], 'in_use': used[r],
                             'reserved': 0} for r in quota.RESOURCES},
                   tenant_id)


def defaults(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {..., "id"}}: the limits of a project that sets
    none itself (the 'default' quota class over the [quota] options)."""
    _authorize(req, rules.DEFAULTS, tenant_id)
    return _answer(req, quota.get_class_limits(common.context(req)),
                   tenant_id)


def update(req: webob.Request, tenant_id: str) -> webob.Response:
    """200 {"quota_set": {...}} (no id): the limits after the update.

    400 if a limit is below what is in use (or, for a project, below what
    its users were given) or, for a user, above what the project has left
    to give, unless "force" is true; 400 for a bad body; 403 unless
    administrator."""
    _authorize(req, rules.UPDATE, tenant_id)
    ctx = common.context(req)
    want = common.version(req)
    body = validation.body(req, schema.update_v236 if want.matches((2, 36))
                           else schema.update)
    wanted = dict(body['quota_set'])
    force = strutils.bool_from_string(wanted.pop('force', False))
    wanted = {r: int(v) for r, v in wanted.items()}
    user_id = req.GET.get('user_id')
    if not force:
        settable = quota.get_settable(ctx, tenant_id, user_id)
        for resource, limit in wanted.items():
            _check_settable(resource, limit, *settable[resource])
    with engines.api_writer(ctx) as conn:
        if user_id is None:
            db.set_project_limits(conn, tenant_id, wanted)
        else:
            db.set_user_limits(conn, tenant_id, user_id, wanted)
    LOG.info('Quotas of project %s%s set: %s', tenant_id,
             ' user %s' % user_id if user_id else '',
             ', '.join('%s=%d' % rl for rl in sorted(wanted.items())))
    return _answer(req, quota.get_limits(ctx, tenant_id, user_id), None)


def _unbounded(value: int) -> float:
    return float('inf') if value == quota.UNLIMITED else value


def _check_settable(resource: str, limit: int, minimum: int,
                    maximum: int) -> None:
    if _unbounded(limit) < _unbounded(minimum):
        raise fault.bad_request(
            'Quota limit %s for %s must be greater than or equal to already '
            'used and reserved %s.' % (limit, resource, minimum))
    if _unbounded(limit) > _unbounded(maximum):
        raise fault.bad_request(
            'Quota limit %s for %s must be less than or equal to %s.'
            % (limit, resource, maximum))


def delete(req: webob.Request, tenant_id: str) -> webob.Response:
    """202: the project's limits and its users' (or, with ?user_id=, that
    user's) are back to the defaults; 403 unless administrator."""
    _authorize(req, rules.DELETE, tenant_id)
    user_id = req.GET.get('user_id')
    with engines.api_writer(common.context(req)) as conn:
        if user_id is None:
            db.delete_project_limits(conn, tenant_id)
        else:
            db.delete_user_limits(conn, tenant_id, user_id)
    LOG.info('Quotas of project %s%s reverted to the defaults', tenant_id,
             ' user %s' % user_id if user_id else '')
    return common.empty(202)
