"""Pictures of the city network: Graphviz (SVG/PNG) and a draw.io file that opens in diagrams.net.

Colours (with `--highlight check`): bridges red, fibres in a duct single point of failure orange
(dashed), articulation points red-filled, PDs coloured by verdict; PD edge routers are labelled
with their PD's name. Node positions come from site GPS when every node has it, else from Graphviz.
"""
from __future__ import annotations

import json
from html import escape

import graphviz
import networkx as nx

from netops.analysis.redundancy import TopologyCheck, Verdict
from netops.report.svg_safe import DotIds, dot_text, sanitise_svg

VERDICT_FILL = {Verdict.isolated: "#9e9e9e", Verdict.single_homed: "#ef9a9a",
                Verdict.shared_duct: "#ffcc80", Verdict.diverse: "#a5d6a7"}
BRIDGE, DUCT_RISK, PLAIN, CUT_POINT = "#d32f2f", "#ef6c00", "#607d8b", "#c62828"


def _label(g: nx.MultiGraph[str], node: str) -> str:
    d = g.nodes[node]
    pd = g.graph.get("pds", {}).get(d.get("pd") or "", {})
    label = str(d.get("label") or node)
    text = label if label == str(node) else f"{node} ({label})"
    if d.get("role") == "pd-edge" and pd:
        text += f"\n{pd.get('name', '')}"
    return text


def _styles(g: nx.MultiGraph[str], check: TopologyCheck | None) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Per node and per cable: colour, fill, style, tooltip."""
    nodes = {str(n): {"color": PLAIN, "fill": "#eceff1", "tip": ""} for n in g}
    edges = {str(k): {"color": PLAIN, "style": "solid", "tip": ""} for _, _, k in g.edges(keys=True)}
    for n in g.graph.get("core", []):
        nodes[str(n)]["fill"] = "#90caf9"
    if check is None:
        return nodes, edges
    for code, risk in check.pds.items():
        for r in risk.routers:
            if str(r) in nodes:
                nodes[str(r)].update(fill=VERDICT_FILL[risk.verdict], tip=f"{code}: {risk.verdict.value}")
    for d in check.duct_spofs:
        for link in d.links:
            if link in edges:
                edges[link].update(color=DUCT_RISK, style="dashed", tip=f"duct {d.duct} cuts {', '.join(d.pds)}")
    for b in check.bridges:
        if b.name in edges:
            edges[b.name].update(color=BRIDGE, style="bold", tip=f"bridge: cuts {', '.join(b.pds) or 'no PD'}")
    for a in check.articulation_points:
        if a.name in nodes:
            nodes[a.name].update(color=CUT_POINT, tip=f"articulation point: cuts {', '.join(a.pds) or 'no PD'}")
    return nodes, edges


def _gps_positions(g: nx.MultiGraph[str]) -> dict[str, tuple[float, float]] | None:
    """Points in inches from lat/lon, spread so that co-located devices do not overlap."""
    if not len(g) or any(g.nodes[n].get("lat") is None or g.nodes[n].get("lon") is None for n in g):
        return None
    lats = [g.nodes[n]["lat"] for n in g]
    lons = [g.nodes[n]["lon"] for n in g]
    span = max(max(lats) - min(lats), max(lons) - min(lons)) or 1.0
    seen: dict[tuple[float, float], int] = {}
    out = {}
    for n in g:
        d = g.nodes[n]
        x, y = (d["lon"] - min(lons)) / span * 40, (d["lat"] - min(lats)) / span * 40
        k = seen.get((x, y), 0)
        seen[(x, y)] = k + 1
        out[str(n)] = (x + 1.2 * (k % 4), y - 0.8 * (k // 4))
    return out


def to_graphviz(g: nx.MultiGraph[str], check: TopologyCheck | None = None, ids: DotIds | None = None,
                overrides: dict[str, dict[str, str]] | None = None) -> graphviz.Graph:
    """Node ids are ours (`ids` maps them back to node names); every name and label is plain text.
    `overrides`: per cable or node name, styles that win over the check's (observed states, a what-if)."""
    nodes, edges = _styles(g, check)
    for name, style in (overrides or {}).items():
        (edges if name in edges else nodes).get(name, {}).update(style)
    pos = _gps_positions(g)
    ids = ids if ids is not None else DotIds()
    dot = graphviz.Graph("netops", engine="neato" if pos else "sfdp",
                         graph_attr={"overlap": "false", "splines": "true", "fontname": "Helvetica",
                                     "label": dot_text(f"netops topology: {g.graph.get('source', '')}")},
                         node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Helvetica", "fontsize": "9"},
                         edge_attr={"fontname": "Helvetica", "fontsize": "7"})
    for n in g:
        s = nodes[str(n)]
        extra = {"pos": f"{pos[str(n)][0]:.2f},{pos[str(n)][1]:.2f}!"} if pos else {}
        dot.node(ids[str(n)], dot_text(*_label(g, n).split("\n")), color=s["color"], fillcolor=s["fill"],
                 tooltip=dot_text(s["tip"] or str(n)), penwidth="3" if s["color"] == CUT_POINT else "1", **extra)
    for u, v, k in g.edges(keys=True):
        s = edges[str(k)]
        dot.edge(ids[str(u)], ids[str(v)], label=dot_text(str(k)), color=s["color"], style=s["style"],
                 tooltip=dot_text(s["tip"] or str(k)), penwidth="2.5" if s["color"] != PLAIN else "1")
    return dot


