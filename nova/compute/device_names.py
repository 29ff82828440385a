"""The names volumes take inside a guest: the root disk is /dev/vda, and
each volume the next free /dev/vdX (vdb ... vdz, vdaa ...), or the name
the user asked for if it is valid and free."""

from collections.abc import Iterable
import re

from nova import exception

PREFIX = '/dev/vd'
ROOT = PREFIX + 'a'
# Upstream's accepted shape: an optional /dev/, a bus prefix (sd, vd, xvd,
# hd), letters, an optional partition number.
_VALID = re.compile(r'^(/dev/)?(x?[a-z]d)([a-z]+)[0-9]*$')


def _letters(index: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa'."""
    out = ''
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord('a') + rest) + out
    return out


def _suffix(name: str) -> str | None:
    match = _VALID.match(name)
    return match.group(3) if match else None


def pick(requested: str | None, used: Iterable[str | None]) -> str:
    """The device for a new volume, given the guest's devices in use.
    InvalidDevicePath (400) if `requested` is malformed or taken. A
    requested name keeps its letters but takes the guest's bus (vd)."""
    taken = {_suffix(name) for name in used if name} | {'a'}
    if requested:
        suffix = _suffix(requested)
        if suffix is None:
            raise exception.InvalidDevicePath(path=requested)
        if suffix in taken:
            raise exception.DevicePathInUse(path=requested)
        return PREFIX + suffix
    index = 0
    while _letters(index) in taken:
        index += 1
    return PREFIX + _letters(index)
