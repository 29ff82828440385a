"""Request spec -> GET /allocation_candidates query."""

from urllib import parse

import pytest

from nova.objects.flavor import Flavor
from nova.objects.request_spec import Destination, RequestSpec
from nova.scheduler import request
from tests import nova_services


@pytest.fixture(autouse=True)
def conf():
    with nova_services.configured() as conf:
        yield conf


def _spec(extra_specs=None, image_props=None, **flavor):
    sizes = dict(vcpus=2, memory_mb=2048, root_gb=20, ephemeral_gb=0,
                 swap=0)
    sizes.update(flavor)
    is_bfv = sizes.pop('is_bfv', False)
    return RequestSpec(
        flavor=Flavor(flavorid='1', name='m1', extra_specs=extra_specs or {},
                      **sizes),
        image={'id': 'img', 'properties': image_props or {}},
        is_bfv=is_bfv)


def _params(spec):
    return request.from_spec(spec).query_params()


def test_flavor_resources_and_limit():
    assert _params(_spec()) == [
        ('resources', 'DISK_GB:20,MEMORY_MB:2048,VCPU:2'), ('limit', '1000')]


def test_disk_is_root_ephemeral_and_swap_rounded_up():
    spec = _spec(root_gb=10, ephemeral_gb=5, swap=1025)
    assert request.flavor_resources(spec)['DISK_GB'] == 17


def test_boot_from_volume_leaves_the_root_disk_out():
    assert 'DISK_GB' not in request.flavor_resources(_spec(is_bfv=True))
    spec = _spec(is_bfv=True, ephemeral_gb=3, swap=512)
    assert request.flavor_resources(spec)['DISK_GB'] == 4


def test_zero_sized_classes_are_left_out():
    assert request.flavor_resources(_spec(root_gb=0)) == {
        'VCPU': 2, 'MEMORY_MB': 2048}


def test_resource_extra_specs_override_add_and_drop():
    spec = _spec({'resources:VCPU': '0', 'resources:CUSTOM_GPU': '2',
                  'resources:MEMORY_MB': '4096'})
    assert request.from_spec(spec).resources == {
        'MEMORY_MB': 4096, 'DISK_GB': 20, 'CUSTOM_GPU': 2}


@pytest.mark.parametrize('key,value', [
    ('resources:VCPU', 'two'), ('resources:VCPU', '-1'),
    ('resources:bogus', '1'), ('resources:NOT_A_CLASS', '1')])
def test_malformed_resource_extra_specs_are_ignored(key, value):
    assert request.from_spec(_spec({key: value})).resources == {
        'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 20}


def test_traits_from_extra_specs_and_image():
    spec = _spec({'trait:HW_CPU_X86_AVX2': 'required',
                  'trait:CUSTOM_SLOW': 'forbidden',
                  'trait:CUSTOM_MAYBE': 'preferred',
                  'hw:cpu_policy': 'dedicated'},
                 {'trait:CUSTOM_IMG': 'required',
                  'trait:CUSTOM_NOT': 'forbidden',
                  'hw_disk_bus': 'scsi'})
    req = request.from_spec(spec)
    assert req.required_traits == {'HW_CPU_X86_AVX2', 'CUSTOM_IMG'}
    assert req.forbidden_traits == {'CUSTOM_SLOW'}
    assert dict(req.query_params())['required'] == (
        'CUSTOM_IMG,HW_CPU_X86_AVX2,!CUSTOM_SLOW')


def test_member_of_from_requested_destination(conf):
    conf.set_override('max_placement_results', 7, group='scheduler')
    spec = _spec()
    spec.requested_destination = Destination(aggregates=['a1,a2', 'b1'])
    query = parse.parse_qs(request.from_spec(spec).query_string())
    assert query['member_of'] == ['in:a1,a2', 'in:b1']
    assert query['limit'] == ['7']
    assert query['resources'] == ['DISK_GB:20,MEMORY_MB:2048,VCPU:2']


def test_what_the_volumes_need_is_required_with_the_flavor_traits():
    spec = _spec(extra_specs={'trait:HW_CPU_X86_AVX': 'required'})
    spec.root_required = ['COMPUTE_VOLUME_MULTI_ATTACH']
    assert ('required', 'COMPUTE_VOLUME_MULTI_ATTACH,HW_CPU_X86_AVX') in (
        _params(spec))


def test_root_required_is_dropped_for_an_older_reader():
    spec = _spec()
    spec.root_required = ['COMPUTE_VOLUME_MULTI_ATTACH']
    data = spec.to_primitive('1.0')['nova_object.data']
    assert 'root_required' not in data
    assert RequestSpec.from_primitive(spec.to_primitive()).root_required == [
        'COMPUTE_VOLUME_MULTI_ATTACH']
