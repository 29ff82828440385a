"""The allocation candidate search proper: pure Python over a Snapshot.

Every request group yields *pieces* (what that group alone would take),
grouped by the root of the provider tree they serve (their *anchor*):

- a suffixed group takes all its resources from one provider; that
  provider serves its own tree, and a sharing provider also serves the
  trees it shares with;
- the unsuffixed group takes each resource class from any provider of the
  anchor's tree or from a sharing provider serving it, and its required
  traits may be spread over the providers it uses.

A candidate is one piece per group, all at the same anchor, whose sums
still fit every provider, that honours group_policy=isolate (suffixed
groups on distinct providers) and same_subtree, and that the answer does
not hold already. Candidates are produced lazily, so a limit stops the
work early.
"""

import dataclasses
import itertools
from typing import Iterator, NamedTuple

from placement.objects.allocation_candidate_data import Snapshot

_NONE: frozenset = frozenset()
# An in_tree naming no provider: no tree has this root.
NO_TREE = -1


@dataclasses.dataclass(frozen=True)
class Group:
    """One request group with every name resolved to an id."""
    suffix: str
    resources: dict[int, int]           # class id -> amount
    required: frozenset[int] = _NONE    # trait ids
    forbidden: frozenset[int] = _NONE
    any_of: tuple[frozenset[int], ...] = ()
    member_of: tuple[frozenset[int], ...] = ()   # aggregate ids
    none_of: frozenset[int] = _NONE
    in_tree: int | None = None          # root id of the tree to stay in


@dataclasses.dataclass(frozen=True)
class Options:
    """Search-wide constraints."""
    isolate: bool = False
    same_subtrees: tuple[frozenset[str], ...] = ()
    root_required: frozenset[int] = _NONE
    root_forbidden: frozenset[int] = _NONE
    # Before 1.29 a candidate may not use two providers of one tree.
    nested: bool = True


class Piece(NamedTuple):
    """What one group takes: its providers, and (provider, class, amount)
    for each resource. `roams` when all its providers share their
    resources: only then can the piece serve more than one anchor."""
    providers: tuple[int, ...]
    alloc: tuple[tuple[int, int, int], ...]
    roams: bool


class Candidate(NamedTuple):
    """One allocation request: (provider, class, amount) for each
    resource, and (suffix, providers) for each request group."""
    alloc: tuple[tuple[int, int, int], ...]
    # Every provider of the candidate appears here.
    mappings: tuple[tuple[str, tuple[int, ...]], ...]


def _has_traits(group: Group, have) -> bool:
    """Whether trait ids `have` meet the group's required and any-of
    traits."""
    return group.required <= have and all(
        have & names for names in group.any_of)


def _provider_check(snap: Snapshot, group: Group, tree_wide: bool):
    """A predicate on provider ids for the group's per-provider filters,
    or None when there are none. In the unsuffixed group a provider is in
    the aggregates of its root too (they span the tree); a suffixed group
    also wants its required traits on the provider itself."""
    checks = []
    if group.in_tree is not None:
        root = snap.root
        checks.append(lambda p: root.get(p) == group.in_tree)
    traits = snap.traits
    if group.forbidden:
        checks.append(lambda p: not traits.get(p, _NONE) & group.forbidden)
    if not tree_wide and (group.required or group.any_of):
        checks.append(lambda p: _has_traits(group, traits.get(p, _NONE)))
    if group.member_of or group.none_of:
        aggregates = snap.aggregates

        def in_aggregates(p):
            mine = aggregates.get(p, _NONE)
            if tree_wide:
                mine = mine | aggregates.get(snap.root[p], _NONE)
            return (all(mine & wanted for wanted in group.member_of)
                    and not mine & group.none_of)
        checks.append(in_aggregates)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda p: all(check(p) for check in checks)


def _able(snap: Snapshot, rc_id: int, amount: int, check) -> list[int]:
    """Providers that can give `amount` of the class and pass `check`."""
    return [p for p, inv in snap.inventory.get(rc_id, {}).items()
            if inv.fits(amount) and (check is None or check(p))]


