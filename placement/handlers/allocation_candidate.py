"""Handler for GET /allocation_candidates (1.10+)."""

import re
from typing import Any

import webob

from placement import errors
from placement import query
from placement import request
from placement import response
from placement.objects import allocation_candidate as ac_obj
from placement.policies import allocation_candidate as policies
from placement.schemas import allocation_candidate as schemas

_GROUP_KEY = re.compile(r'^(resources|required|member_of|in_tree)(.*)$')


def list_allocation_candidates(req: webob.Request) -> webob.Response:
    """GET /allocation_candidates?resources=VCPU:1,...: 200
    {"allocation_requests": [...], "provider_summaries": {...}}.

    404 before 1.10. 400 for an unknown or malformed parameter, an unknown
    resource class or trait, request groups that do not add up (orphaned
    traits or member_of, resourceless groups outside same_subtree, a
    missing group_policy), or conflicting required and forbidden traits.
    """
    request.require_version(req, (1, 10))
    ctx = request.context(req)
    ctx.can(policies.LIST)
    want = request.version(req)
    request.validate(_first_values(req),
                     schemas.list_query(tuple(want)),
                     'Invalid query string parameters')
    result = ac_obj.find(ctx, _parse(req, want))
    return response.json_response(req, _body(result, want))


def _first_values(req: webob.Request) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in req.GET.items():
        found.setdefault(key, value)
    return found


def _first(req: webob.Request, key: str) -> str | None:
    values = req.GET.getall(key)
    return values[0] if values else None


def _parse(req: webob.Request, want) -> ac_obj.Request:
    groups = _parse_groups(req, want)
    same_subtrees = (_parse_same_subtrees(req, groups)
                     if want.matches((1, 36)) else [])
    _check_groups(groups, want, same_subtrees)
    _check_group_policy(req, groups)
    limit = _first(req, 'limit')
    root_required = req.GET.getall('root_required')
    return ac_obj.Request(
        groups=[groups[suffix] for suffix in sorted(groups)],
        isolate=_first(req, 'group_policy') == 'isolate',
        limit=int(limit) if limit else None,
        root_traits=(query.parse_root_required(root_required, want)
                     if root_required else query.RequiredTraits()),
        same_subtrees=same_subtrees,
        nested=want.matches((1, 29)),
        all_classes=want.matches((1, 27)),
        summary_traits=want.matches((1, 17)))


def _parse_groups(req: webob.Request,
                  want) -> dict[str, ac_obj.RequestGroup]:
    """Request groups by suffix ('' for the unsuffixed one). A repeated
    resources or in_tree key counts once (the last); required and
    member_of values accumulate as their versions allow."""
    values: dict[str, dict[str, list[str]]] = {}
    for key, value in req.GET.items():
        match = _GROUP_KEY.match(key)
        if match:
            kind, suffix = match.groups()
            values.setdefault(suffix, {}).setdefault(kind, []).append(value)
    groups = {}
    for suffix, given in values.items():
        group = ac_obj.RequestGroup(suffix=suffix, resources={})
        if 'resources' in given:
            group.resources = query.parse_resources(
                given['resources'][-1], want)
        if 'required' in given:
            group.traits = query.parse_required(
                given['required'], want, 'required' + suffix)
        if 'member_of' in given:
            group.member_of = query.parse_member_of(
                given['member_of'], want, 'member_of' + suffix)
        if 'in_tree' in given:
            group.in_tree = query.parse_in_tree(
                given['in_tree'][-1], 'in_tree' + suffix)
        groups[suffix] = group
    _check_conflicts(groups)
    return groups


def _check_conflicts(groups: dict[str, ac_obj.RequestGroup]) -> None:
    conflicts = []
    for suffix in sorted(groups):
        traits = groups[suffix].traits
        both = traits.required & traits.forbidden
        if both:
            conflicts.append('required%s: (%s)' % (
                suffix, ', '.join(sorted(both))))
    if conflicts:
        raise errors.BadRequest(
            'Conflicting required and forbidden traits found in the '
            'following traits keys: %s' % ', '.join(conflicts),
            code=errors.QUERYPARAM_BAD_VALUE)


