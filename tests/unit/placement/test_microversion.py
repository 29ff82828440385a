"""Microversion negotiation (placement.microversion)."""

import pytest

from placement import microversion
from placement.microversion import Version


def test_versions_are_contiguous():
    parsed = [microversion.parse(v) for v in microversion.VERSIONS]
    assert parsed[0] == (1, 0)
    assert all(b == (a[0], a[1] + 1) for a, b in zip(parsed, parsed[1:]))
    assert microversion.MAX_VERSION == (1, 39)


@pytest.mark.parametrize('header,expected', [
    (None, (1, 0)),
    ('', (1, 0)),
    ('placement 1.15', (1, 15)),
    ('PLACEMENT 1.2', (1, 2)),
    ('placement latest', (1, 39)),
    ('compute 2.1, placement 1.7', (1, 7)),
    ('compute 2.1', (1, 0)),
])
def test_from_header(header, expected):
    assert microversion.from_header(header) == expected


@pytest.mark.parametrize('header', ['placement pony.horse',
                                    'placement 1.2.3', 'placement 1.',
                                    'placement 01.2'])
def test_malformed_versions(header):
    with pytest.raises(microversion.InvalidVersion):
        microversion.from_header(header)


@pytest.mark.parametrize('header', ['placement 0.5', 'placement 1.40',
                                    'placement 2.0'])
def test_unsupported_versions(header):
    with pytest.raises(microversion.UnacceptableVersion):
        microversion.from_header(header)


def test_matches_bounds():
    v = Version(1, 15)
    assert v.matches((1, 15)) and v.matches((1, 0), (1, 15))
    assert not v.matches((1, 16)) and not v.matches(max_version=(1, 14))
    assert str(v) == '1.15'
