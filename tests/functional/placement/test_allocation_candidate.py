"""GET /allocation_candidates through the HTTP API: sharing and nested
providers, granular groups and their policies, mappings, limits, summaries
and the 400s for request groups that do not add up."""

import uuid

import pytest

from placement import conf

pytestmark = pytest.mark.all_databases

LATEST = '1.39'
PROJECT = 'a2cec092-0f67-42ed-b870-f3925cc5c6d4'
USER = 'd28385b2-7860-4055-b32d-4cd1057cd5f2'


class Cloud:
    """Seeds providers over the API and names them for assertions."""

    def __init__(self, placement):
        self.api = placement
        self.uuids: dict[str, str] = {}

    def provider(self, name: str, inventories: dict | None = None,
                 parent: str | None = None, traits=(), aggregates=()):
        rp = str(uuid.uuid4())
        body = {'name': name, 'uuid': rp}
        if parent:
            body['parent_provider_uuid'] = self.uuids[parent]
        resp = self.api.post('/resource_providers', json=body, version=LATEST)
        assert resp.status_int == 200, resp.text
        self.uuids[name] = rp
        generation = 0
        if inventories:
            for rc in inventories:
                if rc.startswith('CUSTOM_'):
                    self.api.put('/resource_classes/%s' % rc, version=LATEST)
            generation = self._put(rp, 'inventories', generation,
                                   inventories=inventories)
        if traits:
            for trait in traits:
                if trait.startswith('CUSTOM_'):
                    self.api.put('/traits/%s' % trait, version=LATEST)
            generation = self._put(rp, 'traits', generation,
                                   traits=list(traits))
        if aggregates:
            self._put(rp, 'aggregates', generation,
                      aggregates=list(aggregates))
        return rp

    def _put(self, rp: str, what: str, generation: int, **body) -> int:
        body['resource_provider_generation'] = generation
        resp = self.api.put('/resource_providers/%s/%s' % (rp, what),
                            json=body, version=LATEST)
        assert resp.status_int == 200, resp.text
        return resp.json['resource_provider_generation']

    def claim(self, allocations: dict) -> None:
        body = {'allocations': {self.uuids[name]: {'resources': res}
                                for name, res in allocations.items()},
                'project_id': PROJECT, 'user_id': USER,
                'consumer_generation': None, 'consumer_type': 'INSTANCE'}
        resp = self.api.put('/allocations/%s' % uuid.uuid4(), json=body,
                            version=LATEST)
        assert resp.status_int == 204, resp.text

    def get(self, query: str, version: str = LATEST, status: int = 200):
        resp = self.api.get('/allocation_candidates?' + query,
                            version=version)
        assert resp.status_int == status, resp.text
        return resp.json

    def names(self, uuids) -> list[str]:
        by_uuid = {u: n for n, u in self.uuids.items()}
        return sorted(by_uuid[u] for u in uuids)

    def candidates(self, query: str, version: str = LATEST) -> list:
        """Each candidate as sorted (provider name, {class: amount})."""
        body = self.get(query, version)
        by_uuid = {u: n for n, u in self.uuids.items()}
        return sorted(
            (sorted((by_uuid[u], a['resources'])
                    for u, a in req['allocations'].items())
             for req in body['allocation_requests']),
            key=lambda c: [(n, sorted(r.items())) for n, r in c])


@pytest.fixture
def shared(placement) -> Cloud:
    """cn1 (no disk) and cn2 (local disk) share disk from ss through agg;
    cn1 has a NUMA child with a PF of VFs."""
    cloud = Cloud(placement)
    agg = str(uuid.uuid4())
    compute = {'VCPU': {'total': 8},
               'MEMORY_MB': {'total': 4096, 'allocation_ratio': 1.5}}
    cloud.provider('cn1', compute, traits=['HW_CPU_X86_SSE'],
                   aggregates=[agg])
    cloud.provider('cn2', dict(compute, DISK_GB={'total': 500,
                                                 'reserved': 100}),
                   aggregates=[agg])
    cloud.provider('ss', {'DISK_GB': {'total': 2000}},
                   traits=['MISC_SHARES_VIA_AGGREGATE'], aggregates=[agg])
    cloud.provider('numa1', parent='cn1')
    cloud.provider('pf1', {'SRIOV_NET_VF': {'total': 8}}, parent='numa1')
    return cloud


