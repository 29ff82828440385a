"""Microversions: the (major, minor) type and the reading of the version a
request asks for. Each service keeps its own list of versions and its own
answer to a bad one (the messages differ); the header parsing is
microversion-parse's, the library upstream's services use.
"""

from collections.abc import Iterable, MutableMapping, Sequence
from typing import Any

import microversion_parse


class Version(tuple):
    """A (major, minor) pair, compared as a tuple."""

    def __new__(cls, major: int, minor: int) -> 'Version':
        return super().__new__(cls, (major, minor))

    def __str__(self) -> str:
        return '%d.%d' % self

    def matches(self, min_version: Sequence[int] | None = None,
                max_version: Sequence[int] | None = None) -> bool:
        """True if min_version <= self <= max_version (either may be None)."""
        if min_version is not None and self < tuple(min_version):
            return False
        if max_version is not None and self > tuple(max_version):
            return False
        return True


def parse(text: str) -> Version:
    """'X.Y' as a Version; ValueError if it is not two integers."""
    major, minor = text.split('.')
    return Version(int(major), int(minor))


def bounds(versions: Sequence[str]) -> tuple[Version, Version]:
    """(oldest, newest) of a service's list of versions, oldest first."""
    return parse(versions[0]), parse(versions[-1])


class InvalidVersion(ValueError):
    """The requested version is not of the form X.Y (a 400)."""


class UnacceptableVersion(ValueError):
    """A well formed version outside the supported range (a 406)."""


def requested(environ: MutableMapping[str, Any], service_type: str,
              legacy_headers: Iterable[str] = ()) -> str | None:
    """The version string a WSGI environ's request asks of `service_type`:
    the last `OpenStack-API-Version: <service type> <version>` entry for
    it, else the value of the first legacy header present (the last of
    its comma-separated values); None or '' when it names none."""
    return microversion_parse.get_version(
        microversion_parse.headers_from_wsgi_environ(environ),
        service_type, legacy_headers=list(legacy_headers))
