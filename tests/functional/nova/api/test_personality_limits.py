"""2.57 takes personality files away: their limits leave /limits
(maxPersonality, maxPersonalitySize), os-quota-sets (show, defaults,
detail, update) and os-quota-class-sets (show, update)."""

import pytest

Q = '/v2.1/os-quota-sets'
QC = '/v2.1/os-quota-class-sets'
PERSONALITY = {'injected_files', 'injected_file_content_bytes',
               'injected_file_path_bytes'}


def test_limits_drop_personality_at_2_57(compute):
    at_2_56 = compute.get('/v2.1/limits', version='2.56').json['limits'][
        'absolute']
    at_2_57 = compute.get('/v2.1/limits', version='2.57').json['limits'][
        'absolute']
    assert (at_2_56['maxPersonality'],
            at_2_56['maxPersonalitySize']) == (5, 10240)
    assert set(at_2_57) == set(at_2_56) - {'maxPersonality',
                                           'maxPersonalitySize'}


@pytest.mark.parametrize('path', [Q + '/p1', Q + '/p1/defaults',
                                  Q + '/p1/detail', QC + '/default'])
def test_quota_bodies_drop_personality_at_2_57(compute, path):
    key = 'quota_class_set' if path.startswith(QC) else 'quota_set'
    at_2_56 = compute.get(path, version='2.56').json[key]
    at_2_57 = compute.get(path, version='2.57').json[key]
    assert PERSONALITY <= set(at_2_56)
    assert set(at_2_57) == set(at_2_56) - PERSONALITY


@pytest.mark.parametrize('path, key', [(Q + '/p1', 'quota_set'),
                                       (QC + '/default', 'quota_class_set')])
@pytest.mark.parametrize('resource', sorted(PERSONALITY))
def test_setting_personality_limits_is_400_from_2_57(compute, path, key,
                                                     resource):
    resp = compute.put(path, version='2.57', json={key: {resource: 3}})
    assert resp.status_int == 400
    assert "'%s' was unexpected" % resource in resp.json['badRequest'][
        'message']
    resp = compute.put(path, version='2.56', json={key: {resource: 3}})
    assert resp.status_int == 200, resp.text
    assert resp.json[key][resource] == 3
    # Other limits still change at 2.57, answered without personality.
    resp = compute.put(path, version='2.57', json={key: {'instances': 7}})
    assert resp.status_int == 200, resp.text
    assert resp.json[key]['instances'] == 7
    assert not PERSONALITY & set(resp.json[key])
