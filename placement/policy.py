"""The oslo.policy enforcer, created once per process."""

import threading

from oslo_config import cfg
from oslo_log import log as logging
from oslo_policy import policy as oslo_policy

from placement import policies

LOG = logging.getLogger(__name__)

_enforcer = None
_lock = threading.Lock()


def get_enforcer(conf: cfg.ConfigOpts | None = None) -> oslo_policy.Enforcer:
    global _enforcer
    with _lock:
        if _enforcer is None:
            from placement.conf import CONF
            conf = conf or CONF
            enforcer = oslo_policy.Enforcer(conf)
            # Every rule changed its default together; one log line says
            # so instead of a warning per rule per process.
            enforcer.suppress_default_change_warnings = True
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            if not conf.oslo_policy.enforce_new_defaults:
                LOG.warning('[oslo_policy] enforce_new_defaults is off: the '
                            'deprecated admin-only policy defaults still '
                            'grant access alongside the new ones.')
            _enforcer = enforcer
        return _enforcer


def authorize(ctx, action: str, target: dict) -> bool:
    creds = ctx.to_policy_values()
    return get_enforcer().enforce(action, target, creds, do_raise=False)


def reset() -> None:
    global _enforcer
    with _lock:
        _enforcer = None
