"""Duct (shared-risk group) risks: one trench cut takes every fibre in it.

NetworkX `bridges()` cannot see a PD dual-homed over two fibres that share one duct; here every
duct is failed as a group (through the failure engine, so all ducts of a city take one pass), and
per PD the smallest set of ducts whose loss isolates it is searched exactly up to a bound.
"""
from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

from netops.analysis.cuts import FailureEngine, Spof


@dataclass
class DuctSpof:
    """A duct whose loss cuts PDs off; `hidden` are those no single fibre of it would cut."""

    duct: str
    pds: list[str]
    devices: int
    links: list[str]
    hidden: list[str] = field(default_factory=list)


@dataclass
class DuctCut:
    """Fewest ducts whose loss isolates a PD: exact `count` (with one such set), or `None` with
    `bounded` True when no set of up to `bound` ducts does, or `None` with `bounded` False when
    no set of ducts can (a path runs through fibres in no duct)."""

    count: int | None
    ducts: list[str]
    bounded: bool = False


def duct_spofs(engine: FailureEngine, bridges: list[Spof]) -> list[DuctSpof]:
    """Every duct whose loss cuts off at least one PD, ranked by PDs then devices cut."""
    by_bridge = {b.name: set(b.pds) for b in bridges}
    out = []
    for duct, edges in engine.duct_edges.items():
        if not edges:
            continue
        cut = engine.cut(edges)
        if cut.pds:
            links = sorted({engine.keys[e] for e in edges})
            single = set().union(*(by_bridge.get(link, set()) for link in links))
            out.append(DuctSpof(duct, cut.pds, cut.devices, links, sorted(set(cut.pds) - single)))
    out.sort(key=lambda s: (-len(s.pds), -s.devices, s.duct))
    return out


class DuctSearch:
    """Minimum duct cut per PD, exact up to `bound`.

    Lower bound L: greedily found paths that share no duct (any cut needs one duct per path).
    Size L is then decided over the product of those paths' ducts (nearest the PD first, so the
    usual answer, the two ducts leaving the PD, is the first one tried); larger sizes by iterative
    deepening over the ducts of a surviving path (any cut must hit it). Every candidate set is
    judged by the failure engine. Paths come from a BFS tree grown once from the core: a search
    only explores the part of the city whose tree route to the core the removed fibres broke.
    """

    def __init__(self, engine: FailureEngine, bound: int = 3):
        self.engine, self.bound = engine, bound
        self.ducts_of: list[tuple[str, ...]] = [()] * len(engine.eu)
        for duct, edges in engine.duct_edges.items():
            for e in edges:
                self.ducts_of[e] += (duct,)
        self._bfs_tree()

    def _bfs_tree(self) -> None:
        """Parent edge towards the core for every node, and preorder intervals for ancestor tests."""
        e = self.engine
        n = len(e.adj)
        self.up = [-1] * n
        children: list[list[int]] = [[] for _ in range(n)]
        seen = [False] * n
        seen[e.source] = True
        queue = deque([e.source])
        while queue:
            v = queue.popleft()
            for w, edge in e.adj[v]:
                if not seen[w]:
                    seen[w] = True
                    self.up[w] = edge
                    children[v].append(w)
                    queue.append(w)
        self.tin, self.tout = [-1] * n, [-1] * n
        clock, stack = 0, [(e.source, False)]
        while stack:
            v, done = stack.pop()
            if done:
                self.tout[v] = clock
                continue
            self.tin[v] = clock
            clock += 1
            stack.append((v, True))
            stack.extend((c, False) for c in children[v])

    def minimum(self, code: str, single: str | None = None) -> DuctCut:
        """`single`: a duct already known to isolate the PD on its own (from `duct_spofs`)."""
        routers = self.engine.pd_routers[code]
        if code in self.engine.baseline:
            return DuctCut(0, [])
        if single:
            return DuctCut(1, [single])
        paths = self._duct_disjoint_paths(routers)
        if paths is None:
            return DuctCut(None, [])
        lower = max(2, len(paths))
        if lower <= self.bound and len(paths) == lower:
            for combo in itertools.product(*(self._ducts_along(p) for p in paths)):
                if code in self.engine.cut(self._edges(frozenset(combo))).pds:
                    return DuctCut(lower, sorted(combo))
            lower += 1
        for k in range(lower, self.bound + 1):
            found = self._search(code, routers, frozenset(), k, set())
            if found is not None:
                return DuctCut(len(found), sorted(found))
        return DuctCut(None, [], bounded=True)

    def _ducts_along(self, path: list[int]) -> list[str]:
        """Ducts of a path in order from the PD outwards, each once."""
        return list(dict.fromkeys(d for e in path for d in self.ducts_of[e]))

    def _edges(self, ducts: frozenset[str]) -> set[int]:
        return {e for d in ducts for e in self.engine.duct_edges[d]}

    def _search(self, code: str, routers: list[int], chosen: frozenset[str], k: int,
                seen: set[frozenset[str]]) -> frozenset[str] | None:
        if chosen in seen:
            return None
        seen.add(chosen)
        if len(chosen) == k:
            return chosen if code in self.engine.cut(self._edges(chosen)).pds else None
        path = self._path(routers, self._edges(chosen))
        if path is None:
            return chosen
        for duct in self._ducts_along(path):
            if duct not in chosen:
                found = self._search(code, routers, chosen | {duct}, k, seen)
                if found is not None:
                    return found
        return None

    def _duct_disjoint_paths(self, routers: list[int]) -> list[list[int]] | None:
        """Greedy paths sharing no duct (their number is a lower bound on the answer), at most one
        past the bound; None when a path runs through no duct at all (no duct cut can isolate the PD)."""
        removed: set[int] = set()
        paths: list[list[int]] = []
        while len(paths) <= self.bound:
            path = self._path(routers, removed)
            if path is None:
                return paths
            ducts = {d for e in path for d in self.ducts_of[e]}
            if not ducts:
                return None
            removed |= self._edges(frozenset(ducts))
            paths.append(path)
        return paths

    def _path(self, routers: list[int], removed: set[int]) -> list[int] | None:
        """Edge ids of a surviving path from the PD's routers to the core (PD end first), or None.

        BFS from the PD until a node whose BFS-tree route to the core avoids every removed fibre."""
        engine, up, tin, tout = self.engine, self.up, self.tin, self.tout
        broken = [(tin[w], tout[w]) for e in removed
                  for w in (engine.eu[e], engine.ev[e]) if up[w] == e]

        def intact(x: int) -> bool:
            return tin[x] >= 0 and not any(a <= tin[x] < b for a, b in broken)

        via: dict[int, int] = {r: -1 for r in routers}
        queue = deque(routers)
        while queue:
            v = queue.popleft()
            if intact(v):
                path: list[int] = []
                x = v
                while via[x] >= 0:
                    e = via[x]
                    path.append(e)
                    x = engine.eu[e] if engine.ev[e] == x else engine.ev[e]
                path.reverse()
                while up[v] >= 0:
                    e = up[v]
                    path.append(e)
                    v = engine.eu[e] if engine.ev[e] == v else engine.ev[e]
                return path
            for w, e in engine.adj[v]:
                if w not in via and e not in removed:
                    via[w] = e
                    queue.append(w)
        return None
