"""The arithmetic of counted quotas, on plain values: limits layered over
the defaults, usage summed, the over-quota check at project and user
level with -1 unlimited, and the bounds a new limit may take."""

import json

import pytest
import webob

from nova.api.compute import quota_views
from nova.api import microversion
from nova.api import middleware
from nova.compute import quotas
from nova import exception
from nova import quota
from tests import nova_services

# [quota] defaults, as nova/conf/quota.py documents them.
DEFAULTS = {
    'instances': 10, 'cores': 20, 'ram': 51200, 'security_groups': 10,
    'fixed_ips': -1, 'floating_ips': 10, 'metadata_items': 128,
    'injected_files': 5, 'injected_file_content_bytes': 10240,
    'injected_file_path_bytes': 255, 'security_group_rules': 20,
    'key_pairs': 100, 'server_groups': 10, 'server_group_members': 10}


@pytest.fixture
def conf():
    with nova_services.configured() as conf:
        yield conf


# -- limits: the first layer that sets one, else the option


def test_no_layer_is_the_options(conf):
    assert quota._merged() == DEFAULTS


def test_options_may_be_overridden(conf):
    conf.set_override('instances', 3, group='quota')
    conf.set_override('injected_file_path_length', 99, group='quota')
    merged = quota._merged({})
    assert (merged['instances'], merged['injected_file_path_bytes']) == (
        3, 99)


def test_first_layer_wins_and_none_falls_through(conf):
    user = {'instances': 2, 'cores': None}
    project = {'instances': 5, 'cores': 8, 'ram': -1}
    default_class = {'ram': 1024, 'key_pairs': 7}
    merged = quota._merged(user, project, default_class)
    assert (merged['instances'], merged['cores'], merged['ram'],
            merged['key_pairs'], merged['metadata_items']) == (
        2, 8, -1, 7, 128)


def test_unlimited_and_zero_are_limits_not_gaps(conf):
    merged = quota._merged({'instances': 0, 'cores': -1}, {'instances': 4})
    assert (merged['instances'], merged['cores']) == (0, -1)


def test_unknown_resources_are_not_limits(conf):
    assert 'gpus' not in quota._merged({'gpus': 1})


def test_resources_in_upstream_order():
    assert quota.RESOURCES[:3] == ('instances', 'cores', 'ram')
    assert len(quota.RESOURCES) == 14 == len(set(quota.RESOURCES))
    assert set(quota.NETWORK) < set(quota.RESOURCES)


# -- usage sums


def test_add_sums_the_counted_resources_only():
    total = {'instances': 1, 'cores': 2, 'ram': 512}
    quota._add(total, {'instances': 2, 'cores': 4, 'ram': 1024,
                       'key_pairs': 9})
    assert total == {'instances': 3, 'cores': 6, 'ram': 1536}


def test_minus_keeps_unlimited():
    assert quota._minus(10, 4) == 6
    assert quota._minus(10, 12) == -2
    assert quota._minus(-1, 4) == -1
    assert quota._minus(0, 0) == 0


# -- the over-quota check of one resource at each level


def _over(resource, limits, used, delta):
    with pytest.raises(exception.OverQuota) as caught:
        quota._check_counted(resource, limits, used, delta)
    return caught.value.kwargs


def test_fits_exactly():
    assert quota._check_counted('server_groups', [10, 10], [7, 3], 3) is None


def test_one_past_the_project_limit():
    assert _over('server_groups', [10, 10], [8, 3], 3) == {
        'overs': ['server_groups'], 'quotas': {'server_groups': 10},
        'usages': {'server_groups': 8}}


def test_user_level_is_checked_after_the_project_s():
    assert _over('server_groups', [10, 4], [5, 3], 2) == {
        'overs': ['server_groups'], 'quotas': {'server_groups': 4},
        'usages': {'server_groups': 3}}


def test_the_project_level_reports_first():
    kwargs = _over('key_pairs', [2, 1], [2, 1], 1)
    assert (kwargs['quotas'], kwargs['usages']) == ({'key_pairs': 2},
                                                     {'key_pairs': 2})


