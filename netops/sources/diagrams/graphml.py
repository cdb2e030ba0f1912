"""GraphML diagrams: yEd drawings, N2G's CDP/LLDP drawings, and plain GraphML (networkx, GIS).

Node name: the centre `y:NodeLabel` (N2G puts the management IP on top and the model at
the bottom), else a `label`/`name` data key, else the node id. Edge interface names: each
`y:EdgeLabel`'s `PreferredPlacementDescriptor placement="source|target"` (N2G), or a yEd
label position near the tail (source) or head (target), or one centre label `Gi0/1 - ether2`.
Custom data keys `ip`, `model`, `serial`, `role` and `source_interface`/`target_interface`
are read too. N2G's combined-peer nodes (`<id>:L2_Node`) stand for one shared segment:
every peer on it is linked to the port the segment hangs off.
"""
from __future__ import annotations

import json
from xml.etree.ElementTree import Element

from netops.errors import InputError
from netops.sources.diagrams.common import (
    SOURCE_IF_PROPS,
    TARGET_IF_PROPS,
    DiagramRead,
    GraphBuilder,
    RawEdge,
    RawNode,
    as_ip,
    clean_label,
)
from netops.sources.diagrams.limits import DIAGRAM_XML, MAX_SHAPES, check_count
from netops.sources.safexml import local, parse_xml

FORMAT = "graphml"
EXTENSIONS = (".graphml",)
_N2G_UNKNOWN = "Unknown"
_N2G_SEGMENT = ":L2_Node"


def sniff(head: bytes) -> bool:
    return b"<graphml" in head


def read(data: bytes, name: str) -> DiagramRead:
    root = parse_xml(data, name, DIAGRAM_XML)
    if local(root.tag) != "graphml":
        raise InputError.at(name, None, "(xml)", f"not a GraphML file: the root element is <{local(root.tag)}>")
    keys = {k.get("id", ""): k.get("attr.name") or k.get("yfiles.type") or "" for k in root.iter()
            if local(k.tag) == "key"}
    builder = GraphBuilder(name, FORMAT)
    builder.shapes = sum(1 for e in root.iter() if local(e.tag) in ("node", "edge"))
    check_count(name, "nodes and edges in the drawing", builder.shapes, MAX_SHAPES)
    segments: dict[str, list[tuple[str, str | None, str]]] = {}
    for node in (e for e in root.iter() if local(e.tag) == "node"):
        _read_node(builder, node, keys, segments)
    for edge in (e for e in root.iter() if local(e.tag) == "edge"):
        _read_edge(builder, edge, keys, segments)
    for segment_id, hanging in segments.items():
        _expand_segment(builder, segment_id, hanging)
    return builder.build()


def _data(element: Element, keys: dict[str, str]) -> dict[str, str]:
    """Plain-text data values by key name (nested yFiles graphics are read separately)."""
    return {keys.get(d.get("key", ""), d.get("key", "")).lower(): (d.text or "").strip()
            for d in element if local(d.tag) == "data" and len(d) == 0}


def _read_node(builder: GraphBuilder, node: Element, keys: dict[str, str],
               segments: dict[str, list[tuple[str, str | None, str]]]) -> None:
    node_id = node.get("id", "")
    where = f"node {node_id!r}"
    if any(local(c.tag) == "graph" for c in node):
        builder.notes.append(f"{where}: group node ignored; the devices inside it are read")
        return
    if node_id.endswith(_N2G_SEGMENT):
        segments[node_id] = []
        return
    labels = [(lab.get("modelPosition", ""), clean_label(lab.text)) for lab in node.iter()
              if local(lab.tag) == "NodeLabel" and clean_label(lab.text)]
    data = _data(node, keys)
    props = {k: v for k, v in data.items() if k in ("ip", "mgmt_ip", "model", "serial", "role", "hostname") and v}
    centre = next((text for pos, text in labels if pos == "c"), labels[0][1] if labels else "")
    for pos, text in labels:
        if pos == "t" and as_ip(text):
            props.setdefault("ip", text)
        elif pos == "b" and text != centre:
            props.setdefault("model", text)
    label = centre or data.get("label") or data.get("name") or node_id
    if label == _N2G_UNKNOWN:
        builder.notes.append(f"{where}: N2G placeholder for an unknown peer; its line is ignored")
        return
    _vlans_from(builder, data.get("description", ""))
    builder.nodes[node_id] = RawNode(label, props, where)


def _vlans_from(builder: GraphBuilder, description: str) -> None:
    """N2G keeps a node's VLANs as JSON in its description: {"vlans": {"10": "name"}}."""
    if not description.startswith("{"):
        return
    try:
        vlans = json.loads(description).get("vlans", {})
    except (ValueError, AttributeError, RecursionError):
        return
    if isinstance(vlans, dict):
        for vid, vname in vlans.items():
            if str(vid).isdigit():
                builder.vlans.setdefault(int(vid), str(vname) if vname else None)


def _edge_ends(edge: Element) -> tuple[str | None, str | None, str]:
    """Interface names from edge labels by position, and a centre label for `a - b` splitting."""
    ends: dict[str, str] = {}
    for lab in (e for e in edge.iter() if local(e.tag) == "EdgeLabel"):
        text = clean_label(lab.text)
        if not text:
            continue
        placement = next((p.get("placement", "") for p in lab if local(p.tag) == "PreferredPlacementDescriptor"), "")
        position = lab.get("modelPosition", "")
        if placement in ("source", "target"):
            slot = placement
        elif "tail" in position:
            slot = "source"
        elif "head" in position:
            slot = "target"
        else:
            slot = "centre"
        ends.setdefault(slot, text)
    return ends.get("source"), ends.get("target"), ends.get("centre", "")


def _read_edge(builder: GraphBuilder, edge: Element, keys: dict[str, str],
               segments: dict[str, list[tuple[str, str | None, str]]]) -> None:
    data = _data(edge, keys)
    source_if, target_if, label = _edge_ends(edge)
    source_if = next((data[k] for k in SOURCE_IF_PROPS if data.get(k)), source_if)
    target_if = next((data[k] for k in TARGET_IF_PROPS if data.get(k)), target_if)
    source, target = edge.get("source", ""), edge.get("target", "")
    where = f"edge {edge.get('id') or source + '-' + target!r}"
    if target in segments:
        segments[target].append((source, source_if, where))
    elif source in segments:
        segments[source].append((target, target_if, where))
    else:
        builder.edges.append(RawEdge(source, target, source_if, target_if, label,
                                     data.get("speed") or data.get("speed_mbps"), where))


def _expand_segment(builder: GraphBuilder, segment_id: str, hanging: list[tuple[str, str | None, str]]) -> None:
    """The first member (the switch the segment hangs off) is linked to every other member."""
    if len(hanging) < 2:
        builder.notes.append(f"node {segment_id!r}: shared segment with fewer than two members ignored")
        return
    (hub, hub_if, _), *peers = hanging
    for peer, peer_if, where in peers:
        builder.edges.append(RawEdge(hub, peer, hub_if, peer_if, "", None, f"{where} via {segment_id}"))