def _parse_same_subtrees(req: webob.Request,
                         groups: dict) -> list[set[str]]:
    """Each same_subtree value as a set of suffixes of existing groups."""
    found = []
    for value in req.GET.getall('same_subtree'):
        suffixes = [suffix.strip() for suffix in value.split(',')]
        if '' in suffixes:
            raise errors.BadRequest(
                'Empty string (unsuffixed group) can not be specified in '
                '`same_subtree` ', code=errors.QUERYPARAM_BAD_VALUE)
        unknown = [s for s in suffixes if s not in groups]
        if unknown:
            raise errors.BadRequest(
                'Real suffixes should be specified in `same_subtree`: '
                '%s not found in %s' % (unknown, sorted(groups)),
                code=errors.QUERYPARAM_BAD_VALUE)
        found.append(set(suffixes))
    return found


def _check_groups(groups: dict[str, ac_obj.RequestGroup], want,
                  same_subtrees: list[set[str]]) -> None:
    """400 unless the groups add up: at least one has resources, and one
    without resources is a suffixed group named in same_subtree (1.36+)."""
    if not groups:
        raise errors.BadRequest('At least one request group (`resources` '
                                'or `resources{$S}`) is required.')
    orphans = [s for s in sorted(groups) if not groups[s].resources]
    if want.matches((1, 36)):
        if len(orphans) == len(groups):
            raise errors.BadRequest(
                'There must be at least one resources or resources[$S] '
                'parameter.', code=errors.QUERYPARAM_MISSING_VALUE)
        in_subtree = set().union(*same_subtrees)
        outside = [s for s in orphans if s and s not in in_subtree]
        if outside:
            raise errors.BadRequest(
                'Resourceless suffixed group request should be specified '
                'in `same_subtree` query param: Found resourceless '
                'suffixed groups %s.' % ', '.join(outside),
                code=errors.QUERYPARAM_BAD_VALUE)
        orphans = [s for s in orphans if not s]
    # (group field, query parameter it comes from), traits first.
    for field, param in (('traits', 'required'), ('member_of', 'member_of')):
        keys = [param + s for s in orphans if getattr(groups[s], field)]
        if keys:
            raise errors.BadRequest(
                'All %s parameters must be associated with resources. '
                'Found the following orphaned %s keys: %s'
                % (field, field, ', '.join(keys)))
    if orphans:
        raise errors.BadRequest('All request groups must specify resources.')


def _check_group_policy(req: webob.Request, groups: dict) -> None:
    if 'group_policy' not in req.GET and len(
            [s for s in groups if s]) > 1:
        raise errors.BadRequest(
            'The "group_policy" parameter is required when specifying '
            'more than one "resources{N}" parameter.')


def _body(result: ac_obj.Result, want) -> dict:
    return {'allocation_requests': _requests(result, want),
            'provider_summaries': _summaries(result, want)}


def _requests(result: ac_obj.Result, want) -> list[dict]:
    uuid, rc_name = result.uuids, result.rc_names
    if not want.matches((1, 12)):
        return [{'allocations': _allocation_list(c.alloc, uuid, rc_name)}
                for c in result.candidates]
    mappings = want.matches((1, 34))
    uuid_of = uuid.__getitem__
    requests = []
    for c in result.candidates:
        allocations: dict[str, dict[str, dict[str, int]]] = {}
        for p, rc_id, amount in c.alloc:
            entry = allocations.get(uuid[p])
            if entry is None:
                allocations[uuid[p]] = {'resources': {rc_name[rc_id]: amount}}
            else:
                entry['resources'][rc_name[rc_id]] = amount
        item: dict[str, Any] = {'allocations': allocations}
        if mappings:
            item['mappings'] = {suffix: list(map(uuid_of, providers))
                                for suffix, providers in c.mappings}
        requests.append(item)
    return requests


def _allocation_list(alloc, uuid: dict, rc_name: dict) -> list[dict]:
    """Allocations in the list format of microversions before 1.12."""
    by_provider: dict[int, dict] = {}
    for p, rc_id, amount in alloc:
        by_provider.setdefault(p, {})[rc_name[rc_id]] = amount
    return [{'resource_provider': {'uuid': uuid[p]}, 'resources': resources}
            for p, resources in by_provider.items()]


def _summaries(result: ac_obj.Result, want) -> dict:
    uuid, rc_name = result.uuids, result.rc_names
    traits = want.matches((1, 17))
    tree = want.matches((1, 29))
    found = {}
    for s in result.summaries:
        entry: dict[str, Any] = {'resources': {
            rc_name[rc_id]: {'capacity': int(inv.capacity),
                             'used': inv.used}
            for rc_id, inv in s.resources.items()}}
        if traits:
            entry['traits'] = s.traits
        if tree:
            entry['parent_provider_uuid'] = (
                None if s.parent is None else uuid.get(s.parent))
            entry['root_provider_uuid'] = uuid[s.root]
        found[uuid[s.id]] = entry
    return found
