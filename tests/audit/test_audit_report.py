"""The Art. 42 audit report on the sample city: figures equal the CLI's, PDF pages hold every section,
hostile names stay text, `--since` says what changed, missing evidence says "not yet collected"."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.app.audit import _inventory_section
from netops.cli.main import cli
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason, Snapshot
from netops.sources.inventory import load_inventory
from tests.conftest import REPO
from tests.inventory_helpers import make_project

SECTIONS_ID = ["Ringkasan eksekutif", "1. Ruang lingkup dan metode", "2. Kelengkapan inventaris", "3. Ketahanan WAN",
               "4. LAN Perangkat Daerah", "5. Pusat Data", "6. Konfigurasi dan keamanan", "7. Service Desk",
               "8. Temuan dan rekomendasi"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def audit(out: Path, *extra: str) -> dict:
    code, stdout = run("audit", "report", "--out", str(out), "--json", *extra)
    assert code == 0, stdout
    return json.loads(stdout)


@pytest.fixture
def sample_city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample city in a scratch project: no config backups or runs of the developer's own leak in."""
    root = tmp_path / "city"
    for folder in ("inventory", "topology"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "netops.yaml", root / "netops.yaml")
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    return root


def test_figures_equal_the_cli_json_figures(tmp_path: Path, sample_city: Path):
    report = audit(tmp_path, "--format", "html")
    _, topo = run("topology", "check", "--json")
    check = json.loads(topo)
    verdicts = {v: sum(1 for p in check["pds"].values() if p["verdict"] == v) for v in report["wan"]["verdicts"]}
    assert report["wan"]["verdicts"] == verdicts
    assert [(d["duct"], d["pds"]) for d in report["wan"]["duct_spofs"]] == \
        [(d["duct"], d["pds"]) for d in check["duct_spofs"]]
    assert sorted((f["pd"], f["a"], f["b"], f["length_m"]) for f in report["wan"]["fixes"]) == \
        sorted((s["pd"], s["a"], s["b"], s["length_m"]) for s in check["suggestions"])
    assert report["wan"]["violations"] and len(report["wan"]["violations"]) == len(check["violations"])
    _, status = run("diagram", "status", "--json", "--as-of", report["lans"]["as_of"])
    lan = json.loads(status)
    assert report["lans"]["overdue"] == sum(r["overdue"] for r in lan["pds"])
    assert [r["pd"] for r in report["lans"]["rows"]] == [r["pd"] for r in lan["pds"]]
    _, capacity = run("vps", "capacity", "--json")
    assert [(h["host"], h["vps"]) for h in report["pusat_data"]["hosts"]] == \
        [(h["host"], h["vps"]) for h in json.loads(capacity)]
    _, inventory = run("inventory", "list", "--json")
    assert report["inventory"]["declared"] == len(json.loads(inventory))
    assert report["inventory"]["answering"] is None      # no sweep in the scratch store: said, not zero
    assert {f["key"] for f in report["findings"]} >= {"policy", "duct", "nosweep", "overdue", "noconfig", "nodesk"}
    assert [f["severity"] for f in report["findings"]] == sorted(
        (f["severity"] for f in report["findings"]), key=["high", "medium", "low"].index)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed: scripts/setup.sh installs it")
