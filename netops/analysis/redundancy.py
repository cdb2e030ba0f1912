"""Single points of failure: bridges (fibres), articulation points (routers), disjoint paths per PD.

Bridges and articulation points are those of the fibre multigraph itself (a fibre with a parallel
twin is not a bridge), each with the PDs its failure cuts off from the Pusat Data core.
Disjoint paths are counted to the core as one super-source (either core router counts; core
routers and the PD's own routers are path ends, not shared hops): 0 and 1 come straight from the
bridges/articulation points, higher counts from a unit-capacity max-flow capped at `cap`.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

import networkx as nx

from netops.analysis.cuts import FailureEngine, Spof, dfs
from netops.analysis.ducts import DuctSearch, DuctSpof, duct_spofs


class Verdict(str, Enum):
    """Worst first: a policy's `require:` names the least it accepts."""

    isolated = "isolated"
    single_homed = "single-homed"
    shared_duct = "dual-homed-shared-duct"
    diverse = "diverse"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)


@dataclass
class PathCounts:
    edge_disjoint: int
    node_disjoint: int
    capped: bool = False      # True: the count stopped at `cap`, there may be more


@dataclass
class Structure:
    bridges: list[Spof] = field(default_factory=list)
    articulation_points: list[Spof] = field(default_factory=list)


def _plain_adjacency(engine: FailureEngine) -> list[list[tuple[int, int]]]:
    """The fibre multigraph without the virtual source."""
    return [[(w, e) for w, e in engine.adj[v] if e < engine.real_edges] for v in range(engine.source)]


def bridges_and_articulation_points(engine: FailureEngine) -> tuple[list[int], list[int]]:
    """Edge ids of bridges and node indices of articulation points (Tarjan, multigraph-aware)."""
    t = dfs(_plain_adjacency(engine), range(engine.source))
    bridges, points = [], set()
    root_children: dict[int, int] = {}
    for v in t.order:
        p = t.parent[v]
        if p < 0:
            continue
        if t.low[v] > t.tin[p]:
            bridges.append(t.pedge[v])
        if t.parent[p] < 0:
            root_children[p] = root_children.get(p, 0) + 1
        elif t.low[v] >= t.tin[p]:
            points.add(p)
    points.update(r for r, count in root_children.items() if count > 1)
    return bridges, sorted(points)


def structure(engine: FailureEngine) -> Structure:
    """Bridges and articulation points with their impact, ranked by PDs then devices cut off.

    A router's impact lists the *other* PDs it cuts off (transit), not the PD it is the edge of."""
    bridge_ids, point_ids = bridges_and_articulation_points(engine)
    names = engine.names
    out = Structure()
    for e in bridge_ids:
        cut = engine.cut([e])
        out.bridges.append(Spof("link", engine.keys[e], (names[engine.eu[e]], names[engine.ev[e]]),
                                cut.pds, cut.devices))
    for v in point_ids:
        cut = engine.cut([], [v])
        others = [pd for pd in cut.pds if v not in engine.pd_routers[pd]]
        out.articulation_points.append(Spof("node", names[v], None, others, cut.devices))
    for spofs in (out.bridges, out.articulation_points):
        spofs.sort(key=lambda s: (-len(s.pds), -s.devices, s.name))
    return out


