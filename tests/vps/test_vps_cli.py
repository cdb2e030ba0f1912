"""`netops vps ...` end to end through click, dry-run backend, scratch store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_helpers import dump

from netops.cli.main import cli

CREATE = ["vps", "create", "--pd", "bapenda", "--purpose", "Pajak Daerah", "--vcpu", "2", "--memory", "4G",
          "--disk", "40G", "--os", "debian-12"]


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_create_list_show_json(project: Path) -> None:
    made = json.loads(run(*CREATE, "--json"))
    assert made["created"] and made["vps"]["name"] == "vps-bapenda-pajak-daerah-01" and made["backend"] == "dryrun"
    assert json.loads(run(*CREATE, "--json"))["created"] is False
    listed = json.loads(run("vps", "list", "--pd", "BAPENDA", "--json"))
    assert [v["memory_mib"] for v in listed] == [4096]
    assert json.loads(run("vps", "show", made["vps"]["name"], "--json"))["ip"] == "10.20.1.2"


@pytest.mark.parametrize(("args", "message"), [
    (["--vcpu", "40"], "no hypervisor host has room"),
    (["--vcpu", "63"], "quota of PD BAPENDA exceeded: vCPU 2+63 > 64"),
    (["--pd", "ghost"], "unknown PD 'GHOST'"),
    (["--os", "dos"], "unknown OS template 'dos'"),
])
def test_refusals_are_one_line_and_write_nothing(project: Path, store_url: str, args: list[str],
                                                 message: str) -> None:
    run(*CREATE)
    before = dump(store_url)
    out = run(*CREATE, *args, code=2)
    assert message in out and out.count("\n") == 1 and "Traceback" not in out
    assert dump(store_url) == before


def test_bad_size_is_a_usage_error(project: Path) -> None:
    assert "not a positive whole number of GiB" in run(*CREATE[:-4], "--disk", "512M", "--os", "debian-12", code=2)


def test_dry_run_flag_prints_the_plan(project: Path, store_url: str) -> None:
    out = json.loads(run(*CREATE, "--dry-run", "--json"))
    assert out["dry_run"] and "<name>vps-bapenda-pajak-daerah-01</name>" in out["plan"]["domain_xml"]
    assert json.loads(run("vps", "list", "--json")) == []


def test_lifecycle_quota_capacity_reconcile(project: Path, tmp_path: Path) -> None:
    name = json.loads(run(*CREATE, "--json"))["vps"]["name"]
    assert json.loads(run("vps", "resize", name, "--memory", "8G", "--json"))["memory_mib"] == 8192
    assert json.loads(run("vps", "stop", name, "--json"))["state"] == "stopped"
    assert json.loads(run("vps", "start", name, "--json"))["state"] == "running"
    quota = json.loads(run("vps", "quota", "--pd", "bapenda", "--json"))
    assert quota["used"] == {"vcpu": 2, "memory_mib": 8192, "disk_gib": 40} and quota["vps"] == 1
    svg = tmp_path / "cap.svg"
    hosts = json.loads(run("vps", "capacity", "--svg", str(svg), "--json"))
    assert sum(h["used"]["vcpu"] for h in hosts) == 2 and "<svg" in svg.read_text()
    assert json.loads(run("vps", "reconcile", "--json"))["drift"] == []
    assert json.loads(run("vps", "decommission", name, "--json"))["state"] == "decommissioned"
    assert json.loads(run("vps", "list", "--all", "--json"))[0]["state"] == "decommissioned"


def test_reconcile_reports_a_deleted_plan_and_exits_1(project: Path, tmp_path: Path) -> None:
    made = json.loads(run(*CREATE, "--json"))["vps"]
    for f in (tmp_path / "plans" / made["host"] / made["name"]).iterdir():
        f.unlink()
    drift = json.loads(run("vps", "reconcile", "--json", code=1))["drift"]
    assert [(d["kind"], d["name"]) for d in drift] == [("missing-domain", made["name"])]


def test_backups_record_import_and_list(project: Path, tmp_path: Path) -> None:
    name = json.loads(run(*CREATE, "--json"))["vps"]["name"]
    run("vps", "backups", "record", name, "--at", "2025-03-01T01:00:00+07:00", "--status", "ok")
    log = tmp_path / "b.jsonl"
    log.write_text(json.dumps({"message_type": "summary", "snapshot_id": "ab12", "hostname": name,
                               "time": "2025-03-02T01:00:00+07:00"}) + "\n")
    assert json.loads(run("vps", "backups", "import", str(log), "--json"))["new"] == 1
    fresh = json.loads(run("vps", "backups", "--as-of", "2025-03-02T12:00:00+0700", "--all", "--json"))
    assert [v["overdue"] for v in fresh["vps"]] == [False]
    late = json.loads(run("vps", "backups", "--as-of", "2025-03-04", "--json"))
    assert [(v["vps"], v["pd"]) for v in late["vps"]] == [(name, "BAPENDA")]
