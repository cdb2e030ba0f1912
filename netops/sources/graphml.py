"""GraphML topologies (a GIS export of the fibre plant, Internet Topology Zoo files) as netops graphs.

Parsed through the one safe-XML entry point (no DTD, no entities, no external fetches, a size cap).
A node's name is its GraphML id; its `label` is shown beside it. The data keys (by `attr.name`) and
the repairs of quirks are those of netops.sources.topology_graph, shared with the GML reader.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

import networkx as nx

from netops.errors import InputError
from netops.sources.safexml import XmlLimits, local, parse_xml
from netops.sources.topology_graph import MAX_TOPOLOGY_BYTES, TopologyRecords, build_graph, read_capped

# A national backbone is thousands of nodes: 3 million elements is far above any real GraphML topology.
TOPOLOGY_XML = XmlLimits(max_bytes=MAX_TOPOLOGY_BYTES, max_elements=3_000_000, kind="topology files")


def _children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def _data(elem: Element, keys: dict[str, str]) -> dict[str, str]:
    return {keys.get(d.get("key", ""), d.get("key", "")): (d.text or "").strip() for d in _children(elem, "data")}


def read_graphml(path: Path) -> TopologyRecords:
    """The nodes and edges of the first <graph> of a GraphML file."""
    name = str(path)
    root = parse_xml(read_capped(path), name, TOPOLOGY_XML)
    if local(root.tag) != "graphml":
        raise InputError.at(name, None, "(file)", f"not GraphML (root element <{local(root.tag)}>)")
    graphs = _children(root, "graph")
    if not graphs:
        raise InputError.at(name, None, "graph", "no <graph> element")
    keys = {k.get("id", ""): k.get("attr.name") or k.get("id") or "" for k in _children(root, "key")}
    elem = graphs[0]
    records = TopologyRecords(source=f"graphml:{path.name}", directed=elem.get("edgedefault") == "directed")
    if len(graphs) > 1:
        records.warnings.append(f"{len(graphs)} <graph> elements: only the first is read")
    for node in _children(elem, "node"):
        node_id = node.get("id")
        if node_id is None:
            records.warnings.append("a <node> without id was skipped")
            continue
        records.nodes.append((node_id, _data(node, keys)))
    for edge in _children(elem, "edge"):
        records.edges.append((edge.get("source"), edge.get("target"), edge.get("id"), _data(edge, keys)))
    return records


def load_graphml(path: Path, core: Sequence[str] = ()) -> nx.MultiGraph[str]:
    """Read one GraphML file into the graph shape of netops.analysis.graph (see its docstring)."""
    return build_graph(read_graphml(path), core)
