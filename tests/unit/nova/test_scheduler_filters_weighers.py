"""Host filters and weighers over HostState objects."""

import pytest

from nova.objects.flavor import Flavor
from nova.objects.request_spec import RequestSpec
from nova.scheduler import filters
from nova.scheduler.filters import affinity_filter
from nova.scheduler.filters import availability_zone_filter
from nova.scheduler.filters import compute_filter
from nova.scheduler.host_state import HostState
from nova.scheduler import weighers
from tests import nova_services


@pytest.fixture(autouse=True)
def conf():
    with nova_services.configured() as conf:
        yield conf


def _host(name, **kwargs):
    free = kwargs.pop('free', {'VCPU': 8, 'MEMORY_MB': 4096, 'DISK_GB': 100})
    return HostState(host=name, nodename=name, uuid='uuid-' + name,
                     cell_uuid='cell1', free=dict(free), **kwargs)


def _spec(**kwargs):
    return RequestSpec(flavor=Flavor(flavorid='1', name='m1', memory_mb=512,
                                     vcpus=1), **kwargs)


def test_compute_filter_wants_an_up_and_enabled_service():
    f = compute_filter.ComputeFilter()
    assert f.host_passes(_host('a'), _spec())
    assert not f.host_passes(_host('b', service_up=False), _spec())
    assert not f.host_passes(_host('c', service_disabled=True), _spec())


def test_availability_zone_filter(conf):
    f = availability_zone_filter.AvailabilityZoneFilter()
    plain = _host('a')
    zoned = _host('b', aggregates=[{'metadata': {
        'availability_zone': 'az2'}}])
    assert f.host_passes(plain, _spec()) and f.host_passes(zoned, _spec())
    assert f.host_passes(plain, _spec(availability_zone='nova'))
    assert not f.host_passes(zoned, _spec(availability_zone='nova'))
    assert f.host_passes(zoned, _spec(availability_zone='az2'))
    conf.set_override('default_availability_zone', 'az1')
    assert not f.host_passes(plain, _spec(availability_zone='nova'))


def test_same_and_different_host_hints():
    same = affinity_filter.SameHostFilter()
    different = affinity_filter.DifferentHostFilter()
    host = _host('a', instances={'i1', 'i2'})
    other = _host('b', instances={'i3'})
    assert same.host_passes(host, _spec())
    assert same.host_passes(host, _spec(scheduler_hints={'same_host': 'i1'}))
    assert not same.host_passes(other, _spec(
        scheduler_hints={'same_host': ['i1', 'i9']}))
    assert different.host_passes(other, _spec(
        scheduler_hints={'different_host': ['i1', 'i2']}))
    assert not different.host_passes(host, _spec(
        scheduler_hints={'different_host': ['i2']}))
    assert different.host_passes(host, _spec())


def test_server_group_filters():
    affinity = affinity_filter.ServerGroupAffinityFilter()
    anti = affinity_filter.ServerGroupAntiAffinityFilter()
    a, b = _host('a'), _host('b')
    empty = {'uuid': 'g', 'policies': ['affinity'], 'hosts': []}
    assert affinity.host_passes(a, _spec(instance_group=empty))
    group = {'uuid': 'g', 'policies': ['affinity'], 'hosts': ['a']}
    assert affinity.host_passes(a, _spec(instance_group=group))
    assert not affinity.host_passes(b, _spec(instance_group=group))
    # Each filter ignores the other policy and groupless requests.
    assert anti.host_passes(a, _spec(instance_group=group))
    assert anti.host_passes(a, _spec())
    group = {'uuid': 'g', 'policies': ['anti-affinity'], 'hosts': ['a']}
    assert not anti.host_passes(a, _spec(instance_group=group))
    assert anti.host_passes(b, _spec(instance_group=group))
    assert affinity.host_passes(b, _spec(instance_group=group))


def test_anti_affinity_max_server_per_host():
    anti = affinity_filter.ServerGroupAntiAffinityFilter()
    a, b = _host('a'), _host('b')
    group = {'uuid': 'g', 'policies': ['anti-affinity'],
             'rules': {'max_server_per_host': 2}, 'hosts': ['a', 'b', 'b']}
    assert anti.host_passes(a, _spec(instance_group=group))
    assert not anti.host_passes(b, _spec(instance_group=group))
    group['rules'] = {}
    assert not anti.host_passes(a, _spec(instance_group=group))


def test_load_by_name_and_unknown_names(conf):
    loaded = filters.load(conf.filter_scheduler.enabled_filters)
    assert [type(f).__name__ for f in loaded] == [
        'AvailabilityZoneFilter', 'ComputeFilter',
        'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter']
    with pytest.raises(ValueError, match='NoSuchFilter'):
        filters.load(['ComputeFilter', 'NoSuchFilter'])


def _order(hosts):
    return [h.host for _, h in weighers.weigh(weighers.all_weighers(),
                                              hosts, _spec())]


def test_weighers_spread_by_default():
    hosts = [_host('small', free={'MEMORY_MB': 1024, 'DISK_GB': 10,
                                  'VCPU': 2}),
             _host('big', free={'MEMORY_MB': 8192, 'DISK_GB': 100,
                                'VCPU': 16}),
             _host('mid', free={'MEMORY_MB': 4096, 'DISK_GB': 50,
                                'VCPU': 8})]
    assert _order(hosts) == ['big', 'mid', 'small']


def test_negative_multiplier_stacks(conf):
    for name in ('ram', 'disk', 'cpu'):
        conf.set_override('%s_weight_multiplier' % name, -1.0,
                          group='filter_scheduler')
    hosts = [_host('big', free={'MEMORY_MB': 8192, 'DISK_GB': 100,
                                'VCPU': 16}),
             _host('small', free={'MEMORY_MB': 1024, 'DISK_GB': 10,
                                  'VCPU': 2})]
    assert _order(hosts) == ['small', 'big']


def test_multipliers_trade_off(conf):
    ram_rich = _host('ram', free={'MEMORY_MB': 8192, 'DISK_GB': 10,
                                  'VCPU': 4})
    disk_rich = _host('disk', free={'MEMORY_MB': 1024, 'DISK_GB': 500,
                                    'VCPU': 4})
    weighed = weighers.weigh(weighers.all_weighers(), [ram_rich, disk_rich],
                             _spec())
    # Scaled to 0..1 each: one point apiece, a tie kept in input order.
    assert [(w, h.host) for w, h in weighed] == [(1.0, 'ram'),
                                                 (1.0, 'disk')]
    conf.set_override('disk_weight_multiplier', 2.0,
                      group='filter_scheduler')
    assert _order([ram_rich, disk_rich]) == ['disk', 'ram']
    conf.set_override('ram_weight_multiplier', 3.0, group='filter_scheduler')
    assert _order([ram_rich, disk_rich]) == ['ram', 'disk']


def test_equal_hosts_weigh_zero():
    hosts = [_host('a'), _host('b')]
    assert [w for w, _ in weighers.weigh(weighers.all_weighers(), hosts,
                                          _spec())] == [0.0, 0.0]
    assert weighers.weigh(weighers.all_weighers(), [], _spec()) == []
