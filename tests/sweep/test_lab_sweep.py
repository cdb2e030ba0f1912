"""The sweep against the emulated city: real snmpd/lldpd in network namespaces, real faults.

Uses the session fixture `lab` (netops.lab.pytest_plugin): a LabHandle with .config, .devices,
.links, .cut(link), .kill(device), .silent(link), .restore(None). Every test restores the lab.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator

import networkx as nx
import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.collect.base import CollectOptions
from netops.collect.nornir_init import build_nornir
from netops.collect.snmp.credentials import SnmpCredentials
from netops.collect.snmp_collector import SnmpCollector, credentials_from_secrets
from netops.collect.sweep import SweepRequest, sweep
from netops.lab.overlay import active_overlay
from netops.models.names import canonical_interface
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason, LinkState, Snapshot
from netops.sources.inventory import Inventory, load_inventory
from netops.store.db import Store
from netops.store.snapshots import save_snapshot

pytestmark = pytest.mark.lab
OPTIONS = CollectOptions(timeout=2.0, retries=1, concurrency=200)
SETTLE_S = 150  # LLDP needs its tx interval to (re)learn, its hold time to forget


@pytest.fixture(scope="module")
def city(lab) -> Inventory:  # type: ignore[no-untyped-def]
    return load_inventory(lab.config.inventory_dir, lab.config.topology_dir)


@pytest.fixture
def healthy(lab) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """No fault, and LLDP converged again as the lab itself sees it (lldpcli), before each test."""
    lab.restore(None)
    converged = lab.wait_for(lab.lldp_converged, timeout=SETTLE_S, interval=2)
    assert converged, f"lab LLDP not reconverged: {unseen(lab)}"
    yield
    lab.restore(None)


def unseen(lab) -> list[str]:  # type: ignore[no-untyped-def]
    """Cables whose LLDP adjacency the lab itself (lldpcli) does not show both ways."""
    return [c.id for c in lab.plan.cables.values()
            if (c.b.device, c.b.interface) not in lab.lldp_neighbors(c.a.device).get(c.a.interface, [])
            or (c.a.device, c.a.interface) not in lab.lldp_neighbors(c.b.device).get(c.b.interface, [])]


def lab_sweep(lab) -> Snapshot:  # type: ignore[no-untyped-def]
    names = set(lab.devices)
    nr = build_nornir(lab.config, lab=lab.overlay).filter(filter_func=lambda h: h.name in names)
    return sweep(lab.config, load_inventory(lab.config.inventory_dir, lab.config.topology_dir),
                 SweepRequest(options=OPTIONS), nr=nr, lab=lab.overlay)


def sweep_until(lab, done, limit: float = SETTLE_S) -> Snapshot:  # type: ignore[no-untyped-def]
    """Sweep again (bounded in count and time) until `done(snapshot)`; return the last one."""
    deadline = time.monotonic() + limit
    while True:
        snapshot = lab_sweep(lab)
        if done(snapshot) or time.monotonic() > deadline:
            return snapshot
        time.sleep(3)


def lab_links(lab, city: Inventory) -> list[str]:  # type: ignore[no-untyped-def]
    return [lid for lid in lab.links if lid in city.links]


def all_up(lab, city: Inventory):  # type: ignore[no-untyped-def]
    wanted = lab_links(lab, city)
    return lambda s: all(lid in s.links and s.links[lid].state == LinkState.up for lid in wanted)


def test_whole_lab_answers_and_links_are_up(lab, city: Inventory, healthy: None) -> None:  # type: ignore[no-untyped-def]
    snapshot = sweep_until(lab, all_up(lab, city))
    assert snapshot.failures == {}
    assert set(snapshot.observations) == set(lab.devices)
    for host, obs in snapshot.observations.items():
        assert obs.interfaces, host
        assert obs.facts.get("hostname"), host
    cabled = {end.device for lid in lab_links(lab, city) for end in city.links[lid].ends()}
    for host in cabled:
        assert any(snapshot.observations[host].lldp_neighbors_detail.values()), f"{host}: no neighbour"
    states = {lid: (snapshot.links[lid].state, snapshot.links[lid].reason) for lid in lab_links(lab, city)}
    assert {lid: s for lid, (s, _) in states.items() if s != LinkState.up} == {}, states
    assert snapshot.new_adjacencies == []


def test_cut_link_is_down_and_the_diff_shows_it(lab, city: Inventory, healthy: None,  # type: ignore[no-untyped-def]
                                                scratch_store: str) -> None:
    link_id = lab_links(lab, city)[0]
    link = city.links[link_id]
    before = sweep_until(lab, all_up(lab, city))
    lab.cut(link_id)

    def both_ends_down(s: Snapshot) -> bool:
        """The link judged down, and each end's own ifOperStatus down: one end may lag the other."""
        return s.links[link_id].state == LinkState.down and all(
            end.device in s.observations
            and not s.observations[end.device].interfaces.get(canonical_interface(end.interface), {}).get("is_up", True)
            for end in (link.a, link.b))
    # lldpd forgets at once, snmpd serves IF-MIB from a cache for a few seconds (as real agents
    # do): within a few sweeps both ports are reported down
    after = sweep_until(lab, both_ends_down, limit=30)
    assert after.links[link_id].state == LinkState.down
    assert "oper down" in after.links[link_id].reason
    store = Store(scratch_store)
    a, b = save_snapshot(store, before), save_snapshot(store, after)
    result = CliRunner().invoke(cli, ["snapshots", "diff", str(a), str(b), "--json"])
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert {"device": "", "subject": link_id, "before": "up", "after": "down",
            "note": after.links[link_id].reason} in diff["links_changed"]
    changed = {(c["device"], c["subject"]) for c in diff["interfaces_changed"]}
    assert {(link.a.device, link.a.interface), (link.b.device, link.b.interface)} <= changed


