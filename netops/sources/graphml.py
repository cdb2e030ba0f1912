"""GraphML topologies (a GIS export of the fibre plant, Internet Topology Zoo files) as netops graphs.

Parsed with defusedxml (no entity expansion, no external fetches). A node's name is its GraphML
id; its `label` is shown beside it. Quirks are repaired with a warning, never a crash:
parallel edges without a multigraph flag stay parallel fibres, self-loops are dropped, duplicate
labels are reported (names stay unique), edges to undeclared nodes create the node, a directed
graph is read as undirected.

Optional data keys (by `attr.name`): node `role` (core, distribution, pd-edge, ...), `pd` (PD code);
edge `id`/`cable`, `length_m`, `capacity_mbps` (or Zoo's `LinkSpeedRaw` in bit/s), `ducts`
(comma-separated). Without a `role=core` node, the best-connected node (or `core=`) is the core; without
`pd` data every other node stands for a PD of its own, so the checks run on any real network.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import networkx as nx

from netops.errors import InputError
from netops.sources.diagrams import load_bytes
from netops.sources.diagrams.safexml import parse_xml

NS = "{http://graphml.graphdrawing.org/xmlns}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if _local(c.tag) == name]


def _data(elem: Element, keys: dict[str, str]) -> dict[str, str]:
    return {keys.get(d.get("key", ""), d.get("key", "")): (d.text or "").strip() for d in _children(elem, "data")}


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))


def load_graphml(path: Path, core: Sequence[str] = ()) -> nx.MultiGraph:
    """Read one GraphML file into the graph shape of netops.analysis.graph (see its docstring)."""
    name = str(path)
    if not path.exists():
        raise InputError.at(name, None, "(file)", "file not found")
    root = parse_xml(load_bytes(path), name)   # the one safe-XML entry point: no DTDs, bounded size
    if _local(root.tag) != "graphml":
        raise InputError.at(name, None, "(file)", f"not GraphML (root element <{_local(root.tag)}>)")
    graphs = _children(root, "graph")
    if not graphs:
        raise InputError.at(name, None, "graph", "no <graph> element")
    keys = {k.get("id", ""): k.get("attr.name") or k.get("id") or "" for k in _children(root, "key")}
    elem = graphs[0]
    g = nx.MultiGraph(source=f"graphml:{path.name}", warnings=[], ducts={})
    warn: list[str] = g.graph["warnings"]
    if len(graphs) > 1:
        warn.append(f"{len(graphs)} <graph> elements: only the first is read")
    if elem.get("edgedefault") == "directed":
        warn.append("directed graph: edges read as undirected fibres")
    for node in _children(elem, "node"):
        node_id = node.get("id")
        if node_id is None:
            warn.append("a <node> without id was skipped")
            continue
        if node_id in g:
            warn.append(f"node {node_id} declared twice: the first is kept")
            continue
        d = _data(node, keys)
        g.add_node(node_id, label=d.get("label") or node_id, role=d.get("role") or None, pd=d.get("pd") or None,
                   site=d.get("site") or None, lat=_number(d.get("Latitude") or d.get("lat")),
                   lon=_number(d.get("Longitude") or d.get("lon")))
    _read_edges(elem, keys, g, warn)
    _name_core_and_pds(g, core, warn)
    return g


def _read_edges(elem: Element, keys: dict[str, str], g: nx.MultiGraph, warn: list[str]) -> None:
    loops, implicit, used = 0, set(), set()
    pairs: Counter[tuple[str, str]] = Counter()
    for i, edge in enumerate(_children(elem, "edge")):
        u, v = edge.get("source"), edge.get("target")
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
        d = _data(edge, keys)
        pair = (u, v) if u <= v else (v, u)
        pairs[pair] += 1
        key = d.get("cable") or edge.get("id") or d.get("id") or f"{pair[0]}-{pair[1]}"
        if pairs[pair] > 1 and key == f"{pair[0]}-{pair[1]}":
            key = f"{key}#{pairs[pair]}"
        while key in used:
            key += "'"
        used.add(key)
        length = _number(d.get("length_m"))
        if length is None and None not in (g.nodes[u]["lat"], g.nodes[v]["lat"]):
            length = haversine_m(g.nodes[u]["lat"], g.nodes[u]["lon"], g.nodes[v]["lat"], g.nodes[v]["lon"])
        capacity = _number(d.get("capacity_mbps"))
        if capacity is None and _number(d.get("LinkSpeedRaw")):
            capacity = float(d["LinkSpeedRaw"]) / 1e6
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


def _name_core_and_pds(g: nx.MultiGraph, core: Sequence[str], warn: list[str]) -> None:
    labels = Counter(d["label"] for n, d in g.nodes(data=True) if d["label"] != n)
    dups = sorted(label for label, count in labels.items() if count > 1)
    if dups:
        warn.append(f"duplicate labels {', '.join(dups[:5])}{', ...' if len(dups) > 5 else ''}: "
                    "nodes are named by their GraphML id")
    for c in core:
        if c not in g:
            raise InputError.at(g.graph["source"], None, "core", f"no node with id {c!r}")
    chosen = list(core) or [n for n, d in g.nodes(data=True) if d["role"] == "core"]
    if not chosen and len(g):
        best = max(g, key=lambda n: (g.degree(n), -list(g).index(n)))
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