class _SingleProvider:
    """Pieces of a suffixed group: one provider each."""

    def __init__(self, snap: Snapshot, group: Group) -> None:
        check = _provider_check(snap, group, tree_wide=False)
        providers: set[int] | None = None
        if group.resources:
            for rc_id, amount in group.resources.items():
                able = set(_able(snap, rc_id, amount, check))
                providers = able if providers is None else providers & able
            assert providers is not None  # the loop ran at least once
        else:
            # A group without resources picks any provider that passes.
            providers = {p for p in snap.root if check is None or check(p)}
        self._by_anchor: dict[int, list[Piece]] = {}
        resources = list(group.resources.items())
        for p in sorted(providers):
            piece = Piece((p,), tuple((p, rc, n) for rc, n in resources),
                          p in snap.share_anchors)
            root = snap.root[p]
            self._by_anchor.setdefault(root, []).append(piece)
            for anchor in snap.share_anchors.get(p, ()):
                if anchor != root:
                    self._by_anchor.setdefault(anchor, []).append(piece)

    def anchors(self) -> set[int]:
        return set(self._by_anchor)

    def at(self, anchor: int) -> list[Piece]:
        return self._by_anchor.get(anchor, [])


class _TreeWide:
    """Pieces of the unsuffixed group: each class from any provider of the
    anchor's tree or a sharing provider serving it."""

    def __init__(self, snap: Snapshot, group: Group) -> None:
        self._group = group
        self._traits = snap.traits
        self._sharing = frozenset(snap.share_anchors)
        check = _provider_check(snap, group, tree_wide=True)
        root = snap.root
        # class id -> anchor -> providers able to give the class there
        self._able: dict[int, dict[int, list[int]]] = {}
        anchors = None
        for rc_id, amount in group.resources.items():
            able = _able(snap, rc_id, amount, check)
            by_anchor: dict[int, list[int]] = {}
            for p in able:
                mine = by_anchor.get(root[p])
                if mine is None:
                    by_anchor[root[p]] = [p]
                else:
                    mine.append(p)
            for p in self._sharing.intersection(able):
                for anchor in snap.share_anchors[p]:
                    if anchor != root[p]:
                        by_anchor.setdefault(anchor, []).append(p)
            self._able[rc_id] = by_anchor
            anchors = (set(by_anchor) if anchors is None
                       else anchors & by_anchor.keys())
        self._anchors = anchors or set()

    def _traits_reachable(self, anchor: int) -> bool:
        """Whether the providers usable at `anchor`, all together, have
        the group's required traits (else no piece there can)."""
        have: set[int] = set()
        for by_anchor in self._able.values():
            for p in by_anchor[anchor]:
                have |= self._traits.get(p, _NONE)
        return _has_traits(self._group, have)

    def anchors(self) -> set[int]:
        return self._anchors

    def at(self, anchor: int) -> list[Piece]:
        group, traits, sharing = self._group, self._traits, self._sharing
        check_traits = bool(group.required or group.any_of)
        if check_traits and not self._traits_reachable(anchor):
            return []
        options = [[(p, rc_id, amount) for p in self._able[rc_id][anchor]]
                   for rc_id, amount in group.resources.items()]
        pieces = []
        for alloc in itertools.product(*options):
            providers = tuple({share[0]: None for share in alloc})
            if check_traits and not _has_traits(group, set().union(
                    *(traits.get(p, _NONE) for p in providers))):
                continue
            pieces.append(Piece(providers, alloc,
                                sharing.issuperset(providers)))
        return pieces


