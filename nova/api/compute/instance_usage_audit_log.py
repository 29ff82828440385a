"""/os-instance_usage_audit_log: how far the computes' instance usage
audit got for the last completed audit period (admins only), or for the
last one completed before a time (/{before_timestamp})."""

import datetime

import webob

from nova.api.compute import common
from nova.api import fault
from nova.compute import usage_audit
from nova import policy
from nova.policies import instance_usage_audit_log as rules


def index(req: webob.Request) -> webob.Response:
    """200 {"instance_usage_audit_logs": {...}}; 403 not admin."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    return common.json_response(
        {'instance_usage_audit_logs': usage_audit.audit_log(ctx)})


def _timestamp(text: str) -> datetime.datetime:
    """'2012-07-01 00:00:00' with or without .microseconds; 400 else."""
    pattern = '%Y-%m-%d %H:%M:%S.%f' if '.' in text else '%Y-%m-%d %H:%M:%S'
    try:
        return datetime.datetime.strptime(text, pattern)
    except ValueError:
        raise fault.bad_request('Invalid timestamp for date %s' % text)


def show(req: webob.Request, before_timestamp: str) -> webob.Response:
    """200 {"instance_usage_audit_log": {...}}; 400 bad timestamp."""
    ctx = common.context(req)
    policy.authorize(ctx, rules.BASE)
    before = _timestamp(before_timestamp)
    return common.json_response(
        {'instance_usage_audit_log': usage_audit.audit_log(ctx, before)})
