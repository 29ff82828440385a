"""A Pike policy file's os_compute_api:os-flavor-manage was ignored.

Symptom: an operator's policy file from Pike granting flavor management
with "os_compute_api:os-flavor-manage" (Pike's one rule for flavor
create and delete) had no effect: the API checked only the newer
os_compute_api:os-flavor-manage:create and :delete rules.

Cause: the new rules were registered without their old name.

Fix: 4daac6e ("API differences from upstream: ..."): both new rules name
Pike's rule as their deprecated predecessor, so a policy file setting
only the old name governs them (oslo.policy's handling of a renamed
rule, with a deprecation warning), as upstream's deprecation did.
"""

import json

from tests.functional.nova.api.conftest import flavor_body


def _with_policy(api_conf, tmp_path, rules):
    from nova import policy
    path = tmp_path / 'policy.json'
    path.write_text(json.dumps(rules))
    api_conf.set_override('policy_file', str(path), group='oslo_policy')
    policy.reset()


def test_pike_rule_governs_flavor_create_and_delete(compute, api_conf,
                                                    tmp_path):
    from nova import policy
    _with_policy(api_conf, tmp_path, {
        'os_compute_api:os-flavor-manage': 'user_id:carol'})
    try:
        resp = compute.post('/v2.1/flavors', token='dave:p1',
                            json=flavor_body('f', '1'))
        assert resp.status_int == 403, resp.text
        resp = compute.post('/v2.1/flavors', json=flavor_body('f', '1'),
                            token='carol:p1')
        assert resp.status_int == 200, resp.text
        resp = compute.delete('/v2.1/flavors/1', token='carol:p1')
        assert resp.status_int == 202, resp.text
    finally:
        api_conf.clear_override('policy_file', group='oslo_policy')
        policy.reset()


def test_new_rule_wins_over_the_pike_one(compute, api_conf, tmp_path):
    from nova import policy
    _with_policy(api_conf, tmp_path, {
        'os_compute_api:os-flavor-manage': 'user_id:carol',
        'os_compute_api:os-flavor-manage:create': 'user_id:dave'})
    try:
        resp = compute.post('/v2.1/flavors', json=flavor_body('f', '1'),
                            token='carol:p1')
        assert resp.status_int == 403, resp.text
        resp = compute.post('/v2.1/flavors', json=flavor_body('f', '1'),
                            token='dave:p1')
        assert resp.status_int == 200, resp.text
        # Delete has no rule of its own in the file: the Pike one.
        resp = compute.delete('/v2.1/flavors/1', token='carol:p1')
        assert resp.status_int == 202, resp.text
    finally:
        api_conf.clear_override('policy_file', group='oslo_policy')
        policy.reset()