class PathCounter:
    """Edge- and node-disjoint path counts from the core (super-source) to each PD's routers."""

    BIG = 1 << 30

    def __init__(self, engine: FailureEngine, cap: int = 4):
        self.engine, self.cap = engine, cap
        core = set(engine.core)
        self.core = core
        n = engine.source + 1
        self.sink = 2 * n
        self.head: list[int] = []
        self.cap0: list[int] = []
        self.out: list[list[int]] = [[] for _ in range(2 * n + 1)]
        self.node_arc = [self._arc(2 * v, 2 * v + 1, self.BIG if v in core or v == engine.source else 1)
                         for v in range(n)]
        for e, (u, v) in enumerate(zip(engine.eu, engine.ev, strict=True)):
            big = e >= engine.real_edges
            self._arc(2 * u + 1, 2 * v, self.BIG if big else 1)
            self._arc(2 * v + 1, 2 * u, self.BIG if big else 1)
        self.sink_arc = {r: self._arc(2 * r + 1, self.sink, 0) for r in engine.router_pd}

    def _arc(self, a: int, b: int, cap: int) -> int:
        i = len(self.head)
        self.head += [b, a]
        self.cap0 += [cap, 0]
        self.out[a].append(i)
        self.out[b].append(i + 1)
        return i

    def count(self, routers: list[int], node_disjoint: bool) -> tuple[int, bool]:
        """Max number of disjoint paths (up to `cap`) and whether the cap was reached."""
        cap = list(self.cap0)
        for r in routers:
            cap[self.sink_arc[r]] = self.BIG
            cap[self.node_arc[r]] = self.BIG
        if not node_disjoint:
            for arc in self.node_arc:
                cap[arc] = self.BIG
        source, flow = 2 * self.engine.source + 1, 0
        head, out = self.head, self.out
        while flow < self.cap:
            # backwards from the PD: stops as soon as a core router is reached, so the search stays local
            nxt = {self.sink: -1}
            queue = deque([self.sink])
            while queue and source not in nxt:
                b = queue.popleft()
                for back in out[b]:
                    arc = back ^ 1
                    a = head[back]
                    if cap[arc] > 0 and a not in nxt:
                        nxt[a] = arc
                        queue.append(a)
            if source not in nxt:
                return flow, False
            a = source
            while a != self.sink:
                arc = nxt[a]
                cap[arc] -= 1
                cap[arc ^ 1] += 1
                a = head[arc]
            flow += 1
        return flow, True


def path_counts(engine: FailureEngine, spofs: Structure, cap: int = 4) -> dict[str, PathCounts]:
    """Per PD. 0/1 from the single points of failure; a flow only where bounds leave the count open."""
    cut_by_link = {pd for s in spofs.bridges for pd in s.pds}
    routers_of = engine.pd_routers
    cut_by_node: set[str] = set()
    for s in spofs.articulation_points:
        v = engine.index[s.name]
        cut_by_node.update(pd for pd in s.pds if v not in engine.core)
    counter: PathCounter | None = None
    out: dict[str, PathCounts] = {}
    for code, routers in routers_of.items():
        if code in engine.baseline:
            out[code] = PathCounts(0, 0)
            continue
        edge_hi, node_hi = _upper_bounds(engine, routers)
        counts = []
        for low, high, node_disjoint in ((1 if code in cut_by_link else 2, edge_hi, False),
                                         (1 if code in cut_by_link | cut_by_node else 2, node_hi, True)):
            if low < 2 or high <= 2:
                counts.append((min(low, high), False))
            else:
                counter = counter or PathCounter(engine, cap)
                counts.append(counter.count(routers, node_disjoint))
        (edge, edge_capped), (node, node_capped) = counts
        out[code] = PathCounts(edge, node, edge_capped or node_capped)
    return out


def _upper_bounds(engine: FailureEngine, routers: list[int]) -> tuple[int, int]:
    """Fibres leaving the PD's routers towards the core; distinct next hops (each fibre straight to a
    core counts)."""
    own = set(routers)
    t = engine.tree
    fibres, hops, to_core = 0, set(), 0
    for r in routers:
        for w, e in engine.adj[r]:
            if w in own or e >= engine.real_edges:
                continue
            if t.pedge[w] == e and t.low[w] > t.tin[r]:
                continue          # a bridge into a dead end (spurs hanging below the PD): no way to the core
            fibres += 1
            if w in engine.core:
                to_core += 1
            else:
                hops.add(w)
    if any(r in engine.core for r in routers):
        return PathCounter.BIG, PathCounter.BIG
    return fibres, to_core + len(hops)


