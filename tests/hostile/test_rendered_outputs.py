"""What netops renders from hostile names carries no active content: the payloads come out as text.

Every page, picture and file a renderer writes from the corpus' legal-but-hostile names (the
diagram HTML report and its SVG, topology SVG and draw.io, a VPS plan) is grepped for tags and
attributes that could run or fetch something (`conftest.active_content`). The lab's daemon configs
are rendered under netops/lab/, which quotes what it writes; its names are refused before that
by the patterns the fixture cases of tests/fixtures/inventory/cases/ check.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from netops.analysis.diagram_check import check_diagram
from netops.cli.main import cli
from netops.report.diagram_html import ReportInput, diagram_svg, render_html
from netops.report.render import render_image, to_drawio
from netops.sources.diagrams import read_diagram_file
from netops.sources.graphml import load_graphml
from tests.diagrams.conftest import PD, SAMPLES, observe, sample_inventory
from tests.hostile.conftest import CORPUS, active_content
from tests.vps.vps_helpers import vps_project

DIAGRAMS = ["diagram_html_label_xss.yaml", "diagram_script_label.json", "diagram_markup_in_names.csv",
            "diagram_svg_payload_in_drawio_label.drawio"]
PAYLOADS = ("javascript:alert", "<script", "onerror=", "onload=", "<foreignObject", "<table")


@pytest.mark.parametrize("name", DIAGRAMS)
def test_diagram_report_and_picture_carry_no_active_content(name: str) -> None:
    read = read_diagram_file(CORPUS / name)
    inventory = sample_inventory()
    check = check_diagram(read.diagram, PD, inventory.devices, observe(inventory, PD))
    svg, error = diagram_svg(read.diagram, check)
    assert error is None and "<svg" in svg
    page = render_html(ReportInput(PD, "Uji", name, read.format, read.diagram, check, read.notes, "uji"), "en")
    clean = read_diagram_file(SAMPLES / PD / "2025-03-10-lan-disdukcapil.yaml")
    template = render_html(ReportInput(PD, "Uji", "lan.yaml", clean.format, clean.diagram,
                                       check_diagram(clean.diagram, PD, inventory.devices, observe(inventory, PD)),
                                       [], "uji"), "en")
    assert active_content(svg) == []
    assert active_content(page) == active_content(template), "only the template's own <meta> and <style>"
    text = json.dumps([d.name for d in read.diagram.devices])
    for payload in PAYLOADS:     # a payload the PD wrote is on the page, as text
        if payload in text:
            assert payload.replace("<", "&lt;") in page


def test_topology_pictures_from_a_hostile_graphml_carry_no_active_content() -> None:
    graph = load_graphml(CORPUS / "topology_html_label_node.graphml")
    svg = render_image(graph, None, "svg").decode("utf-8")
    assert active_content(svg) == [] and "&lt;script&gt;alert(2)&lt;/script&gt;" in svg
    drawio = ElementTree.fromstring(to_drawio(graph, None))
    for cell in drawio.iter("mxCell"):
        for attribute in ("value", "tooltip"):
            html = cell.get(attribute) or ""          # what diagrams.net renders as HTML (html=1)
            assert active_content(html) == [] and all(t == "<br>" for t in re.findall(r"<[^<>]+>", html))


def test_vps_plan_keeps_a_hostile_purpose_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = vps_project(tmp_path / "p")
    monkeypatch.setenv("NETOPS_CONFIG", str(project / "netops.yaml"))
    monkeypatch.setenv("NETOPS_VPS_PLANS", str(tmp_path / "plans"))
    purpose = '<script>x</script>"; touch /tmp/pwned #'
    result = CliRunner().invoke(cli, ["vps", "create", "--pd", "bapenda", "--purpose", purpose, "--vcpu", "1",
                                      "--memory", "1G", "--disk", "10G", "--os", "debian-12", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)["plan"]
    domain = ElementTree.fromstring(plan["domain_xml"])
    assert domain.findtext("title") == f"BAPENDA: {purpose}"          # the XML carries it as text
    assert active_content(plan["domain_xml"]) == [] and "touch /tmp/pwned" not in plan["user_data"]
