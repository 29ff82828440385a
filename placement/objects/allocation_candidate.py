"""GET /allocation_candidates: which sets of providers could satisfy a
request, and a summary of each provider involved.

find() reads everything in one reader transaction: names are resolved to
ids (400 for unknown classes or traits), a Snapshot is loaded with a few
set-based queries, the search runs in memory
(allocation_candidate_search), and the summaries of the providers in the
answer are read last.
"""

import dataclasses
import itertools
import random
from typing import NamedTuple

import sqlalchemy as sa

from placement import database
from placement import query
from placement import tables
from placement.conf import CONF
from placement.objects import allocation_candidate_data as data
from placement.objects import allocation_candidate_search as search
from placement.objects import resource_class
from placement.objects import trait


@dataclasses.dataclass
class RequestGroup:
    """One request group as parsed from the query string (names)."""
    suffix: str
    resources: dict[str, int]
    traits: query.RequiredTraits = dataclasses.field(
        default_factory=query.RequiredTraits)
    member_of: query.MemberOf = dataclasses.field(
        default_factory=query.MemberOf)
    in_tree: str | None = None


@dataclasses.dataclass
class Request:
    groups: list[RequestGroup]
    isolate: bool = False
    limit: int | None = None
    # root_required: traits the root of each candidate's tree must have
    # (.required) or lack (.forbidden).
    root_traits: query.RequiredTraits = dataclasses.field(
        default_factory=query.RequiredTraits)
    same_subtrees: list[set[str]] = dataclasses.field(default_factory=list)
    # 1.29: several providers of one tree may combine; summaries cover
    # whole trees.
    nested: bool = True
    # 1.27: summaries list every class, not only the requested ones.
    all_classes: bool = True
    # 1.17: summaries list the providers' traits.
    summary_traits: bool = True


class Summary(NamedTuple):
    """A provider in the answer: ids of itself, its parent and root, its
    inventories by class id, and its trait names."""
    id: int
    parent: int | None
    root: int
    resources: dict[int, data.Inventory]
    traits: list[str]


@dataclasses.dataclass
class Result:
    """Candidates and summaries name providers and classes by id; `uuids`
    and `rc_names` translate every id they use."""
    candidates: list[search.Candidate]
    summaries: list[Summary]
    uuids: dict[int, str]
    rc_names: dict[int, str]


_EMPTY = Result([], [], {}, {})


def find(ctx, req: Request) -> Result:
    """The candidates for `req` (at most req.limit), and summaries."""
    with database.reader(ctx) as conn:
        return _Finder(conn, req).run()


def _hopeless(group: search.Group) -> bool:
    """Whether the group names a tree or aggregates that do not exist."""
    return group.in_tree == search.NO_TREE or not all(group.member_of)