def render_image(g: nx.MultiGraph[str], check: TopologyCheck | None, fmt: str,
                 overrides: dict[str, dict[str, str]] | None = None, ids: DotIds | None = None) -> bytes:
    """SVG (through the allow-list: names may come from someone's GraphML) or PNG bytes from Graphviz.
    `ids` (filled in) tells which Graphviz node id is which device."""
    image: bytes = to_graphviz(g, check, ids, overrides=overrides).pipe(format=fmt)
    if fmt != "svg":
        return image
    svg = image.decode("utf-8")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + sanitise_svg(svg[svg.find("<svg"):])).encode("utf-8")


def _layout(g: nx.MultiGraph[str], check: TopologyCheck | None) -> dict[str, tuple[float, float]]:
    """Pixel positions: GPS, else Graphviz's own layout read back from its JSON output."""
    pos = _gps_positions(g)
    if pos is None:
        ids = DotIds()
        data = json.loads(to_graphviz(g, check, ids).pipe(format="json"))
        pos = {}
        for obj in data.get("objects", []):
            x, y = (float(p) for p in obj["pos"].split(","))
            pos[ids.names[obj["name"]]] = (x / 72, y / 72)
    top = max((y for _, y in pos.values()), default=0)
    return {n: (x * 90, (top - y) * 90) for n, (x, y) in pos.items()}


def _html_attribute(text: str) -> str:
    """Text for a draw.io attribute that diagrams.net renders as HTML (`html=1`): escaped as HTML text
    (line breaks as `<br>`), then escaped again as an XML attribute. Escaping once would hand the
    name's own `<...>` to the HTML renderer."""
    return escape(escape(text).replace("\n", "<br>"))


def to_drawio(g: nx.MultiGraph[str], check: TopologyCheck | None = None) -> str:
    """An uncompressed mxfile (diagrams.net opens it as is)."""
    nodes, edges = _styles(g, check)
    pos = _layout(g, check)
    ids = {str(n): f"n{i}" for i, n in enumerate(g)}
    cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
    for n in g:
        s, (x, y) = nodes[str(n)], pos.get(str(n), (0.0, 0.0))
        style = (f"rounded=1;whiteSpace=wrap;html=1;fillColor={s['fill']};strokeColor={s['color']};"
                 f"strokeWidth={3 if s['color'] == CUT_POINT else 1};fontSize=9;")
        value = _html_attribute(_label(g, n))
        cells.append(f'<mxCell id="{ids[str(n)]}" value="{value}" tooltip="{_html_attribute(s["tip"])}" style="{style}" '
                     f'vertex="1" parent="1"><mxGeometry x="{x:.0f}" y="{y:.0f}" width="130" height="40" as="geometry"/>'
                     "</mxCell>")
    for i, (u, v, k) in enumerate(g.edges(keys=True)):
        s = edges[str(k)]
        style = (f"endArrow=none;html=1;strokeColor={s['color']};strokeWidth={3 if s['color'] != PLAIN else 1};"
                 f"dashed={1 if s['style'] == 'dashed' else 0};fontSize=7;")
        cells.append(f'<mxCell id="e{i}" value="{_html_attribute(str(k))}" tooltip="{_html_attribute(s["tip"])}" style="{style}" '
                     f'edge="1" parent="1" source="{ids[str(u)]}" target="{ids[str(v)]}">'
                     '<mxGeometry relative="1" as="geometry"/></mxCell>')
    body = "\n        ".join(cells)
    name = escape(str(g.graph.get("source", "netops")))
    return (f'<mxfile host="netops" type="device">\n  <diagram id="topology" name="{name}">\n'
            f'    <mxGraphModel dx="1200" dy="800" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" '
            f'arrows="0" fold="1" page="0" pageScale="1" math="0" shadow="0">\n      <root>\n        {body}\n'
            "      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n")

