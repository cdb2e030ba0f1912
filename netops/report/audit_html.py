"""The audit report as one HTML document (and, through netops.report.pdf, a PDF).

Pictures are embedded as `<img>` data URIs: an SVG shown through `<img>` cannot run script, so names
from the inventory can never act in the page, and WeasyPrint draws the same images in the PDF.
Every text reaches the page through Jinja's autoescaping.
"""
from __future__ import annotations

import base64
from html import escape
from pathlib import Path

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from netops.analysis.redundancy import TopologyCheck
from netops.app.audit import AuditBuild
from netops.models.audit import AuditReport, Finding
from netops.report import audit_messages  # noqa: F401 - registers the audit's words in the catalogue
from netops.report.i18n import t
from netops.report.pdf import write_pdf
from netops.report.render import render_image

TEMPLATES = Path(__file__).parent / "templates"
VERDICT_COLOURS = {"isolated": "#9e9e9e", "single-homed": "#e57373", "dual-homed-shared-duct": "#ffb74d",
                   "diverse": "#81c784"}


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def bar_chart(counts: dict[str, int], colours: dict[str, str], width: int = 520) -> bytes:
    """Horizontal bars, one per key, labelled with the key and its count (text escaped)."""
    top = max(counts.values(), default=0) or 1
    rows = []
    for i, (label, n) in enumerate(counts.items()):
        y = 8 + i * 30
        bar = int((width - 230) * n / top)
        rows.append(f'<text x="4" y="{y + 15}" font-size="13" font-family="DejaVu Sans, Arial">{escape(label)}</text>'
                    f'<rect x="200" y="{y}" width="{max(bar, 1)}" height="20" fill="{colours.get(label, "#90a4ae")}"/>'
                    f'<text x="{206 + bar}" y="{y + 15}" font-size="13" font-family="DejaVu Sans, Arial">{n}</text>')
    height = 16 + 30 * len(counts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(rows)}</svg>').encode()


def finding_text(finding: Finding, lang: str) -> tuple[str, str]:
    """(title, recommendation) in `lang`."""
    return (t(f"audit.f.{finding.key}", lang, **finding.values), t(f"audit.f.{finding.key}.fix", lang, **finding.values))


def render_audit_html(report: AuditReport, graph: nx.MultiGraph[str], check: TopologyCheck) -> str:
    lang = report.lang
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    try:
        city_map: str | None = _data_uri(render_image(graph, check, "svg"))
    except Exception:
        city_map = None
    return env.get_template("audit.html.j2").render(
        r=report, lang=lang, t=lambda key, **v: t(key, lang, **v),
        findings=[(f, *finding_text(f, lang)) for f in report.findings],
        severity_count={s: sum(1 for f in report.findings if f.severity.value == s) for s in ("high", "medium", "low")},
        city_map=city_map, verdict_chart=_data_uri(bar_chart(report.wan.verdicts, VERDICT_COLOURS)),
        vps_chart=_data_uri(bar_chart(report.pusat_data.vps_by_pd, {})) if report.pusat_data.vps_by_pd else None,
        worst_duct=max(report.wan.duct_spofs, key=lambda d: (len(d.pds), d.duct), default=None),
        article=lambda text: text.replace("Art.", "Pasal") if lang == "id" else text,
        idr=lambda n: f"Rp {n:,.0f}".replace(",", "."))


def write_audit(built: AuditBuild, out_dir: Path, formats: list[str]) -> list[Path]:
    """The report's files in `out_dir` (created; private: the report names PDs, devices and weaknesses)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_audit_html(built.report, built.graph, built.check)
    written = []
    stem = out_dir / f"audit-{built.report.id}"
    if "html" in formats:
        path = stem.with_suffix(".html")
        tmp = path.with_suffix(".html.tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.chmod(0o640)
        tmp.replace(path)
        written.append(path)
    if "pdf" in formats:
        path = stem.with_suffix(".pdf")
        write_pdf(html, path)
        path.chmod(0o640)
        written.append(path)
    return written
