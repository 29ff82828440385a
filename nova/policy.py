"""The oslo.policy enforcer of the compute API, created once per process."""

import threading

from oslo_config import cfg
from oslo_policy import policy as oslo_policy

from nova import exception
from nova import policies

_enforcer: oslo_policy.Enforcer | None = None
_lock = threading.Lock()


def get_enforcer(conf: cfg.ConfigOpts | None = None) -> oslo_policy.Enforcer:
    global _enforcer
    with _lock:
        if _enforcer is None:
            from nova.conf import CONF
            enforcer = oslo_policy.Enforcer(conf or CONF)
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            _enforcer = enforcer
        return _enforcer


def _credentials(ctx) -> dict:
    # Pike's rules test is_admin:True, which oslo.context's values leave
    # out (and warn about when asked); a plain dict carries it quietly.
    creds = dict(ctx.to_policy_values())
    creds['is_admin'] = ctx.is_admin
    return creds


def check_is_admin(ctx) -> bool:
    """Whether `ctx` passes context_is_admin (what ctx.is_admin becomes)."""
    return get_enforcer().enforce('context_is_admin', {},
                                  _credentials(ctx), do_raise=False)


_CACHE = '_nova_policy_answers'


def authorize(ctx, action: str, target: dict | None = None) -> None:
    """PolicyNotAuthorized (a 403) unless `ctx` may perform `action`.

    Answers are remembered on the context, i.e. for one request: a
    server list asks the same few questions of every server, and each
    enforce() call re-reads the policy files' state."""
    if target is None:
        target = {'project_id': ctx.project_id, 'user_id': ctx.user_id}
    answers = getattr(ctx, _CACHE, None)
    if answers is None:
        answers = {}
        setattr(ctx, _CACHE, answers)
    # Copies of a context share the dict; elevated() ones must not share
    # its answers.
    key = (action, ctx.is_admin, tuple(ctx.roles),
           tuple(sorted((k, str(v)) for k, v in target.items())))
    allowed = answers.get(key)
    if allowed is None:
        allowed = answers[key] = get_enforcer().enforce(
            action, target, _credentials(ctx), do_raise=False)
    if not allowed:
        raise exception.PolicyNotAuthorized(action=action)


def reset() -> None:
    global _enforcer
    with _lock:
        _enforcer = None