def routers_whose_loss_isolates_nobody(lab, city: Inventory) -> list[str]:  # type: ignore[no-untyped-def]
    """A fifth of the routers, chosen so that (in-band) every other device still reaches the core."""
    routers = sorted(d for d in lab.devices if city.devices[d].is_router)
    g = nx.Graph((c.a.device, c.b.device) for c in lab.plan.cables.values())
    cores = {d.hostname for d in lab.plan.devices.values() if d.noc_ip}
    dead: list[str] = []
    for router in routers:
        if len(dead) >= max(1, len(routers) // 5) or router in cores:
            continue
        rest = g.subgraph(set(g) - set(dead) - {router})
        reached = set().union(*(nx.node_connected_component(rest, c) for c in cores if c in rest))
        if reached == set(rest):
            dead.append(router)
    return dead


def test_fifth_of_routers_dead_costs_one_timeout_window(lab, city: Inventory, healthy: None) -> None:  # type: ignore
    started = time.perf_counter()
    sweep_until(lab, all_up(lab, city))
    healthy_s = time.perf_counter() - started
    dead = routers_whose_loss_isolates_nobody(lab, city)
    for device in dead:
        lab.kill(device)
    started = time.perf_counter()
    snapshot = lab_sweep(lab)
    elapsed = time.perf_counter() - started
    margin = healthy_s + 10.0
    assert elapsed <= OPTIONS.worst_case_seconds + margin, (elapsed, OPTIONS.worst_case_seconds, margin)
    assert {h: f.reason for h, f in snapshot.failures.items()} == {h: FailureReason.timeout for h in dead}
    assert set(snapshot.observations) == set(lab.devices) - set(dead)


def test_silent_link_becomes_unseen_with_its_reason(lab, city: Inventory, healthy: None) -> None:  # type: ignore[no-untyped-def]
    link_id = lab_links(lab, city)[-1]
    sweep_until(lab, all_up(lab, city))
    lab.silent(link_id)
    started = time.monotonic()
    snapshot = sweep_until(lab, lambda s: s.links[link_id].state != LinkState.up)
    print(f"silent link {link_id} unseen after {time.monotonic() - started:.1f} s")
    assert snapshot.links[link_id].state == LinkState.unseen
    assert snapshot.links[link_id].reason.startswith("no LLDP adjacency seen")
    others = {lid: snapshot.links[lid] for lid in lab_links(lab, city) if lid != link_id}
    assert {lid: lo.reason for lid, lo in others.items() if lo.state != LinkState.up} == {}


def test_snmpv3_authpriv_answers_and_a_wrong_key_is_auth(lab, healthy: None) -> None:  # type: ignore
    overlay = active_overlay(lab.config)
    assert overlay is not None
    v3 = credentials_from_secrets(overlay.secrets.snmp, prefer="v3")
    assert v3 is not None and v3.version == "3"
    names = sorted(lab.devices)[:3]
    nr = build_nornir(lab.config, lab=lab.overlay).filter(filter_func=lambda h: h.name in names)
    good = SnmpCollector(lambda _host: v3).collect(nr, OPTIONS, lambda _r: None)
    assert all(isinstance(r, DeviceObservation) and r.interfaces for r in good.values()), good
    wrong = SnmpCredentials.v3(v3.user or "", auth_protocol=v3.auth_protocol, auth_key="not-the-lab-key",
                               priv_protocol=v3.priv_protocol, priv_key="not-the-lab-key")
    bad = SnmpCollector(lambda _host: wrong).collect(nr, OPTIONS, lambda _r: None)
    assert {h: r.reason for h, r in bad.items() if isinstance(r, DeviceFailure)} == \
        {h: FailureReason.auth for h in names}


def test_cli_sweep_via_snmp_and_napalm(lab, city: Inventory, healthy: None,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`netops sweep --json --via snmp,napalm` as an engineer runs it, pointed at this lab."""
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    sweep_until(lab, all_up(lab, city))
    args = ["sweep", "--json", "--via", "snmp,napalm", "--timeout", "2", "--retries", "0"]
    result = CliRunner().invoke(cli, args)
    out = json.loads(result.stdout)
    outside = set(city.devices) - set(lab.devices)  # inventory devices the small lab leaves out
    assert result.exit_code == (1 if outside else 0)
    assert set(out["failures"]) == outside and set(out["devices"]) == set(lab.devices)
    for host, device in out["devices"].items():
        assert device["via"] == "snmp+napalm", host
        assert device["interfaces"] and device["facts"]["hostname"], host
    states = {lid: out["links"][lid]["state"] for lid in lab_links(lab, city)}
    assert set(states.values()) == {"up"}, states
    assert out["counts"]["observed"] == len(lab.devices) and out["snapshot_id"] is not None