def test_sharing_provider_completes_a_compute(shared):
    got = shared.candidates('resources=VCPU:1,DISK_GB:100')
    assert got == [
        [('cn1', {'VCPU': 1}), ('ss', {'DISK_GB': 100})],
        [('cn2', {'DISK_GB': 100, 'VCPU': 1})],
        [('cn2', {'VCPU': 1}), ('ss', {'DISK_GB': 100})],
    ]


def test_required_traits_may_come_from_any_provider_used(shared):
    got = shared.candidates('resources=VCPU:1,DISK_GB:100'
                            '&required=MISC_SHARES_VIA_AGGREGATE')
    assert [sorted(n for n, _ in c) for c in got] == [
        ['cn1', 'ss'], ['cn2', 'ss']]
    got = shared.candidates('resources=VCPU:1,DISK_GB:100'
                            '&required=!MISC_SHARES_VIA_AGGREGATE')
    assert got == [[('cn2', {'DISK_GB': 100, 'VCPU': 1})]]


def test_summaries_show_capacity_usage_and_tree(shared):
    shared.claim({'cn2': {'VCPU': 3, 'DISK_GB': 50}})
    body = shared.get('resources=DISK_GB:100')
    summaries = body['provider_summaries']
    assert shared.names(summaries) == ['cn2', 'ss']
    cn2 = summaries[shared.uuids['cn2']]
    assert cn2['resources'] == {
        'VCPU': {'capacity': 8, 'used': 3},
        'MEMORY_MB': {'capacity': 6144, 'used': 0},
        'DISK_GB': {'capacity': 400, 'used': 50}}
    assert cn2['parent_provider_uuid'] is None
    assert cn2['root_provider_uuid'] == shared.uuids['cn2']
    assert summaries[shared.uuids['ss']]['traits'] == [
        'MISC_SHARES_VIA_AGGREGATE']
    # Before 1.27 only the requested classes; before 1.17 no traits.
    old = shared.get('resources=DISK_GB:100', version='1.16')
    assert old['provider_summaries'][shared.uuids['cn2']] == {
        'resources': {'DISK_GB': {'capacity': 400, 'used': 50}}}


def test_nested_providers_from_1_29(shared):
    query = 'resources=VCPU:1,SRIOV_NET_VF:2'
    assert shared.candidates(query, version='1.28') == []
    assert shared.candidates(query, version='1.29') == [
        [('cn1', {'VCPU': 1}), ('pf1', {'SRIOV_NET_VF': 2})]]
    # The summaries cover the whole tree, providers without inventory too.
    body = shared.get(query, version='1.29')
    assert shared.names(body['provider_summaries']) == ['cn1', 'numa1',
                                                         'pf1']
    pf1 = body['provider_summaries'][shared.uuids['pf1']]
    assert pf1['parent_provider_uuid'] == shared.uuids['numa1']
    assert pf1['root_provider_uuid'] == shared.uuids['cn1']


def test_list_format_before_1_12(shared):
    body = shared.get('resources=SRIOV_NET_VF:2', version='1.10')
    assert body['allocation_requests'] == [{'allocations': [{
        'resource_provider': {'uuid': shared.uuids['pf1']},
        'resources': {'SRIOV_NET_VF': 2}}]}]


def test_granular_isolate_and_mappings(shared):
    query = ('resources1=VCPU:1&resources2=DISK_GB:100'
             '&group_policy=%s')
    isolated = shared.get(query % 'isolate')['allocation_requests']
    assert sorted(shared.names(r['mappings']['1'] + r['mappings']['2'])
                  for r in isolated) == [['cn1', 'ss'], ['cn2', 'ss']]
    together = shared.get(query % 'none')['allocation_requests']
    assert len(together) == 3
    # No mappings before 1.34.
    old = shared.get(query % 'none', version='1.33')
    assert all(set(r) == {'allocations'}
               for r in old['allocation_requests'])


def test_groups_on_one_provider_must_fit_together(placement):
    cloud = Cloud(placement)
    cloud.provider('small', {'VCPU': {'total': 4, 'max_unit': 3}})
    assert cloud.candidates('resources1=VCPU:2&resources2=VCPU:1'
                            '&group_policy=none') == [
        [('small', {'VCPU': 3})]]
    assert cloud.candidates('resources1=VCPU:2&resources2=VCPU:2'
                            '&group_policy=none') == []


