"""Parsing of the query-string values shared by GET /resource_providers and
GET /allocation_candidates: `resources`, `required`, `member_of` and
`in_tree`, plus the name -> id lookups that turn a parsed value into
something a query can use.

The parse functions only look at text (and the microversion); the lookups
need a connection. Every failure is a 400 whose detail says what was wrong.
"""

import dataclasses
import uuid

import sqlalchemy as sa

from placement import errors
from placement import tables
from placement.objects import resource_class
from placement.objects import trait

_RESOURCES_FORM = ('Badly formed resources parameter. Expected resources '
                   'query string parameter in form: '
                   '?resources=VCPU:2,MEMORY_MB:1024. Got: %s.')


@dataclasses.dataclass
class RequiredTraits:
    """Trait constraints of one `required` key: every name in `required`,
    none in `forbidden`, and at least one of each set in `any_of`."""
    required: set[str] = dataclasses.field(default_factory=set)
    forbidden: set[str] = dataclasses.field(default_factory=set)
    any_of: list[set[str]] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.required or self.forbidden or self.any_of)

    def names(self) -> set[str]:
        """Every trait name mentioned."""
        found = self.required | self.forbidden
        for names in self.any_of:
            found |= names
        return found


@dataclasses.dataclass
class MemberOf:
    """Aggregate constraints of one `member_of` key: for each set in
    `all_of`, membership of at least one of its aggregates; membership of
    none of `none_of`."""
    all_of: list[set[str]] = dataclasses.field(default_factory=list)
    none_of: set[str] = dataclasses.field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.all_of or self.none_of)

    def uuids(self) -> set[str]:
        found = set(self.none_of)
        for uuids in self.all_of:
            found |= uuids
        return found


def _bad(detail: str) -> errors.BadRequest:
    return errors.BadRequest(detail, code=errors.QUERYPARAM_BAD_VALUE)


def parse_resources(text: str, version=None) -> dict[str, int]:
    """{resource class name: amount} from 'VCPU:2,MEMORY_MB:1024'."""
    if not text:
        raise _bad(_RESOURCES_FORM % 'empty string')
    resources: dict[str, int] = {}
    for item in text.split(','):
        try:
            name, given = (part.strip() for part in item.split(':'))
        except ValueError:
            raise _bad(_RESOURCES_FORM % item)
        try:
            amount = int(given)
        except ValueError:
            raise _bad('Requested resource %s expected positive integer '
                       'amount. Got: %s.' % (name, given))
        if amount < 1:
            raise _bad('Requested resource %s requires amount >= 1. '
                       'Got: %d.' % (name, amount))
        resources[name] = amount
    return resources


def _trait_form_error(key: str, value: str, version) -> errors.BadRequest:
    form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if version.matches((1, 22))
            else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
    return _bad("Invalid query string parameters: Expected '%s' parameter "
                "value of the form: %s. Got: %s" % (key, form, value))


def _trait_names(key: str, value: str, text: str, version) -> list[str]:
    names = [name.strip() for name in text.split(',')]
    if not all(names):
        raise _trait_form_error(key, value, version)
    return names


def parse_required(values: list[str], version,
                   key: str = 'required') -> RequiredTraits:
    """The trait constraints of the values given for one `required{S}` key.

    Before 1.39 only the last value counts (a repeated key overwrote the
    earlier ones); from 1.39 every value adds constraints and a value may be
    `in:A,B` (any of). `!NAME` (forbidden) exists from 1.22.
    """
    if not version.matches((1, 39)):
        values = values[-1:]
    traits = RequiredTraits()
    for value in values:
        if value.startswith('in:'):
            if not version.matches((1, 39)):
                raise _bad("The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only "
                           "supported since microversion 1.39.")
            names = _trait_names(key, value, value[3:], version)
            if any(n.startswith('!') for n in names):
                raise _trait_form_error(key, value, version)
            traits.any_of.append(set(names))
            continue
        for name in _trait_names(key, value, value, version):
            if not name.startswith('!'):
                traits.required.add(name)
            elif version.matches((1, 22)) and len(name) > 1:
                traits.forbidden.add(name[1:])
            else:
                raise _trait_form_error(key, value, version)
    return traits


