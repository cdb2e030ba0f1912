"""What if these fibres, routers or ducts fail: who is cut off, who reroutes, what capacity is left.

`what_if` judges one failure set in depth (reroutes, capacities). `each` fails every duct, link or
router of the city one at a time through the failure engine (precomputed once); `each_naive` is the
obvious loop (copy the graph, remove, recompute connectivity) kept as the reference the engine is
tested and benchmarked against.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.paths import Route, shortest_routes, shortest_tree, without
from netops.errors import InputError, NotFoundError

KINDS = ("link", "node", "duct")


@dataclass(frozen=True)
class Failure:
    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


def parse_failure(text: str) -> Failure:
    """`link:BTM-FO-0007`, `node:core-01`, `duct:DCT-EP-01`."""
    kind, sep, name = text.partition(":")
    if not sep or kind not in KINDS or not name:
        raise InputError.of_field("failure", f"{text!r}: expected link:CABLE, node:HOST or duct:DUCT")
    return Failure(kind, name)


def resolve(g: nx.MultiGraph[str], failures: Iterable[Failure]) -> tuple[set[str], set[str]]:
    """Failed cable ids and routers; unknown names are an error, not a silent no-op."""
    cables: set[str] = set()
    nodes: set[str] = set()
    by_duct: dict[str, set[str]] = {}
    for _, _, key, attrs in g.edges(keys=True, data=True):
        for duct in attrs.get("ducts") or ():
            by_duct.setdefault(duct, set()).add(key)
    keys = {k for _, _, k in g.edges(keys=True)}
    for f in failures:
        if f.kind == "node":
            if f.name not in g:
                raise NotFoundError(f"node:{f.name}: no such device in the topology")
            nodes.add(f.name)
        elif f.kind == "link":
            if f.name not in keys:
                raise NotFoundError(f"link:{f.name}: no such active fibre in the topology")
            cables.add(f.name)
        else:
            if f.name not in by_duct and f.name not in g.graph.get("ducts", {}):
                raise NotFoundError(f"duct:{f.name}: no such duct in the topology")
            cables |= by_duct.get(f.name, set())
    return cables, nodes


@dataclass
class Reroute:
    pd: str
    before: Route
    after: Route
    capacity_before_mbps: float
    capacity_after_mbps: float


@dataclass
class WhatIf:
    failures: list[str]
    links_cut: list[str]
    nodes_failed: list[str]
    isolated_pds: list[str]
    isolated_devices: list[str]
    reroutes: list[Reroute] = field(default_factory=list)


class Capacity:
    """Max-flow capacity (Mb/s) from the core to a PD's routers over the fibres of one graph."""

    SOURCE, SINK = ("__core__",), ("__pd__",)

    def __init__(self, g: nx.MultiGraph[str]):
        self.flow: nx.DiGraph[object] = nx.DiGraph()
        cap: float | None
        for u, v, cap in g.edges(data="capacity_mbps"):
            for a, b in ((u, v), (v, u)):
                prev = self.flow.get_edge_data(a, b, {"capacity": 0})["capacity"]
                self.flow.add_edge(a, b, capacity=prev + (cap or 0))
        for c in g.graph.get("core", []):
            if c in g:
                self.flow.add_edge(self.SOURCE, c)

    def to(self, targets: list[str]) -> float:
        targets = [t for t in targets if t in self.flow]
        if not targets or self.SOURCE not in self.flow:
            return 0.0
        self.flow.add_edges_from((t, self.SINK) for t in targets)
        try:
            return float(nx.maximum_flow_value(self.flow, self.SOURCE, self.SINK))
        finally:
            self.flow.remove_node(self.SINK)