def test_limit_cuts_requests_and_summaries(shared):
    body = shared.get('resources=VCPU:1&limit=1')
    (only,) = body['allocation_requests']
    assert shared.names(only['allocations']) == ['cn1']
    # Only the tree of the candidate returned is summarised.
    assert shared.names(body['provider_summaries']) == ['cn1', 'numa1',
                                                         'pf1']


def test_randomized_limit_still_answers(shared):
    conf.CONF.set_override('randomize_allocation_candidates', True,
                           group='placement')
    try:
        body = shared.get('resources=VCPU:1&limit=1')
    finally:
        conf.CONF.clear_override('randomize_allocation_candidates',
                                 group='placement')
    assert len(body['allocation_requests']) == 1


def test_forbidden_aggregates_and_root_required(placement):
    cloud = Cloud(placement)
    agg_a, agg_b = str(uuid.uuid4()), str(uuid.uuid4())
    cloud.provider('left', {'VCPU': {'total': 4}}, aggregates=[agg_a],
                   traits=['COMPUTE_VOLUME_MULTI_ATTACH'])
    cloud.provider('right', {'VCPU': {'total': 4}}, aggregates=[agg_b])
    assert cloud.candidates('resources=VCPU:1&member_of=!' + agg_a) == [
        [('right', {'VCPU': 1})]]
    assert cloud.candidates('resources=VCPU:1&member_of=in:%s,%s'
                            % (agg_a, agg_b)) == [
        [('left', {'VCPU': 1})], [('right', {'VCPU': 1})]]
    assert cloud.candidates(
        'resources=VCPU:1&root_required=!COMPUTE_VOLUME_MULTI_ATTACH') == [
        [('right', {'VCPU': 1})]]


def test_same_subtree_with_a_resourceless_group(placement):
    cloud = Cloud(placement)
    cloud.provider('cn', {'VCPU': {'total': 8}})
    for nic in ('nic1', 'nic2'):
        cloud.provider(nic, parent='cn', traits=['CUSTOM_HW_NIC_ROOT'])
    cloud.provider('pf1', {'CUSTOM_VF': {'total': 4}}, parent='nic1',
                   traits=['CUSTOM_PHYSNET1'])
    cloud.provider('pf2', {'CUSTOM_VF': {'total': 4}}, parent='nic2',
                   traits=['CUSTOM_PHYSNET2'])
    body = cloud.get('resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT'
                     '&resources_P1=CUSTOM_VF:1&required_P1=CUSTOM_PHYSNET1'
                     '&same_subtree=_NIC,_P1&group_policy=none')
    (only,) = body['allocation_requests']
    assert {s: cloud.names(ps) for s, ps in only['mappings'].items()} == {
        '': ['cn'], '_NIC': ['nic1'], '_P1': ['pf1']}


@pytest.mark.parametrize('query,version,message', [
    ('', '1.10', "'resources' is a required property"),
    ('resources=', '1.10', 'Got: empty string.'),
    ('resources=VCPU:1&limit=0', '1.16', "Failed validating 'pattern'"),
    ('resources=NOT_A_CLASS:1', LATEST,
     'Invalid resource class in resources parameter'),
    ('resources=VCPU:1&required=CUSTOM_NOPE', LATEST, 'No such trait(s)'),
    ('resources=VCPU:1&required=A,!A', LATEST,
     'Conflicting required and forbidden traits'),
    ('resources1=VCPU:1&resources2=VCPU:1', LATEST,
     'The "group_policy" parameter is required'),
    ('required=HW_CPU_X86_SSE&required1=HW_CPU_X86_SSE&resources2=VCPU:1',
     '1.35', 'orphaned traits keys: required, required1'),
    ('resources1=VCPU:1&required2=HW_CPU_X86_SSE&group_policy=none',
     LATEST, 'Resourceless suffixed group request should be specified'),
    ('group_policy=none', LATEST, 'At least one request group'),
    ('resources=VCPU:1&root_required=A&root_required=B', LATEST,
     "may be specified only once"),
])
def test_bad_requests(placement, query, version, message):
    body = Cloud(placement).get(query, version=version, status=400)
    assert message in body['errors'][0]['detail']


def test_missing_before_1_10(placement):
    Cloud(placement).get('resources=VCPU:1', version='1.9', status=404)