def parse_root_required(values: list[str], version) -> RequiredTraits:
    """The traits the root of a candidate's tree must have (`.required`)
    or lack (`.forbidden`): one `root_required` value (1.35+)."""
    if len(values) > 1:
        raise errors.BadRequest(
            "Query parameter 'root_required' may be specified only once.",
            code=errors.ILLEGAL_DUPLICATE_QUERYPARAM)
    value = values[0]
    traits = RequiredTraits()
    for name in _trait_names('root_required', value, value, version):
        if not name.startswith('!'):
            traits.required.add(name)
        elif len(name) > 1:
            traits.forbidden.add(name[1:])
        else:
            raise _trait_form_error('root_required', value, version)
    conflict = traits.required & traits.forbidden
    if conflict:
        raise _bad('Conflicting required and forbidden traits found in '
                   'root_required: %s' % ', '.join(sorted(conflict)))
    return traits


def _canonical_uuid(text: str) -> str | None:
    """The stored (lower-case, dashed) form of a uuid, None if not one."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _aggregate_uuids(key: str, text: str) -> set[str]:
    uuids: set[str] = set()
    for given in text.split(','):
        canonical = _canonical_uuid(given.strip())
        if not canonical:
            raise _bad("Invalid query string parameters: Expected '%s' "
                       "parameter to contain valid UUID(s). Got: %s"
                       % (key, text))
        uuids.add(canonical)
    return uuids


def parse_member_of(values: list[str], version,
                    key: str = 'member_of') -> MemberOf:
    """The aggregate constraints of the values given for one
    `member_of{S}` key: `UUID` or `in:U1,U2` (member of at least one),
    and from 1.32 `!UUID` or `!in:U1,U2` (member of none).
    Several values (1.24+) must all hold."""
    if len(values) > 1 and not version.matches((1, 24)):
        raise _bad('Multiple member_of parameters are not supported')
    member_of = MemberOf()
    for value in values:
        forbidden = value.startswith('!')
        text = value[1:] if forbidden else value
        if forbidden and not version.matches((1, 32)):
            raise _bad('Forbidden member_of parameters are not supported '
                       'in the specified microversion')
        if text.startswith('in:'):
            text = text[3:]
        elif ',' in text:
            raise _bad("Multiple values for '%s' must be prefixed with the "
                       "'in:' or '!in:' keyword using the valid "
                       "microversion." % key)
        uuids = _aggregate_uuids(key, text)
        if forbidden:
            member_of.none_of |= uuids
        else:
            member_of.all_of.append(uuids)
    return member_of


def parse_in_tree(value: str, key: str = 'in_tree') -> str:
    """The provider uuid of an `in_tree{S}` value."""
    canonical = _canonical_uuid(value.strip())
    if canonical is None:
        raise _bad("Invalid query string parameters: Expected '%s' "
                   "parameter to be a format of uuid. Got: %s"
                   % (key, value))
    return canonical


def resource_class_ids(conn, resources: dict[str, int]) -> dict[int, int]:
    """{class id: amount} for parsed `resources`; 400 naming an unknown
    class."""
    ids = resource_class.ids_for(conn, resources)
    for name in resources:
        if name not in ids:
            raise _bad('Invalid resource class in resources parameter: '
                       'No such resource class %s.' % name)
    return {ids[name]: amount for name, amount in resources.items()}


def trait_ids(conn, names) -> dict[str, int]:
    """{name: id} for trait names; 400 listing the unknown ones."""
    ids = trait.ids_for(conn, names)
    missing = sorted(set(names) - set(ids))
    if missing:
        raise _bad('No such trait(s): %s.' % ', '.join(missing))
    return ids


def aggregate_ids(conn, uuids) -> dict[str, int]:
    """{uuid: id} for those aggregate uuids that exist (an unknown
    aggregate simply has no members)."""
    uuids = list(uuids)
    if not uuids:
        return {}
    agg = tables.placement_aggregates
    rows = conn.execute(sa.select(agg.c.uuid, agg.c.id).where(
        agg.c.uuid.in_(uuids)))
    return {u: i for u, i in rows}
