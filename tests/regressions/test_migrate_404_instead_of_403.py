"""A non-admin's migrate of a server answered 404 instead of 403.

Symptom: the policy matrix (tests/functional/nova/api/test_policy_matrix.py)
saw POST /servers/{id}/action {"migrate": null} from a non-admin answer
404 for a server it could not see, where upstream answers 403.

Cause: the handler looked the server up (404 for another project's or a
missing server) before checking the admin-only migrate rule.

Fix: 2e14937 ("Compute API surface: ..."): _migrate authorizes
os_compute_api:os-migrate-server:migrate before the lookup.
"""

import uuid as uuidlib


def test_migrate_is_refused_before_the_server_is_looked_up(compute):
    resp = compute.post('/v2.1/servers/%s/action' % uuidlib.uuid4(),
                        json={'migrate': None}, token='bob:p2')
    assert resp.status_int == 403, resp.text
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:os-migrate-server:migrate to "
        "be performed.")
    # An admin passes the rule and gets the lookup's 404.
    resp = compute.post('/v2.1/servers/%s/action' % uuidlib.uuid4(),
                        json={'migrate': None})
    assert resp.status_int == 404, resp.text
