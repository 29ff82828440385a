"""Plain typed records that cross RPC.

A record is a dataclass with a VERSION. `to_primitive()` gives JSON-safe
data tagged with the record's name and version; `from_primitive()` builds
the record back, converting fields by their annotations (datetimes,
nested records, lists and dicts of them). A sender talking to an older
service passes `target_version`; the record's `downgrade()` then drops or
rewrites what that version does not know. A receiver accepts any older
minor version of the same major (missing fields take their defaults)::

    @dataclasses.dataclass
    class CellMapping(Record):
        VERSION = '1.0'
        uuid: str
        name: str | None = None
"""

import dataclasses
import datetime
import types
import typing
from typing import Any, ClassVar, TypeVar

NAME = 'nova_object.name'
VERSION = 'nova_object.version'
DATA = 'nova_object.data'

_registry: dict[str, type['Record']] = {}
R = TypeVar('R', bound='Record')


class IncompatibleVersion(ValueError):
    """A primitive of a major version this side does not understand."""


def _major_minor(version: str) -> tuple[int, int]:
    major, _, minor = version.partition('.')
    return int(major), int(minor or 0)


class Record:
    VERSION: ClassVar[str] = '1.0'
    # Every record is a dataclass (the decorator sets this on subclasses).
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _registry[cls.__name__] = cls

    def to_primitive(self, target_version: str | None = None) -> dict:
        data = {f.name: _dump(getattr(self, f.name))
                for f in dataclasses.fields(self)}
        version = self.VERSION
        if target_version and (_major_minor(target_version) <
                               _major_minor(self.VERSION)):
            self.downgrade(data, _major_minor(target_version))
            version = target_version
        return {NAME: type(self).__name__, VERSION: version, DATA: data}

    @classmethod
    def downgrade(cls, data: dict, target: tuple[int, int]) -> None:
        """Rewrite `data` in place for an older minor version."""

    @classmethod
    def from_primitive(cls: type[R], primitive: dict) -> R:
        name = primitive.get(NAME)
        target = _registry.get(name) if name is not None else None
        if target is None or not issubclass(target, cls):
            raise ValueError('Expected a %s primitive, got %r'
                             % (cls.__name__, name))
        theirs = _major_minor(primitive[VERSION])
        ours = _major_minor(target.VERSION)
        if theirs[0] != ours[0]:
            raise IncompatibleVersion('%s %s cannot be read as version %s'
                                      % (name, primitive[VERSION],
                                         target.VERSION))
        hints = typing.get_type_hints(target)
        known = {f.name for f in dataclasses.fields(target)}
        kwargs = {key: _load(value, hints[key])
                  for key, value in primitive[DATA].items() if key in known}
        return target(**kwargs)

    def update(self, **values: Any) -> None:
        for key, value in values.items():
            if key not in {f.name for f in dataclasses.fields(self)}:
                raise AttributeError('%s has no field %s'
                                     % (type(self).__name__, key))
            setattr(self, key, value)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_primitive()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load(value, options[0]) if len(options) == 1 else value
    if origin in (list, set, frozenset, tuple):
        (inner, *_) = typing.get_args(hint) or (Any,)
        return origin(_load(v, inner) for v in value)
    if origin is dict:
        _, inner = typing.get_args(hint) or (Any, Any)
        return {k: _load(v, inner) for k, v in value.items()}
    if hint is datetime.datetime and isinstance(value, str):
        return datetime.datetime.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_primitive(value)
    return value


def from_primitive(primitive: Any) -> Any:
    """Rebuild any record (by its tag) or pass other data through."""
    if isinstance(primitive, dict) and NAME in primitive:
        return Record.from_primitive(primitive)
    return primitive
