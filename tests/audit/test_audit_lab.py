"""The audit on the sample city with its emulated lab: a real sweep is the evidence of section 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.collect.base import CollectOptions
from netops.collect.nornir_init import build_nornir
from netops.collect.sweep import SweepRequest, sweep
from netops.sources.inventory import load_inventory
from netops.store.db import Store
from netops.store.snapshots import save_snapshot

pytestmark = pytest.mark.lab


def test_audit_of_a_swept_lab_names_its_sweep(lab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = set(lab.devices)
    nr = build_nornir(lab.config, lab=lab.overlay).filter(filter_func=lambda h: h.name in names)
    inventory = load_inventory(lab.config.inventory_dir, lab.config.topology_dir)
    snapshot = sweep(lab.config, inventory, SweepRequest(options=CollectOptions(timeout=2.0, retries=1)),
                     nr=nr, lab=lab.overlay)
    snapshot_id = save_snapshot(Store(lab.config.store_url), snapshot)
    result = CliRunner().invoke(cli, ["audit", "report", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["evidence"]["snapshot_id"] == snapshot_id
    assert report["inventory"]["answering"] == len(snapshot.observations)
    assert {f["device"] for f in report["inventory"]["failed"]} == set(snapshot.failures)
    assert len(report["inventory"]["not_swept"]) == report["inventory"]["declared"] - len(names)
    assert (tmp_path / f"audit-{report['id']}.pdf").stat().st_size > 10_000