def _combinations(snap: Snapshot, lists: list[list[Piece]],
                  granular: list[bool], isolate: bool):
    """Every choice of one piece per group whose summed amounts fit and
    that honours isolation. Yields (pieces, usage) where usage maps
    (provider, class) -> amount; both are reused between yields."""
    count = len(lists)
    usage: dict[tuple[int, int], int] = {}
    taken: set[int] = set()
    chosen: list[Piece | None] = [None] * count
    inventory = snap.inventory

    def walk(index):
        if index == count:
            yield chosen, usage
            return
        for piece in lists[index]:
            single = piece.providers[0] if (
                isolate and granular[index]) else None
            if single is not None and single in taken:
                continue
            applied = []
            for p, rc_id, amount in piece.alloc:
                key = (p, rc_id)
                before = usage.get(key, 0)
                if before and not inventory[rc_id][p].holds(before + amount):
                    break
                usage[key] = before + amount
                applied.append((key, amount))
            else:
                if single is not None:
                    taken.add(single)
                chosen[index] = piece
                yield from walk(index + 1)
                if single is not None:
                    taken.discard(single)
            for key, amount in applied:
                left = usage[key] - amount
                if left:
                    usage[key] = left
                else:
                    del usage[key]

    yield from walk(0)


def _same_subtree(snap: Snapshot, mappings: dict[str, list[int]],
                  same_subtrees) -> bool:
    """Whether, for each same_subtree set of suffixes, one of the providers
    they use is an ancestor of (or is) all the others."""
    for suffixes in same_subtrees:
        providers: set[int] = set()
        for suffix in suffixes:
            providers.update(mappings.get(suffix, ()))
        if len(providers) < 2:
            continue
        common: set[int] | None = None
        for p in providers:
            above = snap.ancestors(p)
            common = set(above) if common is None else common & above
        assert common is not None  # providers is not empty
        if not common & providers:
            return False
    return True


def _root_ok(snap: Snapshot, anchor: int, opts: Options) -> bool:
    traits = snap.traits.get(anchor, _NONE)
    return opts.root_required <= traits and not opts.root_forbidden & traits


def _merged(snap: Snapshot, groups: list[Group], lists, opts: Options,
            seen: set):
    """Candidates combining one piece of each group (several groups)."""
    granular = [bool(g.suffix) for g in groups]
    root = snap.root
    for chosen, usage in _combinations(snap, lists, granular, opts.isolate):
        mappings = tuple((g.suffix, piece.providers)
                         for g, piece in zip(groups, chosen))
        if opts.same_subtrees and not _same_subtree(
                snap, dict(mappings), opts.same_subtrees):
            continue
        if not opts.nested and len({root[p] for p, _ in usage}) < len(
                {p for p, _ in usage}):
            continue
        alloc = tuple((p, rc_id, amount)
                      for (p, rc_id), amount in usage.items())
        if all(piece.roams for piece in chosen) and _met(
                seen, alloc, mappings):
            continue
        yield Candidate(alloc, mappings)


def _single(snap: Snapshot, group: Group, pieces: list[Piece],
            opts: Options, seen: set):
    """Candidates of a request with one group: its pieces as they are."""
    root = snap.root
    for piece in pieces:
        providers = piece.providers
        if (not opts.nested and len(providers) > 1
                and len({root[p] for p in providers}) < len(providers)):
            continue
        mappings = ((group.suffix, providers),)
        if piece.roams and _met(seen, piece.alloc, mappings):
            continue
        yield Candidate(piece.alloc, mappings)


def _met(seen: set, alloc, mappings) -> bool:
    """Whether this candidate was produced already (only one made of
    roaming pieces can be met again, at another anchor); notes it."""
    key = (frozenset(alloc), mappings)
    if key in seen:
        return True
    seen.add(key)
    return False


def search(snap: Snapshot, groups: list[Group],
           opts: Options) -> Iterator[Candidate]:
    """The allocation candidates for `groups`, tree by tree."""
    makers = [_SingleProvider(snap, g) if g.suffix else _TreeWide(snap, g)
              for g in groups]
    anchors = set.intersection(*(m.anchors() for m in makers))
    seen: set = set()
    for anchor in sorted(anchors):
        if (opts.root_required or opts.root_forbidden) and not _root_ok(
                snap, anchor, opts):
            continue
        lists = [m.at(anchor) for m in makers]
        if not all(lists):
            continue
        if len(groups) == 1:
            yield from _single(snap, groups[0], lists[0], opts, seen)
        else:
            yield from _merged(snap, groups, lists, opts, seen)
