"""The playbook engine on the sample city: host selection, fleet tasks, failures as rows, recap, history,
and the waves' pre-flight against the what-if engine (brute force as the oracle)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.analysis.graph import declared_graph
from netops.analysis.waves import lost_when_down, plan_waves, risks
from netops.app.play import select_hosts
from netops.cli.main import cli
from netops.errors import InputError
from netops.models.playbook import HostSelector
from netops.sources.inventory import load_inventory
from tests.conftest import REPO
from tests.inventory_helpers import make_project


@pytest.fixture(scope="module")
def city():  # type: ignore[no-untyped-def]
    return load_inventory(REPO / "inventory", REPO / "topology")


def test_selection_with_and_or_not(city):  # type: ignore[no-untyped-def]
    routers = select_hosts(HostSelector.model_validate({"role": ["core", "pd-edge"]}), city)
    assert routers and all(city.devices[h].role.value in ("core", "pd-edge") for h in routers)
    not_rsud = select_hosts(HostSelector.model_validate({"role": ["pd-edge"], "not": {"pd": ["RSUD"]}}), city)
    assert all(city.devices[h].pd != "RSUD" for h in not_rsud)
    assert set(not_rsud) < {h for h in routers if city.devices[h].role.value == "pd-edge"}
    either = select_hosts(HostSelector.model_validate({"any": [{"pd": ["RSUD"]}, {"pd": ["MPP"]}]}), city)
    assert {city.devices[h].pd for h in either} == {"RSUD", "MPP"}
    grouped = select_hosts(HostSelector.model_validate({"group": ["pd_rsud"]}), city)
    assert set(grouped) == {h for h in either if city.devices[h].pd == "RSUD"}
    limited = select_hosts(HostSelector(), city, limit="pd=rsud,role=core")
    assert {city.devices[h].pd for h in limited if city.devices[h].role.value != "core"} == {"RSUD"}
    with pytest.raises(InputError, match="expected a host name"):
        select_hosts(HostSelector(), city, limit="colour=red")


def _dual_homed(city):  # type: ignore[no-untyped-def]
    """A PD with two edge routers (its own dual homing)."""
    edges: dict[str, list[str]] = {}
    for name, d in city.devices.items():
        if d.role.value == "pd-edge":
            edges.setdefault(d.pd, []).append(name)
    return next((pd, sorted(r)) for pd, r in sorted(edges.items()) if len(r) == 2)


def test_a_wave_with_both_routers_of_a_dual_homed_pd_is_refused(city):  # type: ignore[no-untyped-def]
    g = declared_graph(city)
    pd, (a, b) = _dual_homed(city)
    forced = plan_waves(g, [a, b], max_waves=1)
    assert pd in forced[0].lost and pd not in forced[0].unavoidable
    assert any(pd in line and "no member cuts off alone" in line for line in risks(forced))
    auto = plan_waves(g, [a, b])
    assert [w.hosts for w in auto] == [[a], [b]] and not risks(auto)


def test_waves_never_lose_more_than_their_members_alone(city):  # type: ignore[no-untyped-def]
    """Oracle: for every wave, the PDs lost by failing the wave equal the union of what each member loses
    alone (brute force with networkx connectivity)."""
    g = declared_graph(city)
    hosts = sorted(h for h, d in city.devices.items() if d.role.value in ("core", "distribution", "pd-edge"))[:40]
    lost = lost_when_down(g)
    waves = plan_waves(g, hosts, lost)
    assert sorted(h for w in waves for h in w.hosts) == hosts
    import networkx as nx
    for wave in waves:
        h = g.copy()
        h.remove_nodes_from(wave.hosts)
        reach = set().union(*(nx.node_connected_component(h, c) for c in g.graph["core"] if c in h))
        brute = {code for code, pd in g.graph["pds"].items() if not any(r in reach for r in pd["routers"])}
        assert set(wave.lost) == brute
        alone = set().union(*(lost(frozenset([m])) for m in wave.hosts))
        assert brute <= alone
    assert len(waves) < len(hosts)                     # hosts that are safe together share a wave


def run(*args: str) -> tuple[int, dict | list]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def test_fleet_playbooks_run_and_are_kept(tmp_path: Path):
    code, run_ = run("play", str(REPO / "playbooks" / "redundancy-review.yaml"), "--json")
    assert code == 1                                           # the sample violates its RSUD/MPP policy on purpose
    (result,) = run_["results"]
    assert result["host"] == "fleet" and result["status"] == "failed" and "policy violation" in result["message"]
    code, reminder = run("play", str(REPO / "playbooks" / "annual-diagram-reminder.yaml"), "--json")
    rows = reminder["results"][0]["data"]
    assert rows and all(r["tier1"] and r["email"] for r in rows)
    code, listed = run("play", "history", "--json")
    assert [r["playbook"] for r in listed] == ["annual-diagram-reminder", "redundancy-review"]


def test_unreachable_hosts_are_failed_rows_and_skip_later_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Devices at loopback addresses where nothing listens: refused at once, reported, the run goes on."""
    root = make_project(tmp_path / "project")
    hosts = root / "inventory" / "hosts.yaml"
    text = hosts.read_text()
    for i in range(1, 4):
        text = text.replace(f"198.19.0.1{i}", f"127.0.9.{i}")
    hosts.write_text(text)
    monkeypatch.setenv("NETOPS_CONFIG", str(root / "netops.yaml"))
    playbook = tmp_path / "p.yaml"
    playbook.write_text("name: two-steps\ntasks:\n  - backup: {repository: " + str(tmp_path / "configs") + "}\n"
                        "  - getters: {getters: [facts]}\n  - redundancy:\n      topology_check: {}\n"
                        .replace("  - redundancy:\n      topology_check: {}\n", "  - topology_check: {}\n"))
    code, run_ = run("play", str(playbook), "--json")
    assert code == 1
    assert set(run_["failed_hosts"]) == set(run_["hosts"]) - {"fleet"} and run_["hosts"]
    backups = [r for r in run_["results"] if r["type"] == "backup"]
    assert all((r["status"] == "failed" and "refused" in r["message"].lower()) or "connect" in r["message"].lower()
               for r in backups)
    skipped = [r for r in run_["results"] if r["type"] == "getters"]
    assert skipped and all(r["status"] == "skipped" for r in skipped)
    fleet = [r for r in run_["results"] if r["type"] == "topology_check"]
    assert fleet and fleet[0]["status"] in ("ok", "failed")      # the fleet task still ran
    assert run_["recap"][run_["hosts"][0]] == {"ok": 0, "changed": 0, "failed": 1, "skipped": 1}
    assert not (tmp_path / "configs").exists()                   # nothing fetched: no repository made


def test_on_failure_stop_skips_the_rest(tmp_path: Path):
    playbook = tmp_path / "p.yaml"
    playbook.write_text("name: stops\non_failure: stop\ntasks:\n  - topology_check: {}\n"
                        "  - diagram_status: {}\n")
    code, run_ = run("play", str(playbook), "--json")
    assert code == 1
    assert [(r["type"], r["status"]) for r in run_["results"]] == [("topology_check", "failed"),
                                                                     ("diagram_status", "skipped")]
