"""Which zone a service or an instance is in, and which zones are
available, from a host -> zone map (no database)."""

import pytest

from nova import availability_zones as azs
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.service import Service
from tests import nova_services

TINY = Flavor(flavorid='1', name='tiny', memory_mb=512, vcpus=1)
ZONES = {'cmp2': 'az1', 'cmp3': 'az2'}


@pytest.fixture(autouse=True)
def conf():
    with nova_services.configured() as conf:
        yield conf


def _svc(host, binary='nova-compute', disabled=False):
    return Service(host=host, binary=binary, disabled=disabled)


def test_service_zone(conf):
    assert azs.service_zone(_svc('cmp1'), ZONES) == 'nova'
    assert azs.service_zone(_svc('cmp2'), ZONES) == 'az1'
    # Only compute services are in an aggregate's zone.
    assert azs.service_zone(_svc('cmp2', 'nova-conductor'),
                            ZONES) == 'internal'
    conf.set_override('default_availability_zone', 'dflt')
    conf.set_override('internal_service_availability_zone', 'ops')
    assert azs.service_zone(_svc('cmp1'), ZONES) == 'dflt'
    assert azs.service_zone(_svc('x', 'nova-scheduler'), ZONES) == 'ops'


def test_zones_available_when_one_service_is_enabled():
    services = [_svc('cmp3', disabled=True), _svc('cmp2'), _svc('cmp1'),
                _svc('ctl', 'nova-scheduler', disabled=True),
                _svc('cmp2', 'nova-compute', disabled=True)]
    assert azs.zones(services, ZONES) == (['az1', 'nova'],
                                          ['az2', 'internal'])
    assert azs.zones([], ZONES) == ([], [])


def test_instance_zone_before_and_after_scheduling():
    booting = Instance(uuid='u', project_id='p', user_id='u', flavor=TINY,
                       availability_zone='az1')
    assert azs.instance_zone(booting) == 'az1'
    unzoned = Instance(uuid='u', project_id='p', user_id='u', flavor=TINY)
    assert azs.instance_zone(unzoned) is None