def what_if(g: nx.MultiGraph[str], failures: list[Failure], engine: FailureEngine | None = None) -> WhatIf:
    """Isolated PDs and devices, then every surviving PD whose shortest route ran over a failure."""
    cables, nodes = resolve(g, failures)
    engine = engine or FailureEngine(g)
    edge_ids = [e for key in cables for e in engine.edge_of.get(key, [])]
    cut = engine.cut(edge_ids, [engine.index[n] for n in nodes], with_nodes=True)
    result = WhatIf([str(f) for f in failures], sorted(cables), sorted(nodes), cut.pds, cut.nodes or [])
    after = without(g, cables, nodes)
    tree_before, tree_after = shortest_tree(g), shortest_tree(after)
    cap_before, cap_after = Capacity(g), Capacity(after)
    for code, pd in sorted(g.graph.get("pds", {}).items()):
        if code in cut.pds or code in engine.baseline:
            continue
        before = shortest_routes(g, pd["routers"], tree_before)
        if before is None or not (set(before.cables) & cables or {h.b for h in before.hops} & nodes
                                  or {h.a for h in before.hops} & nodes):
            continue
        new = shortest_routes(after, pd["routers"], tree_after)
        if new is not None:
            result.reroutes.append(Reroute(code, before, new, cap_before.to(pd["routers"]),
                                           cap_after.to(pd["routers"])))
    return result


@dataclass
class EachRow:
    """One element failed alone and what it cuts off."""

    kind: str
    name: str
    pds: list[str]
    devices: int


def elements(g: nx.MultiGraph[str], kind: str) -> list[tuple[str, list[tuple[Any, Any, str]], list[Any]]]:
    """(name, fibres as (u, v, key), routers) for every duct / link / router of `g`."""
    edges = [(u, v, k) for u, v, k in g.edges(keys=True) if u != v]
    if kind == "duct":
        members: dict[str, list[tuple[Any, Any, str]]] = {d: [] for d in g.graph.get("ducts", {})}
        for u, v, k in edges:
            for duct in g.edges[u, v, k].get("ducts") or ():
                members.setdefault(duct, []).append((u, v, k))
        return [(d, es, []) for d, es in sorted(members.items())]
    if kind == "link":
        return sorted(((str(k), [(u, v, k)], []) for u, v, k in edges), key=lambda row: row[0])
    if kind == "node":
        return [(str(n), [], [n]) for n in sorted(g, key=str)]
    raise InputError.of_field("each", f"{kind!r}: expected duct, link or node")


def each(g: nx.MultiGraph[str], kind: str, engine: FailureEngine | None = None) -> list[EachRow]:
    """Every duct / link / router failed alone, judged by the failure engine."""
    engine = engine or FailureEngine(g)
    rows = []
    for name, edges, nodes in elements(g, kind):
        ids = {e for _, _, k in edges for e in engine.edge_of.get(str(k), [])}
        cut = engine.cut(ids, [engine.index[n] for n in nodes])
        rows.append(EachRow(kind, name, cut.pds, cut.devices))
    return rows


def each_naive(g: nx.MultiGraph[str], kind: str) -> list[EachRow]:
    """Reference: for each element, copy the graph, remove it, recompute reachability from the core."""
    base = reached_from_core(g)
    base_lost, base_out = lost_pds(g, base), len(g) - len(base)
    rows = []
    for name, edges, nodes in elements(g, kind):
        h = g.copy()
        for u, v, key in edges:
            h.remove_edge(u, v, key)
        h.remove_nodes_from(nodes)
        reached = reached_from_core(h)
        rows.append(EachRow(kind, name, sorted(lost_pds(g, reached) - base_lost), len(g) - len(reached) - base_out))
    return rows


def reached_from_core(g: nx.MultiGraph[str]) -> set[Any]:
    """Every device connected to some core router."""
    return set().union(*(nx.node_connected_component(g, c) for c in g.graph.get("core", []) if c in g))


def lost_pds(g: nx.MultiGraph[str], reached: set[Any]) -> set[str]:
    return {code for code, pd in g.graph.get("pds", {}).items() if not any(r in reached for r in pd["routers"])}
