"""Output people can read: problems first with a one-line summary, full tables with --all, key columns whole."""
from __future__ import annotations

import json

from click.testing import CliRunner
from rich.console import Console

from netops.cli.main import cli
from netops.models.observation import DeviceFailure, FailureReason, LinkObservation, LinkState
from netops.report.output import table
from netops.store.db import Store
from netops.store.snapshots import save_snapshot
from tests.diagrams.conftest import PD, observe, sample_inventory


def _stored_sweep(scratch_store: str) -> tuple[int, str, str]:
    snapshot = observe(sample_inventory(), PD)
    failed, answered = sorted(snapshot.observations)[:2]
    snapshot.observations.pop(failed)
    snapshot.failures[failed] = DeviceFailure(host=failed, via="snmp", reason=FailureReason.timeout, message="no answer")
    snapshot.links = {"BTM-FO-9001": LinkObservation(link_id="BTM-FO-9001", state=LinkState.up, reason="LLDP both ways"),
                      "BTM-FO-9002": LinkObservation(link_id="BTM-FO-9002", state=LinkState.down, reason="port down")}
    return save_snapshot(Store(scratch_store), snapshot), failed, answered


def test_snapshots_show_puts_problems_first_and_the_rest_behind_all(scratch_store: str) -> None:
    snapshot_id, failed, answered = _stored_sweep(scratch_store)
    short = CliRunner().invoke(cli, ["snapshots", "show", str(snapshot_id)], env={"COLUMNS": "80"})
    assert short.exit_code == 0, short.output
    lines = short.stdout.splitlines()
    assert lines[0].startswith(f"snapshot {snapshot_id} by ") and "1 failed" in lines[0]
    assert failed in short.stdout and "BTM-FO-9002" in short.stdout
    assert "BTM-FO-9001" not in short.stdout and answered not in short.stdout      # healthy: only with --all
    assert "--all" in short.stdout
    full = CliRunner().invoke(cli, ["snapshots", "show", str(snapshot_id), "--all"], env={"COLUMNS": "80"})
    assert "BTM-FO-9001" in full.stdout and answered in full.stdout


def test_the_key_column_is_never_cut_at_80_columns() -> None:
    host = "edge-kecamatan-belakang-padang-distribution-01"
    console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115 - closed with the console
    console.print(table("failed devices", ["host", "via", "reason", "message"],
                        [(host, "snmp+napalm+cli", "timeout", "no answer after 2 tries of 3 s each " * 3)]))
    text = console.export_text()
    console.file.close()
    assert any(host in line for line in text.splitlines()), text
    assert "…" not in text                         # nothing cut: long cells fold onto the next line


def test_a_sweep_shows_what_changed_since_the_sweep_before(scratch_store: str) -> None:
    store = Store(scratch_store)
    before = observe(sample_inventory(), PD)
    before.links = {"BTM-FO-9002": LinkObservation(link_id="BTM-FO-9002", state=LinkState.up, reason="LLDP both ways")}
    first = save_snapshot(store, before)
    second, failed, _ = _stored_sweep(scratch_store)
    shown = CliRunner().invoke(cli, ["snapshots", "show", str(second)], env={"COLUMNS": "80"}).stdout
    assert f"change(s) since snapshot {first}" in shown.splitlines()[0]
    assert f"changes since snapshot {first}" in shown and "BTM-FO-9002" in shown
    data = json.loads(CliRunner().invoke(cli, ["snapshots", "show", str(second), "--json"]).stdout)
    assert data["previous_id"] == first
    assert {(c["device"], c["subject"], c["after"]) for c in data["changes"]} >= {
        ("", "BTM-FO-9002", "down"), (failed, "answer", "timeout")}
    assert not any(c["subject"] == "BTM-FO-9001" for c in data["changes"])   # first judged now: not a change
