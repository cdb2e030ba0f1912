"""Topology files of any format (GraphML, GML) -> one netops graph, with the same repairs and warnings.

A reader only parses its syntax into `TopologyRecords` (nodes and edges with their data as text);
everything that gives the data meaning lives here once: quirks repaired with a warning, never a crash
(parallel edges without a multigraph flag stay parallel fibres, self-loops are dropped, duplicate labels
are reported while names stay unique, edges to undeclared nodes create the node, a directed graph is
read as undirected), lengths from GPS when not given, and the core and PDs named.

Optional data keys: node `role` (core, distribution, pd-edge, ...), `pd` (PD code), `label`,
`Latitude`/`lat`, `Longitude`/`lon`, `site`; edge `id`/`cable`, `length_m`, `capacity_mbps` (or the
Topology Zoo's `LinkSpeedRaw` in bit/s), `ducts` (comma-separated). Without a `role=core` node, the
best-connected node (or `core=`) is the core; without `pd` data every other node stands for a PD of
its own, so the checks run on any real network.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from netops.errors import InputError
from netops.files import read_capped as read_file_capped
from netops.models.geo import haversine_m

# A city's fibre plant or a national backbone is thousands of nodes, a few MB of XML or GML; a larger
# file is a mistake or an attack, and refusing it before parsing keeps memory bounded.
MAX_TOPOLOGY_BYTES = 50 * 1024 * 1024


def read_capped(path: Path) -> bytes:
    """The file's bytes, refusing a missing file, a folder, or one over MAX_TOPOLOGY_BYTES unread."""
    return read_file_capped(path, MAX_TOPOLOGY_BYTES, "topology files")


@dataclass
class TopologyRecords:
    """What a reader found in a file, before any meaning is given to it."""

    source: str
    nodes: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    edges: list[tuple[str | None, str | None, str | None, dict[str, str]]] = field(default_factory=list)
    directed: bool = False
    warnings: list[str] = field(default_factory=list)


def number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def build_graph(records: TopologyRecords, core: Sequence[str] = ()) -> nx.MultiGraph[str]:
    """The graph shape of netops.analysis.graph (see its docstring) from a reader's records."""
    g: nx.MultiGraph[str] = nx.MultiGraph(source=records.source, warnings=list(records.warnings), ducts={})
    warn: list[str] = g.graph["warnings"]
    if records.directed:
        warn.append("directed graph: edges read as undirected fibres")
    for node_id, d in records.nodes:
        if node_id in g:
            warn.append(f"node {node_id} declared twice: the first is kept")
            continue
        g.add_node(node_id, label=d.get("label") or node_id, role=d.get("role") or None, pd=d.get("pd") or None,
                   site=d.get("site") or None, lat=number(d.get("Latitude") or d.get("lat")),
                   lon=number(d.get("Longitude") or d.get("lon")))
    _add_edges(records, g, warn)
    _name_core_and_pds(g, core, warn)
    return g


def _add_edges(records: TopologyRecords, g: nx.MultiGraph[str], warn: list[str]) -> None:
    loops, implicit, used = 0, set(), set()
    pairs: Counter[tuple[str, str]] = Counter()
    for i, (u, v, edge_id, d) in enumerate(records.edges):
        if u is None or v is None:
            warn.append(f"edge #{i} without source/target was skipped")
            continue
        if u == v:
            loops += 1
            continue
        for end in (u, v):
            if end not in g:
                implicit.add(end)
                g.add_node(end, label=end, role=None, pd=None, site=None, lat=None, lon=None)
        pair = (u, v) if u <= v else (v, u)
        pairs[pair] += 1
        key = d.get("cable") or edge_id or d.get("id") or f"{pair[0]}-{pair[1]}"
        if pairs[pair] > 1 and key == f"{pair[0]}-{pair[1]}":
            key = f"{key}#{pairs[pair]}"
        while key in used:
            key += "'"
        used.add(key)
        length = number(d.get("length_m"))
        if length is None and None not in (g.nodes[u]["lat"], g.nodes[v]["lat"]):
            length = haversine_m(g.nodes[u]["lat"], g.nodes[u]["lon"], g.nodes[v]["lat"], g.nodes[v]["lon"])
        capacity = number(d.get("capacity_mbps"))
        raw_speed = number(d.get("LinkSpeedRaw"))
        if capacity is None and raw_speed:
            capacity = raw_speed / 1e6
        ducts = tuple(x.strip() for x in (d.get("ducts") or "").split(",") if x.strip())
        for duct in ducts:
            g.graph["ducts"].setdefault(duct, "")
        g.add_edge(u, v, key=key, id=key, a=u, a_if=None, b=v, b_if=None,
                   length_m=round(length) if length else None, capacity_mbps=round(capacity) if capacity else None,
                   status="active", ducts=ducts)
    parallel = {p: c for p, c in pairs.items() if c > 1}
    if parallel:
        sample = ", ".join(f"{a}-{b} x{c}" for (a, b), c in sorted(parallel.items())[:5])
        warn.append(f"{len(parallel)} node pair(s) joined by parallel edges without a multigraph flag, "
                    f"kept as parallel fibres ({sample}{', ...' if len(parallel) > 5 else ''})")
    if loops:
        warn.append(f"{loops} self-loop(s) dropped (a fibre from a node to itself carries nothing)")
    if implicit:
        warn.append(f"edges name undeclared node(s) {', '.join(sorted(implicit)[:5])}: created them")


def _name_core_and_pds(g: nx.MultiGraph[str], core: Sequence[str], warn: list[str]) -> None:
    labels = Counter(d["label"] for n, d in g.nodes(data=True) if d["label"] != n)
    dups = sorted(label for label, count in labels.items() if count > 1)
    if dups:
        warn.append(f"duplicate labels {', '.join(dups[:5])}{', ...' if len(dups) > 5 else ''}: "
                    "nodes are named by their id in the file")
    for c in core:
        if c not in g:
            raise InputError.at(g.graph["source"], None, "core", f"no node with id {c!r}")
    chosen = list(core) or [n for n, d in g.nodes(data=True) if d["role"] == "core"]
    if not chosen and len(g):
        order = {n: i for i, n in enumerate(g)}
        best = max(g, key=lambda n: (g.degree(n), -order[n]))
        chosen = [best]
        warn.append(f"no core node (role=core) in the file: using the best-connected node {best} "
                    f"({g.nodes[best]['label']}) as the core")
    g.graph["core"] = sorted(chosen)
    pds: dict[str, dict[str, Any]] = {}
    if any(d["pd"] for _, d in g.nodes(data=True)):
        for n, d in g.nodes(data=True):
            if d["pd"]:
                pds.setdefault(d["pd"], {"name": d["pd"], "kind": "", "routers": []})["routers"].append(n)
    else:
        pds = {n: {"name": d["label"], "kind": "", "routers": [n]} for n, d in g.nodes(data=True) if n not in chosen}
    g.graph["pds"] = pds