def verdict(counts: PathCounts, min_ducts: int | None) -> Verdict:
    """isolated (no path) < single-homed (one fibre or router away) < shared duct (one trench away) < diverse."""
    paths = min(counts.edge_disjoint, counts.node_disjoint)
    if paths == 0:
        return Verdict.isolated
    if paths == 1:
        return Verdict.single_homed
    return Verdict.shared_duct if min_ducts == 1 else Verdict.diverse


@dataclass
class PDRisk:
    """One PD's standing: disjoint paths to the core, the fewest ducts that cut it, the verdict."""

    code: str
    name: str
    kind: str
    routers: list[str]
    edge_disjoint: int
    node_disjoint: int
    paths_capped: bool
    min_ducts: int | None
    min_duct_set: list[str]
    duct_search_bounded: bool
    verdict: Verdict
    cut_by: list[str] = field(default_factory=list)


@dataclass
class Violation:
    policy: str
    pd: str
    verdict: str
    required: str

    def __str__(self) -> str:
        return f"policy {self.policy}: {self.pd} is {self.verdict}, must be at least {self.required}"


@dataclass
class TopologyCheck:
    source: str
    core: list[str]
    bridges: list[Spof]
    articulation_points: list[Spof]
    duct_spofs: list[DuctSpof]
    pds: dict[str, PDRisk]
    violations: list[Violation]
    duct_bound: int
    warnings: list[str] = field(default_factory=list)


def check_topology(g: nx.MultiGraph[str], policies: Iterable[PolicyLike] = (), duct_bound: int = 3,
                   path_cap: int = 4, engine: FailureEngine | None = None) -> TopologyCheck:
    """Everything `netops topology check` reports, from one graph (declared, observed or GraphML)."""
    engine = engine or FailureEngine(g)
    spofs = structure(engine)
    counts = path_counts(engine, spofs, path_cap)
    ducts = duct_spofs(engine, spofs.bridges)
    first_duct: dict[str, str] = {}
    cut_by: dict[str, list[str]] = {}
    for kind, items in (("link", spofs.bridges), ("node", spofs.articulation_points)):
        for s in items:
            for pd in s.pds:
                cut_by.setdefault(pd, []).append(f"{kind}:{s.name}")
    for d in ducts:
        for pd in d.pds:
            first_duct.setdefault(pd, d.duct)
            cut_by.setdefault(pd, []).append(f"duct:{d.duct}")
    search = DuctSearch(engine, duct_bound)
    pds: dict[str, PDRisk] = {}
    for code, info in sorted(g.graph.get("pds", {}).items()):
        mc = search.minimum(code, first_duct.get(code))
        c = counts[code]
        pds[code] = PDRisk(code, info.get("name", code), info.get("kind", ""), list(info["routers"]),
                           c.edge_disjoint, c.node_disjoint, c.capped, mc.count, mc.ducts, mc.bounded,
                           verdict(c, mc.count), sorted(cut_by.get(code, [])))
    return TopologyCheck(str(g.graph.get("source", "")), list(g.graph.get("core", [])), spofs.bridges,
                         spofs.articulation_points, ducts, pds, violations(pds, policies), duct_bound,
                         list(g.graph.get("warnings", [])))


class PolicyLike(Protocol):
    name: str
    pd_kinds: list[str]
    pds: list[str]
    require: str


def violations(pds: dict[str, PDRisk], policies: Iterable[PolicyLike]) -> list[Violation]:
    """PDs a policy covers (by kind or code) whose verdict is worse than the policy requires."""
    out = []
    for policy in policies:
        required = Verdict(policy.require)
        for code, risk in pds.items():
            covered = risk.kind in policy.pd_kinds or code in policy.pds
            if covered and risk.verdict.rank < required.rank:
                out.append(Violation(policy.name, code, risk.verdict.value, required.value))
    return out
