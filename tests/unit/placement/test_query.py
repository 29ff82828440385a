"""Parsing of the shared query-string values (placement.query)."""

import pytest

from placement import errors
from placement import query
from placement.microversion import Version

AGG1 = '83a3d69d-8920-48e2-8914-cadfd8fa2f91'
AGG2 = '99652f11-9f77-46b9-80b7-4b1989be9f8c'
LATEST = Version(1, 39)


def test_resources_parsed():
    assert query.parse_resources('VCPU:2,MEMORY_MB:1024', LATEST) == {
        'VCPU': 2, 'MEMORY_MB': 1024}


@pytest.mark.parametrize('text,message', [
    ('', 'Got: empty string.'),
    ('VCPU', 'Got: VCPU.'),
    ('DISK_GB:500,', 'Got: .'),
    ('VCPU:fred', 'Requested resource VCPU expected positive integer '
                  'amount. Got: fred.'),
    ('VCPU:-2', 'Requested resource VCPU requires amount >= 1. Got: -2.'),
    ('VCPU:0', 'requires amount >= 1'),
])
def test_resources_errors(text, message):
    with pytest.raises(errors.BadRequest) as exc:
        query.parse_resources(text, LATEST)
    assert message in exc.value.detail


def test_required_and_forbidden():
    traits = query.parse_required(['A,!B'], Version(1, 22))
    assert (traits.required, traits.forbidden, traits.any_of) == (
        {'A'}, {'B'}, [])


def test_forbidden_before_1_22_is_malformed():
    with pytest.raises(errors.BadRequest) as exc:
        query.parse_required(['!B'], Version(1, 21))
    assert exc.value.detail.endswith(
        'HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !B')


@pytest.mark.parametrize('value', ['', ',,', 'A,,B', 'A,!', 'in:', 'in:A,!B'])
def test_required_malformed(value):
    with pytest.raises(errors.BadRequest) as exc:
        query.parse_required([value], LATEST)
    assert "Expected 'required' parameter value of the form: " \
        "HW_CPU_X86_VMX,!CUSTOM_MAGIC." in exc.value.detail


def test_last_required_wins_before_1_39():
    traits = query.parse_required(['A', 'B'], Version(1, 38))
    assert traits.required == {'B'}


def test_any_of_from_1_39():
    traits = query.parse_required(['in:A,B', 'C,!D', 'in:E'], LATEST)
    assert traits.any_of == [{'A', 'B'}, {'E'}]
    assert traits.required == {'C'} and traits.forbidden == {'D'}
    assert traits.names() == {'A', 'B', 'C', 'D', 'E'}


def test_any_of_before_1_39():
    with pytest.raises(errors.BadRequest) as exc:
        query.parse_required(['in:A,B'], Version(1, 38))
    assert "only supported since microversion 1.39" in exc.value.detail


def test_member_of_forms():
    member_of = query.parse_member_of(
        [AGG1, 'in:%s,%s' % (AGG1, AGG2), '!in:%s' % AGG2], LATEST)
    assert member_of.all_of == [{AGG1}, {AGG1, AGG2}]
    assert member_of.none_of == {AGG2}


@pytest.mark.parametrize('values,version,message', [
    (['INVALID'], LATEST, "contain valid UUID(s)"),
    (['in:'], LATEST, "contain valid UUID(s)"),
    (['in:%s,!%s' % (AGG1, AGG2)], LATEST, "contain valid UUID(s)"),
    (['%s,%s' % (AGG1, AGG2)], LATEST, "must be prefixed with the 'in:'"),
    ([AGG1, AGG2], Version(1, 23), 'Multiple member_of parameters'),
    (['!' + AGG1], Version(1, 31), 'Forbidden member_of parameters'),
])
def test_member_of_errors(values, version, message):
    with pytest.raises(errors.BadRequest) as exc:
        query.parse_member_of(values, version)
    assert message in exc.value.detail
    assert exc.value.code == errors.QUERYPARAM_BAD_VALUE