def test_pdf_pages_render_and_hold_every_section(tmp_path: Path, sample_city: Path):
    report = audit(tmp_path)
    pdf = tmp_path / f"audit-{report['id']}.pdf"
    assert pdf.exists() and (tmp_path / f"audit-{report['id']}.html").exists()
    assert pdf.stat().st_mode & 0o007 == 0                         # not world-readable
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 9 and all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    position = 0
    for title in SECTIONS_ID:                                          # every section, in order
        position = text.find(title, position)
        assert position >= 0, f"{title!r} missing (or out of order) in the PDF"
    assert "Belum dikumpulkan" in text                                # config and Service Desk: not yet collected


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_hostile_names_are_text_in_html_and_do_not_break_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = make_project(tmp_path / "project")
    groups = root / "inventory" / "groups.yaml"
    groups.write_text(groups.read_text().replace("Badan Pendapatan Daerah", HOSTILE.replace('"', "'")))
    ducts = root / "topology" / "ducts.yaml"
    ducts.write_text(ducts.read_text().replace("Jl. Engku Putri, Pusat Data to Bapenda", "'" + HOSTILE.replace("'", "") + "'"))
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    report = audit(tmp_path / "out")
    html = (tmp_path / "out" / f"audit-{report['id']}.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html and "onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert (tmp_path / "out" / f"audit-{report['id']}.pdf").stat().st_size > 10_000


def test_since_names_the_verdicts_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    first = audit(tmp_path / "a", "--format", "html")
    links = root / "topology" / "links.yaml"
    text = links.read_text()
    links.write_text(text[:text.index("  - id: BTM-FO-0002")])            # Bapenda loses its only fibre
    second = audit(tmp_path / "b", "--format", "html", "--since", str(first["id"]))
    assert second["since"] == first["id"]
    changed = {c["pd"]: (c["before"], c["after"]) for c in second["wan"]["changed_since"]}
    assert changed == {"BAPENDA": ("single-homed", "isolated")}
    _, listed = run("audit", "list", "--json")
    assert [r["id"] for r in json.loads(listed)] == [second["id"], first["id"]]
    result = CliRunner().invoke(cli, ["audit", "report", "--out", str(tmp_path / "c"), "--since", "999"])
    assert result.exit_code == 2 and "no audit report with id 999" in result.output


def test_unknown_format_is_refused(tmp_path: Path):
    result = CliRunner().invoke(cli, ["audit", "report", "--out", str(tmp_path), "--format", "docx"])
    assert result.exit_code == 2 and "choose from html, pdf" in result.output


def test_inventory_section_reads_the_sweep():
    """Failed devices, undeclared neighbours and model/serial mismatches come from the snapshot."""
    inv = load_inventory(REPO / "inventory", REPO / "topology")
    name, device = next((n, d) for n, d in inv.devices.items() if d.model)
    other = next(n for n in inv.devices if n != name)
    now = dt.datetime.now(dt.UTC)
    snap = Snapshot(id=7, started_at=now, finished_at=now, actor="t", request={},
                    observations={name: DeviceObservation(
                        host=name, via="snmp", facts={"model": "SOMETHING-ELSE", "serial_number": ""},
                        lldp_neighbors_detail={"Gi0/9": [{"remote_system_name": "rogue-switch.example", "remote_port": "1"}]})},
                    failures={other: DeviceFailure(host=other, via="snmp", reason=FailureReason.timeout, message="t")})
    section = _inventory_section(inv, snap)
    assert section.answering == 1 and section.failed == [{"device": other, "pd": inv.devices[other].pd, "reason": "timeout"}]
    assert section.undeclared_neighbours == [{"device": name, "port": "Gi0/9", "neighbour": "rogue-switch.example"}]
    assert [(m.device, m.field, m.declared) for m in section.mismatches] == [(name, "model", device.model)]
    assert len(section.not_swept) == section.declared - 2


def test_config_backups_compliance_and_tickets_are_used_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     scratch_store: str):
    """Sections 6 and 7 use the backup repository, the latest compliance run and the tickets, with the
    same figures as `netops config history` / `play history` / `ticket report`."""
    from netops.configs.gitstore import commit_configs
    from netops.models.playbook_run import PlaybookRun, TaskResult
    from netops.models.ticket import Priority
    from netops.store import tickets
    from netops.store.db import Store
    from netops.store.runs import save_run
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    store = Store(scratch_store)
    commit, _ = commit_configs(root / "var" / "configs", {"core-01": "hostname core-01\n"}, "netops backup")
    now = dt.datetime.now(dt.UTC)
    save_run(store, PlaybookRun(playbook="compliance", path="p", sha256="0" * 64, actor="t", started_at=now,
                                finished_at=now, check=False, hosts=["core-01", "edge-bapenda-01"], results=[
                                    TaskResult(task="baseline", type="assert", host="edge-bapenda-01", status="failed",
                                               message="x", data=[{"rule": "no default SNMP community", "passed": False,
                                                                   "evidence": "line 'snmp-server community public RO'"}]),
                                    TaskResult(task="baseline", type="assert", host="core-01", status="ok", data=[])]))
    first = tickets.open_ticket(store, "BAPENDA", "down", "tier1", Priority.p1)
    tickets.escalate(store, first.id, {"verdict": "outage", "cause": "duct:DCT-EP-01"})
    tickets.resolve(store, first.id, "fixed")
    tickets.open_ticket(store, "DISKOMINFO", "slow", "tier1", Priority.p3)
    report = audit(tmp_path / "out", "--format", "html")
    cfg, desk = report["config_security"], report["service_desk"]
    assert cfg["collected"] and cfg["commit"] == commit and report["evidence"]["config_backup_commit"] == commit
    assert cfg["never_backed_up"] == ["edge-bapenda-01", "edge-diskominfo-01"] and cfg["backed_up"] == 1
    assert cfg["compliance_failures"] == [{"device": "edge-bapenda-01", "rule": "no default SNMP community",
                                           "evidence": "line 'snmp-server community public RO'"}]
    _, month = run("ticket", "report", "--month", now.strftime("%Y-%m"), "--json")
    assert desk["collected"] and desk["tickets"] == 2 and desk["open"] == 1 and desk["incidents"] == 1
    assert sorted((r["pd"], r["opened"], r["resolved"]) for r in desk["per_pd"]) == \
        sorted((r["pd"], r["opened"], r["resolved"]) for r in json.loads(month))
    keys = {f["key"] for f in report["findings"]}
    assert {"compliance", "nobackupcfg"} <= keys and not {"noconfig", "nodesk"} & keys
    html = (tmp_path / "out" / f"audit-{report['id']}.html").read_text()
    assert "snmp-server community public RO" in html and commit in html
