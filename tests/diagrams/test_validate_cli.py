"""`netops diagram validate` end to end against a stored sweep: exit codes, JSON, the HTML report."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from netops.analysis.diagram_check import check_diagram
from netops.cli.main import cli
from netops.report.diagram_html import ReportInput, render_html
from netops.sources.diagrams import read_diagram_file
from netops.store.db import Store
from netops.store.snapshots import save_snapshot
from tests.diagrams.conftest import CASES, PD, SAMPLES, observe, sample_inventory

MATCHING = SAMPLES / PD / "2025-03-10-lan-disdukcapil-compressed.drawio"


def test_validate_exit_codes_json_and_html(scratch_store: str, tmp_path: Path) -> None:
    store = Store(scratch_store)
    clean = save_snapshot(store, observe(sample_inventory(), PD))
    cut = save_snapshot(store, observe(sample_inventory(), PD, cut=["DISDUKCAPIL-LAN-02"]))
    runner = CliRunner()
    ok = runner.invoke(cli, ["diagram", "validate", str(MATCHING), "--pd", "disdukcapil", "--against", str(clean)])
    assert ok.exit_code == 0 and "MATCHES" in ok.stdout, ok.output
    html = tmp_path / "laporan.html"
    bad = runner.invoke(cli, ["diagram", "validate", str(MATCHING), "--pd", PD, "--json", "--html", str(html)])
    assert bad.exit_code == 1, bad.output
    out = json.loads(bad.stdout)
    assert out["snapshot_id"] == cut and [f["kind"] for f in out["findings"]] == ["interface down"]
    page = html.read_text()
    assert "Pasal 20 ayat (2)" in page and "Pasal 21" in page and "port mati" in page and "<svg" in page
    english = tmp_path / "report.html"
    runner.invoke(cli, ["diagram", "validate", str(MATCHING), "--pd", PD, "--html", str(english), "--lang", "en"])
    assert "Art. 20(2)" in english.read_text() and "interface down" in english.read_text()


def test_validate_without_any_sweep_says_what_to_do() -> None:
    result = CliRunner().invoke(cli, ["diagram", "validate", str(MATCHING), "--pd", PD])
    assert result.exit_code == 2 and "netops sweep --pd DISDUKCAPIL" in result.stderr


def test_validate_refuses_a_diagram_of_another_pd() -> None:
    result = CliRunner().invoke(cli, ["diagram", "validate", str(SAMPLES / PD / "2025-03-10-lan-disdukcapil.yaml"),
                                      "--pd", "BAPENDA"])
    assert result.exit_code == 2 and "diagram of DISDUKCAPIL, not of BAPENDA" in result.stderr


def test_html_marks_findings_and_escapes_hostile_names() -> None:
    inv = sample_inventory()
    read = read_diagram_file(CASES / "extra_switch" / "diagram.yaml")
    read.diagram.devices[-1].name = "sw-<script>alert(1)</script>"
    read.diagram.links[-1].b.device = read.diagram.devices[-1].name
    check = check_diagram(read.diagram, PD, inv.devices, observe(inv, PD))
    page = render_html(ReportInput(PD, inv.pds[PD].name, "lan.yaml", "yaml", read.diagram, check, [], "uji"), "id")
    assert "<script>" not in page and "perangkat tidak ditemukan" in page
    assert "#c0392b" in page   # the missing switch is drawn red