def test_unlimited_levels_are_skipped():
    assert quota._check_counted('server_groups', [-1, -1], [1000, 999],
                                1) is None
    assert _over('server_groups', [-1, 2], [50, 2], 1)['quotas'] == {
        'server_groups': 2}


def test_delta_zero_rechecks_what_is_there():
    assert quota._check_counted('key_pairs', [3], [3], 0) is None
    assert _over('key_pairs', [3], [4], 0)['usages'] == {'key_pairs': 4}


def test_zero_limit_refuses_any():
    assert _over('server_group_members', [0], [0], 1)['quotas'] == {
        'server_group_members': 0}


def test_over_quota_message():
    exc = exception.OverQuota(overs=['cores'], quotas={'cores': 4},
                              usages={'cores': 4})
    assert str(exc) == "Quota exceeded for resources: ['cores']"
    assert exc.code == 403


def test_check_deltas_refuses_resources_it_does_not_count():
    # Raised before any limit or usage is read.
    with pytest.raises(ValueError) as caught:
        quota.check_deltas(None, 'p1', None, {'instances': 1,
                                              'key_pairs': 1, 'gpus': 2})
    assert str(caught.value) == 'Not counted resources: gpus, key_pairs'


# -- the bounds of a new limit (os-quota-sets update)


@pytest.mark.parametrize('limit, minimum, maximum', [
    (5, 5, -1), (5, 0, 5), (-1, 3, -1), (0, 0, 0), (10, 2, 10)])
def test_settable(limit, minimum, maximum):
    assert quotas._check_settable('cores', limit, minimum, maximum) is None


def test_below_usage():
    with pytest.raises(exception.QuotaLimitBelowUsage) as caught:
        quotas._check_settable('cores', 3, 4, -1)
    assert str(caught.value) == (
        'Quota limit 3 for cores must be greater than or equal to already '
        'used and reserved 4.')
    assert caught.value.code == 400


def test_a_finite_limit_is_below_an_unlimited_minimum():
    with pytest.raises(exception.QuotaLimitBelowUsage):
        quotas._check_settable('cores', 1000000, -1, -1)


def test_above_what_the_project_has_left():
    with pytest.raises(exception.QuotaLimitAboveMaximum) as caught:
        quotas._check_settable('ram', 2048, 0, 1024)
    assert str(caught.value) == (
        'Quota limit 2048 for ram must be less than or equal to 1024.')
    # Unlimited is above any finite maximum.
    with pytest.raises(exception.QuotaLimitAboveMaximum):
        quotas._check_settable('ram', -1, 0, 1024)


def test_log_helpers():
    assert quotas._listed({'ram': 1, 'cores': -1}) == 'cores=-1, ram=1'
    assert quotas._for('p1', None) == 'p1'
    assert quotas._for('p1', 'u1') == 'p1 user u1'


# -- what the quota APIs show, by microversion


def _shown(version, **kwargs):
    req = webob.Request.blank('/v2.1/os-quota-sets/p1')
    req.environ[middleware.VERSION_KEY] = microversion.Version(*version)
    values = {r: i for i, r in enumerate(quota.RESOURCES)}
    resp = quota_views.response(req, 'quota_set', values, 'p1', (2, 36),
                                **kwargs)
    return json.loads(resp.body)['quota_set']


def test_network_resources_hidden_from_their_microversion():
    assert sorted(_shown((2, 35))) == sorted(quota.RESOURCES + ('id',))
    shown = _shown((2, 36))
    assert sorted(shown) == sorted(
        set(quota.RESOURCES) - set(quota.NETWORK) | {'id'})
    assert (shown['id'], shown['instances'], shown['key_pairs']) == (
        'p1', 0, 11)


def test_hidden_before_applies_below_that_microversion():
    shown = _shown((2, 35), hidden_before=('server_groups',
                                           'server_group_members'))
    assert 'server_groups' not in shown and 'fixed_ips' in shown
    assert 'server_groups' in _shown((2, 36), hidden_before=(
        'server_groups',))
