"""The last completed instance usage audit period, for each unit and
offset."""

import datetime

import pytest

from nova.compute import usage_audit

D = datetime.datetime
NOW = D(2026, 3, 10, 14, 35, 20, 123)


@pytest.mark.parametrize('unit,before,expected', [
    ('hour', NOW, (D(2026, 3, 10, 13), D(2026, 3, 10, 14))),
    ('hour@40', NOW, (D(2026, 3, 10, 12, 40), D(2026, 3, 10, 13, 40))),
    ('hour', D(2026, 3, 10, 14), (D(2026, 3, 10, 12), D(2026, 3, 10, 13))),
    ('day', NOW, (D(2026, 3, 9), D(2026, 3, 10))),
    ('day@15', NOW, (D(2026, 3, 8, 15), D(2026, 3, 9, 15))),
    ('month', NOW, (D(2026, 2, 1), D(2026, 3, 1))),
    ('month', D(2026, 1, 5), (D(2025, 12, 1), D(2026, 1, 1))),
    ('month', D(2026, 1, 1), (D(2025, 11, 1), D(2025, 12, 1))),
    ('month@15', NOW, (D(2026, 1, 15), D(2026, 2, 15))),
    ('month@5', NOW, (D(2026, 2, 5), D(2026, 3, 5))),
    ('year', NOW, (D(2025, 1, 1), D(2026, 1, 1))),
    ('year@4', NOW, (D(2024, 4, 1), D(2025, 4, 1))),
    ('year@3', D(2026, 3, 1, 0, 0, 1), (D(2025, 3, 1), D(2026, 3, 1))),
])
def test_last_completed_period(unit, before, expected):
    assert usage_audit.last_completed_period(before, unit) == expected


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        usage_audit.last_completed_period(NOW, 'week')
