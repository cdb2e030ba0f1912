"""The diagram check as an HTML page a PD clerk can read: verdict, findings, and the picture.

The picture is the PD's diagram as netops understood it (Graphviz, inline SVG), with the
findings marked on it: red for what the network does not confirm, orange for warnings,
dashed blue for what the network has and the drawing lacks. Names come from a PD's upload, so
they reach Graphviz only as escaped plain text under ids of our own, and the SVG is passed
through an allow-list before it is embedded; a picture that cannot be drawn says why on the page.
"""
from __future__ import annotations

import datetime as dt
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

import graphviz
from jinja2 import Environment, FileSystemLoader, select_autoescape

from netops.analysis.diagram_check import DiagramCheck
from netops.models.diagram import Finding, FindingKind, LanDiagram, Severity, device_key
from netops.report.i18n import CATALOGUE, DEFAULT_LANG, t
from netops.report.svg_safe import DotIds, dot_text, sanitise_svg

TEMPLATES = Path(__file__).parent / "templates"
_RED, _ORANGE, _BLUE, _GREY = "#c0392b", "#d68910", "#2e6fba", "#555555"
_UNDRAWN = {FindingKind.link_not_in_diagram, FindingKind.unmanaged_peer}
# Graphviz lays out a 1,000-device tree in about a second, but a 2,000-device mesh takes minutes: the
# picture is drawn up to these sizes, and whatever happens dot is stopped after PICTURE_SECONDS.
PICTURE_DEVICES = 1_000
PICTURE_LINKS = 1_500
PICTURE_SECONDS = 20
PICTURE_MEMORY = 1 << 30


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


def diagram_svg(diagram: LanDiagram, check: DiagramCheck) -> tuple[str, str | None]:
    """The declared LAN with findings marked, as a sanitised SVG element, and why it is missing if it is."""
    if len(diagram.devices) > PICTURE_DEVICES or len(diagram.links) > PICTURE_LINKS:
        return "", (f"too big to draw ({len(diagram.devices)} devices, {len(diagram.links)} links; pictures are drawn "
                    f"up to {PICTURE_DEVICES:,} devices and {PICTURE_LINKS:,} links)")
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
    ids = DotIds()
    for device in diagram.devices:
        key = device_key(device.name)
        colour = _colour([f for f in by_device.get(key, []) if f.kind != FindingKind.device_not_in_diagram])
        extra = " / ".join(str(v) for v in (device.role.value if device.role else None, device.model,
                                            device.mgmt_ip) if v)
        graph.node(ids[key], dot_text(device.name, extra) if extra else dot_text(device.name),
                   color=colour or _GREY, penwidth="2.5" if colour else "1",
                   fillcolor="#fdecea" if colour == _RED else "#fff4e0" if colour else "#ffffff")
    for item in check.findings:
        if item.kind == FindingKind.device_not_in_diagram:
            graph.node(ids[device_key(item.subject)], dot_text(item.subject), color=_BLUE, style="rounded,dashed",
                       fontcolor=_BLUE)
    for link in diagram.links:
        pair = frozenset({device_key(link.a.device), device_key(link.b.device)})
        colour = _colour(by_link.get(pair, []))
        graph.edge(ids[device_key(link.a.device)], ids[device_key(link.b.device)],
                   taillabel=dot_text(link.a.interface or ""), headlabel=dot_text(link.b.interface or ""),
                   color=colour or _GREY, penwidth="2.5" if colour else "1.2")
    for item in check.findings:
        if item.kind in _UNDRAWN and item.link:
            for name in item.link:
                if device_key(name) not in ids:
                    graph.node(ids[device_key(name)], dot_text(name), color=_BLUE, style="rounded,dashed",
                               fontcolor=_BLUE)
            graph.edge(ids[device_key(item.link[0])], ids[device_key(item.link[1])], color=_BLUE, style="dashed",
                       label=dot_text(item.kind.value), fontcolor=_BLUE)
    try:
        done = subprocess.run(["dot", "-Tsvg"], input=graph.source.encode("utf-8"), capture_output=True,
                              timeout=PICTURE_SECONDS, check=False, preexec_fn=_bounded)
    except FileNotFoundError:
        return "", "Graphviz (dot) is not installed on the server"
    except subprocess.TimeoutExpired:
        return "", f"Graphviz took longer than {PICTURE_SECONDS} s"
    svg = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0 or "<svg" not in svg:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "", f"Graphviz could not draw it ({why[0][:200] if why else f'exit {done.returncode}'})"
    try:
        return sanitise_svg(svg[svg.find("<svg"):]), None
    except ValueError as exc:
        return "", f"the drawing could not be checked ({exc})"


def _bounded() -> None:
    """In the Graphviz child: at most PICTURE_MEMORY of address space (the page must not take the server down)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = PICTURE_MEMORY if hard == resource.RLIM_INFINITY else min(PICTURE_MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def render_html(data: ReportInput, lang: str = DEFAULT_LANG, now: dt.datetime | None = None) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    check = data.check
    findings = [{"severity": f.severity.value, "severity_text": t(f"severity.{f.severity.value}", lang),
                 "kind_text": t(f"kind.{f.kind.value}", lang), "subject": f.subject, "reason": reason_text(f, lang)}
                for f in check.findings]
    verdict = "findings" if check.findings else "matches"
    svg, picture_error = diagram_svg(data.diagram, check)
    return env.get_template("diagram_check.html.j2").render(
        lang=lang, t=lambda key, **kw: t(key, lang, **kw), pd_label=f"{data.pd_name} ({data.pd})",
        filename=data.filename, format=data.format, n_devices=len(data.diagram.devices),
        n_links=len(data.diagram.links), against=data.against, verdict=verdict,
        verdict_text=t(f"diagram.verdict.{verdict}", lang, n=len(check.findings)), findings=findings,
        svg=svg, picture_error=picture_error, unverified=check.unverified, notes=data.notes,
        generated_at=(now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC"))