class _Finder:
    """One search: name resolution, loading, search and summaries."""

    def __init__(self, conn, req: Request) -> None:
        self.conn = conn
        self.req = req
        self.snap = data.Snapshot()

    def run(self) -> Result:
        groups = self._resolve_groups()
        if any(_hopeless(g) for g in groups):
            return _EMPTY
        opts = self._options()
        self._load(groups)
        found = self._take(search.search(self.snap, groups, opts))
        if not found:
            return _EMPTY
        summaries = self._summaries(found)
        rc_ids = set(self.rc_ids)
        for summary in summaries:
            rc_ids.update(summary.resources)
        return Result(found, summaries, self.snap.uuid,
                      resource_class.names_for(self.conn, rc_ids))

    # Resolving names ---------------------------------------------------

    def _resolve_groups(self) -> list[search.Group]:
        conn, req = self.conn, self.req
        names = set(req.root_traits.names())
        uuids = set()
        for group in req.groups:
            names |= group.traits.names()
            uuids |= group.member_of.uuids()
        self.trait_ids = query.trait_ids(conn, names) if names else {}
        self.aggregate_ids = query.aggregate_ids(conn, uuids)
        return [self._resolve(group) for group in req.groups]

    def _traits(self, names) -> frozenset[int]:
        return frozenset(self.trait_ids[n] for n in names)

    def _aggregates(self, uuids) -> frozenset[int]:
        return frozenset(self.aggregate_ids[u] for u in uuids
                         if u in self.aggregate_ids)

    def _resolve(self, group: RequestGroup) -> search.Group:
        resources = (query.resource_class_ids(self.conn, group.resources)
                     if group.resources else {})
        traits, member_of = group.traits, group.member_of
        return search.Group(
            suffix=group.suffix, resources=resources,
            required=self._traits(traits.required),
            forbidden=self._traits(traits.forbidden),
            any_of=tuple(self._traits(n) for n in traits.any_of),
            member_of=tuple(self._aggregates(u) for u in member_of.all_of),
            none_of=self._aggregates(member_of.none_of),
            in_tree=self._tree_root(group.in_tree))

    def _tree_root(self, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        rp = tables.resource_providers
        root = self.conn.execute(sa.select(rp.c.root_provider_id).where(
            rp.c.uuid == uuid)).scalar()
        return search.NO_TREE if root is None else root

    def _options(self) -> search.Options:
        req = self.req
        return search.Options(
            isolate=req.isolate,
            same_subtrees=tuple(frozenset(s) for s in req.same_subtrees),
            root_required=self._traits(req.root_traits.required),
            root_forbidden=self._traits(req.root_traits.forbidden),
            nested=req.nested)

    # Loading -----------------------------------------------------------

    def _load(self, groups: list[search.Group]) -> None:
        conn, snap = self.conn, self.snap
        self.rc_ids = {rc for g in groups for rc in g.resources}
        data.load_capacity(conn, snap, self.rc_ids)
        data.load_trees(conn, snap)
        sharing_id = trait.ids_for(conn, [data.SHARING_TRAIT]).get(
            data.SHARING_TRAIT)
        trait_ids = set(self.trait_ids.values())
        if sharing_id is not None:
            trait_ids.add(sharing_id)
        data.load_traits(conn, snap, trait_ids)
        with_inventory = {p for by_provider in snap.inventory.values()
                          for p in by_provider}
        sharing = {p for p, ids in snap.traits.items()
                   if sharing_id in ids and p in with_inventory}
        data.load_share_anchors(conn, snap, sharing)
        data.load_aggregates(conn, snap, set(self.aggregate_ids.values()))

    def _take(self, candidates) -> list[search.Candidate]:
        """The first `limit` candidates, or a random `limit` of them when
        randomize_allocation_candidates is set; never more than
        max_allocation_candidates are generated."""
        limit = self.req.limit
        most = CONF.placement.max_allocation_candidates
        if most > 0:
            candidates = itertools.islice(candidates, most)
        if CONF.placement.randomize_allocation_candidates:
            found = list(candidates)
            random.shuffle(found)
            return found[:limit] if limit else found
        return list(itertools.islice(candidates, limit))

    # Summaries ---------------------------------------------------------

    def _summaries(self, found: list[search.Candidate]) -> list[Summary]:
        """Summaries of the providers in `found` (from 1.29, of every
        provider in their trees)."""
        snap, req = self.snap, self.req
        providers: set[int] = set()
        for candidate in found:
            for _, used in candidate.mappings:
                providers.update(used)
        if req.nested:
            roots = {snap.root[p] for p in providers}
            providers = {p for p, root in snap.root.items() if root in roots}
        resources: dict[int, dict] = {p: {} for p in providers}
        for rc_id in sorted(self.rc_ids):
            for p, inv in snap.inventory[rc_id].items():
                mine = resources.get(p)
                if mine is not None:
                    mine[rc_id] = inv
        if req.all_classes:
            for p, invs in data.summary_inventory(
                    self.conn, providers, self.rc_ids).items():
                resources[p].update(invs)
        traits = (data.summary_traits(self.conn, providers)
                  if req.summary_traits else {})
        parent, root = snap.parent, snap.root
        return [Summary(p, parent[p], root[p], resources[p],
                        traits.get(p, []))
                for p in sorted(providers)]
