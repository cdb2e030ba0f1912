"""The config-backup playbook against the emulated city's routers (FRR running configs over SSH):
every router backed up, a second run commits nothing, one vtysh change shows in that router's diff
and nowhere else, and no lab secret is in any file, git object, stored result or output."""
from __future__ import annotations

import json
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from netops.app.play import run_playbook
from netops.cli.main import cli
from netops.configs.gitstore import diff, history
from netops.lab.overlay import active_overlay
from netops.lab.state import load_state
from netops.models.inventory import ROUTER_ROLES
from netops.sources.inventory import load_inventory
from netops.store.db import Store

pytestmark = pytest.mark.lab


def _secrets(config) -> list[str]:  # type: ignore[no-untyped-def]
    secrets = active_overlay(config).secrets
    values = [secrets.password, secrets.snmp.community, secrets.snmp.auth_key, secrets.snmp.priv_key]
    return [v.get_secret_value() for v in values if v is not None and len(v.get_secret_value()) >= 6]


def test_config_backup_of_the_lab_routers(lab, tmp_path: Path, scratch_store: str,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    config = lab.config
    inv = load_inventory(config.inventory_dir, config.topology_dir)
    routers = sorted(h for h in lab.devices if inv.devices[h].role in ROUTER_ROLES)
    repo = tmp_path / "configs"
    playbook = tmp_path / "backup.yaml"
    playbook.write_text(f"name: lab-backup\ntasks:\n  - backup: {{repository: {repo}}}\n")
    store = Store(scratch_store)
    first = run_playbook(config, inv, store, playbook, limit=",".join(routers))
    assert not first.failed_hosts, [r.message for r in first.results if r.status == "failed"]
    assert sorted(r.host for r in first.results if r.status == "changed") == routers
    assert all("router ospf" in (repo / f"{h}.cfg").read_text() for h in routers)
    second = run_playbook(config, inv, store, playbook, limit=",".join(routers))
    assert {r.status for r in second.results} == {"ok"}            # nothing changed: no commit
    assert all(len(history(repo, h)) == 1 for h in routers)
    changed = routers[0]
    state = load_state(lab.state_path)
    assert state is not None
    vty = state.device_dir(changed) / "frr"
    subprocess.run(["vtysh", "--vty_socket", str(vty), "-c", "configure terminal", "-c", "interface lo",
                    "-c", "description netops-test-change"], check=True, capture_output=True, timeout=30)
    result = CliRunner().invoke(cli, ["play", str(playbook), "--limit", ",".join(routers), "--json"])
    assert result.exit_code == 0, result.output
    third = json.loads(result.stdout)
    assert [r["host"] for r in third["results"] if r["status"] == "changed"] == [changed]
    assert "+ description netops-test-change" in diff(repo, changed)
    assert all(len(history(repo, h)) == 1 for h in routers if h != changed)
    secrets = _secrets(config)
    assert secrets, "the lab has generated secrets"
    blobs = [p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts]
    blobs += [zlib.decompress(p.read_bytes()) for p in (repo / ".git" / "objects").rglob("*")
              if p.is_file() and len(p.parent.name) == 2]
    with store.transaction() as conn:
        blobs += [row[0].encode() for row in conn.execute(text("SELECT body FROM playbook_runs"))]
    blobs.append(result.output.encode())
    for secret in secrets:
        assert not any(secret.encode() in blob for blob in blobs), "a lab secret leaked into the backups"


def test_config_changes_check_first_then_apply_in_waves(lab, tmp_path: Path, scratch_store: str,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`--check` shows the diff and changes nothing; the run applies it wave by wave; a line FRR refuses
    fails that router, which is rolled back, and stops the rollout."""
    from napalm import get_network_driver  # noqa: F401 - the lab driver is importable as a NAPALM driver

    from netops.app.play import run_playbook as run
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    config = lab.config
    inv = load_inventory(config.inventory_dir, config.topology_dir)
    routers = sorted(h for h in lab.devices if inv.devices[h].role in ROUTER_ROLES)[:4]
    store = Store(scratch_store)
    state = load_state(lab.state_path)
    assert state is not None

    def running(host: str) -> str:
        return subprocess.run(["vtysh", "--vty_socket", str(state.device_dir(host) / "frr"), "-c", "show running-config"],
                              capture_output=True, text=True, check=True, timeout=30).stdout

    change = tmp_path / "change.yaml"
    change.write_text("name: lab-change\ntasks:\n  - config:\n      lines: ['ip prefix-list NETOPS-TEST seq 5 permit "
                      "198.18.250.0/24 le 32']\n")
    before = {h: running(h) for h in routers}
    checked = run(config, inv, store, change, limit=",".join(routers), check=True, accept_risk=True)
    assert {r.host for r in checked.results if r.status == "changed"} == set(routers)
    assert all("+ip prefix-list NETOPS-TEST" in str(r.data) for r in checked.results)
    assert {h: running(h) for h in routers} == before                  # --check changed nothing
    applied = run(config, inv, store, change, limit=",".join(routers), accept_risk=True)
    assert not applied.failed_hosts and applied.waves
    assert all("NETOPS-TEST" in running(h) for h in routers)
    again = run(config, inv, store, change, limit=",".join(routers), accept_risk=True)
    assert {r.status for r in again.results} == {"ok"}                   # idempotent: already configured
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: lab-bad-change\nwaves: 4\ntasks:\n  - config:\n      lines: ['ip prefix-list NETOPS-BAD seq 5 "
                   "permit 198.18.251.0/24', 'this-is-not-a-command']\n")
    failed = run(config, inv, store, bad, limit=",".join(routers), accept_risk=True)
    assert failed.failed_hosts and "rolled back" in " ".join(r.message for r in failed.results if r.status == "failed")
    assert all("NETOPS-BAD" not in running(h) for h in routers)        # rolled back, or never started
    assert any(r.status == "skipped" for r in failed.results) or len(failed.waves) == 1
    for host in routers:                                               # leave the lab as it was
        subprocess.run(["vtysh", "--vty_socket", str(state.device_dir(host) / "frr"), "-c", "configure terminal",
                        "-c", "no ip prefix-list NETOPS-TEST"], capture_output=True, timeout=30, check=False)
