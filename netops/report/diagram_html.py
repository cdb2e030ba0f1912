"""The diagram check as an HTML page a PD clerk can read: verdict, findings, and the picture.

The picture is the PD's diagram as netops understood it (Graphviz, inline SVG), with the
findings marked on it: red for what the network does not confirm, orange for warnings,
dashed blue for what the network has and the drawing lacks.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import graphviz
from jinja2 import Environment, FileSystemLoader, select_autoescape

from netops.analysis.diagram_check import DiagramCheck
from netops.models.diagram import Finding, FindingKind, LanDiagram, Severity, device_key
from netops.report.i18n import CATALOGUE, DEFAULT_LANG, t

TEMPLATES = Path(__file__).parent / "templates"
_RED, _ORANGE, _BLUE, _GREY = "#c0392b", "#d68910", "#2e6fba", "#555555"
_UNDRAWN = {FindingKind.link_not_in_diagram, FindingKind.unmanaged_peer}


@dataclass
class ReportInput:
    """Everything the page shows; `against` is a sentence saying what the diagram was compared with."""

    pd: str
    pd_name: str
    filename: str
    format: str
    diagram: LanDiagram
    check: DiagramCheck
    notes: list[str]
    against: str


def reason_text(item: Finding, lang: str) -> str:
    """The finding's reason in `lang`: the catalogue's phrasing when it has one, else the English reason."""
    template = CATALOGUE.get(f"reason.{item.kind.value}", {}).get(lang)
    if template:
        try:
            return template.format(**item.params)
        except (KeyError, IndexError, ValueError):
            pass
    return item.reason


def _colour(items: list[Finding]) -> str | None:
    if not items:
        return None
    return _RED if any(f.severity == Severity.error for f in items) else _ORANGE


def diagram_svg(diagram: LanDiagram, check: DiagramCheck) -> str:
    """The declared LAN with findings marked, as an SVG element (empty string if Graphviz is missing)."""
    graph = graphviz.Graph("lan", graph_attr={"rankdir": "TB", "fontname": "Arial", "bgcolor": "transparent"},
                           node_attr={"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff",
                                      "fontname": "Arial", "fontsize": "11"},
                           edge_attr={"fontname": "Arial", "fontsize": "9", "color": _GREY})
    by_device: dict[str, list[Finding]] = {}
    by_link: dict[frozenset[str], list[Finding]] = {}
    for item in check.findings:
        for name in item.devices:
            by_device.setdefault(device_key(name), []).append(item)
        if item.link:
            by_link.setdefault(frozenset(device_key(n) for n in item.link), []).append(item)
    nodes: set[str] = set()
    for device in diagram.devices:
        key = device_key(device.name)
        nodes.add(key)
        colour = _colour([f for f in by_device.get(key, []) if f.kind != FindingKind.device_not_in_diagram])
        extra = " / ".join(str(v) for v in (device.role.value if device.role else None, device.model,
                                            device.mgmt_ip) if v)
        graph.node(key, f"{device.name}\n{extra}" if extra else device.name,
                   color=colour or _GREY, penwidth="2.5" if colour else "1",
                   fillcolor="#fdecea" if colour == _RED else "#fff4e0" if colour else "#ffffff")
    for item in check.findings:
        if item.kind == FindingKind.device_not_in_diagram:
            key = device_key(item.subject)
            nodes.add(key)
            graph.node(key, item.subject, color=_BLUE, style="rounded,dashed", fontcolor=_BLUE)
    for link in diagram.links:
        pair = frozenset({device_key(link.a.device), device_key(link.b.device)})
        colour = _colour(by_link.get(pair, []))
        graph.edge(device_key(link.a.device), device_key(link.b.device), taillabel=link.a.interface or "",
                   headlabel=link.b.interface or "", color=colour or _GREY, penwidth="2.5" if colour else "1.2")
    for item in check.findings:
        if item.kind in _UNDRAWN and item.link:
            a, b = (device_key(n) for n in item.link)
            for key, name in ((a, item.link[0]), (b, item.link[1])):
                if key not in nodes:
                    nodes.add(key)
                    graph.node(key, name, color=_BLUE, style="rounded,dashed", fontcolor=_BLUE)
            graph.edge(a, b, color=_BLUE, style="dashed", label=item.kind.value, fontcolor=_BLUE)
    try:
        svg = graph.pipe(format="svg", encoding="utf-8")
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
        return ""
    return svg[svg.find("<svg"):]


def render_html(data: ReportInput, lang: str = DEFAULT_LANG, now: dt.datetime | None = None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    check = data.check
    findings = [{"severity": f.severity.value, "severity_text": t(f"severity.{f.severity.value}", lang),
                 "kind_text": t(f"kind.{f.kind.value}", lang), "subject": f.subject, "reason": reason_text(f, lang)}
                for f in check.findings]
    verdict = "findings" if check.findings else "matches"
    return env.get_template("diagram_check.html.j2").render(
        lang=lang, t=lambda key, **kw: t(key, lang, **kw), pd_label=f"{data.pd_name} ({data.pd})",
        filename=data.filename, format=data.format, n_devices=len(data.diagram.devices),
        n_links=len(data.diagram.links), against=data.against, verdict=verdict,
        verdict_text=t(f"diagram.verdict.{verdict}", lang, n=len(check.findings)), findings=findings,
        svg=diagram_svg(data.diagram, check), unverified=check.unverified, notes=data.notes,
        generated_at=(now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC"))
