"""Failure domains: the devices that one duct or one fibre cut silences together.

A distributed sweep splits the devices into shards. When every device behind one duct or one fibre
(a ring segment, a spur) lands in the same shard, that shard sees the whole cut and reports it in one
piece, and a worker that dies takes one whole domain with it (retried as one), never half of two.

A domain is the union of the single-duct and single-fibre cuts that overlap: a cut nested inside a
larger one (a spur behind a duct) joins the larger one. Only bridges can cut anything on their own, so
fibres are tried only where they are bridges; every duct is tried. A device that no single duct or
fibre cuts off (a ring member, a core router) belongs to no domain and may go to any shard.

Cost: one failure-engine query per duct and per bridge, each growing with what it cuts off.
"""
from __future__ import annotations

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import bridges_and_articulation_points


def single_cuts(engine: FailureEngine) -> list[tuple[str, list[str]]]:
    """Every duct or fibre whose loss alone cuts devices off the core, with those devices.

    Labels are `duct:<id>` and `link:<cable id>`.
    """
    out: list[tuple[str, list[str]]] = []
    for duct, edges in sorted(engine.duct_edges.items()):
        nodes = engine.cut(edges, with_nodes=True).nodes if edges else None
        if nodes:
            out.append((f"duct:{duct}", nodes))
    bridges, _ = bridges_and_articulation_points(engine)
    for e in sorted(bridges, key=engine.keys.__getitem__):
        nodes = engine.cut([e], with_nodes=True).nodes
        if nodes:
            out.append((f"link:{engine.keys[e]}", nodes))
    return out


def domains_from_cuts(cuts: list[tuple[str, list[str]]]) -> dict[str, str]:
    """Merge overlapping cuts (union-find over devices); each merged group is named after its largest
    cut (ties: the smaller label). Returns device -> domain label, for devices in some cut only."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for _, nodes in cuts:
        for n in nodes:
            parent.setdefault(n, n)
        first = find(nodes[0])
        for n in nodes[1:]:
            root = find(n)
            if root != first:
                parent[root] = first
    name: dict[str, tuple[int, str]] = {}
    for label, nodes in cuts:
        root = find(nodes[0])
        best = name.get(root)
        if best is None or (-len(nodes), label) < (-best[0], best[1]):
            name[root] = (len(nodes), label)
    return {n: name[find(n)][1] for n in parent}


def failure_domains(g: nx.MultiGraph[str], engine: FailureEngine | None = None) -> dict[str, str]:
    """Device -> failure domain (`duct:...` or `link:...`); devices no single cut isolates are absent.

    >>> g = nx.MultiGraph(core=["core"], pds={}, ducts={"D1": ""})
    >>> g.add_edge("core", "a", key="F1", ducts=("D1",)); g.add_edge("a", "b", key="F2", ducts=())
    'F1'
    'F2'
    >>> sorted(failure_domains(g).items())
    [('a', 'duct:D1'), ('b', 'duct:D1')]
    """
    return domains_from_cuts(single_cuts(engine or FailureEngine(g)))
