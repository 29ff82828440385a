import dataclasses
import datetime

import pytest

from nova.objects import base


@dataclasses.dataclass
class Part(base.Record):
    VERSION = '1.0'
    name: str


@dataclasses.dataclass
class Thing(base.Record):
    VERSION = '1.2'
    uuid: str
    created_at: datetime.datetime | None = None
    parts: list[Part] = dataclasses.field(default_factory=list)
    labels: dict[str, str] = dataclasses.field(default_factory=dict)
    colour: str | None = None  # added in 1.2

    @classmethod
    def downgrade(cls, data, target):
        if target < (1, 2):
            data.pop('colour')


def test_round_trip_keeps_types():
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    thing = Thing('u1', when, [Part('a')], {'k': 'v'}, 'red')
    prim = thing.to_primitive()
    assert prim['nova_object.version'] == '1.2'
    again = base.from_primitive(prim)
    assert again == thing
    assert isinstance(again.created_at, datetime.datetime)
    assert isinstance(again.parts[0], Part)


def test_downgrade_for_an_older_receiver():
    prim = Thing('u1', colour='red').to_primitive(target_version='1.1')
    assert prim['nova_object.version'] == '1.1'
    assert 'colour' not in prim['nova_object.data']
    assert Thing.from_primitive(prim).colour is None


def test_other_major_version_is_refused():
    prim = Thing('u1').to_primitive()
    prim['nova_object.version'] = '2.0'
    with pytest.raises(base.IncompatibleVersion):
        Thing.from_primitive(prim)


def test_wrong_record_type_is_refused():
    with pytest.raises(ValueError):
        Thing.from_primitive(Part('x').to_primitive())


def test_unknown_fields_from_a_newer_minor_are_ignored():
    prim = Part('x').to_primitive()
    prim['nova_object.data']['added_later'] = 1
    prim['nova_object.version'] = '1.5'
    assert Part.from_primitive(prim) == Part('x')
