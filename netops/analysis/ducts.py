"""Duct (shared-risk group) risks: one trench cut takes every fibre in it.

NetworkX `bridges()` cannot see a PD dual-homed over two fibres that share one duct; here every
duct is failed as a group (through the failure engine, so all ducts of a city take one pass), and
per PD the smallest set of ducts whose loss isolates it is searched exactly up to a bound.
"""
from __future__ import annotations

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
    """Minimum duct cut per PD: iterative deepening over ducts on a surviving path (any cut must
    hit it), each leaf judged by the failure engine; pruned by a lower bound from duct-disjoint paths."""

    def __init__(self, engine: FailureEngine, bound: int = 3):
        self.engine, self.bound = engine, bound
        self.ducts_of: list[tuple[str, ...]] = [()] * len(engine.eu)
        for duct, edges in engine.duct_edges.items():
            for e in edges:
                self.ducts_of[e] += (duct,)

    def minimum(self, code: str, single: str | None = None) -> DuctCut:
        """`single`: a duct already known to isolate the PD on its own (from `duct_spofs`)."""
        routers = self.engine.pd_routers[code]
        if code in self.engine.baseline:
            return DuctCut(0, [])
        if single:
            return DuctCut(1, [single])
        lower = self._duct_disjoint_paths(routers)
        if lower is None:
            return DuctCut(None, [])
        for k in range(max(2, lower), self.bound + 1):
            found = self._search(code, routers, frozenset(), k, set())
            if found is not None:
                return DuctCut(len(found), sorted(found))
        return DuctCut(None, [], bounded=True)

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
        for duct in sorted({d for e in path for d in self.ducts_of[e]}):
            found = self._search(code, routers, chosen | {duct}, k, seen)
            if found is not None:
                return found
        return None

    def _duct_disjoint_paths(self, routers: list[int]) -> int | None:
        """Greedy count of paths sharing no duct (a lower bound on the answer, capped one past the
        bound); None when a path runs through no duct at all (no duct cut can isolate the PD)."""
        removed: set[int] = set()
        count = 0
        while count <= self.bound:
            path = self._path(routers, removed)
            if path is None:
                return count
            ducts = {d for e in path for d in self.ducts_of[e]}
            if not ducts:
                return None
            removed |= self._edges(frozenset(ducts))
            count += 1
        return count

    def _path(self, routers: list[int], removed: set[int]) -> list[int] | None:
        """Edge ids of a shortest surviving path from the PD's routers to the core, or None."""
        engine = self.engine
        via: dict[int, int] = {r: -1 for r in routers}
        queue = deque(routers)
        while queue:
            v = queue.popleft()
            if v == engine.source:
                path = []
                while via[v] >= 0:
                    e = via[v]
                    path.append(e)
                    v = engine.eu[e] if engine.ev[e] == v else engine.ev[e]
                return path
            for w, e in engine.adj[v]:
                if w not in via and e not in removed:
                    via[w] = e
                    queue.append(w)
        return None
