"""`diagnose` on the emulated city, in-band as the city is managed: one test per fault kind the lab can inject
(cut fibre, cut duct, power-off, hang, routing daemon down, lossy fibre, LLDP-silent fibre, PD LAN switch
down), plus a healthy path and one leg of a dual-homed PD. Each names the injected element as the top cause
(or a cause no observation can tell apart from it, which the diagnosis then lists as tied), and lists exactly
the PDs the what-if engine says are cut off. Every fault is restored after its test."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator

import networkx as nx
import pytest

from netops.analysis.graph import declared_graph, restrict
from netops.analysis.rootcause import Cause, Predictor, indistinguishable
from netops.analysis.whatif import Failure, what_if
from netops.app.diagnose import diagnose
from netops.lab.handle import LabHandle
from netops.models.diagnosis import Diagnosis
from netops.sources.inventory import Inventory, load_inventory
from netops.store.db import Store

pytestmark = pytest.mark.lab
SETTLE_S = 25        # a fault shows within OSPF's dead interval (3 s) or LLDP's TTL (4 s); generous under load


@pytest.fixture
def city(lab: LabHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inventory]:
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    lab.restore(None)
    assert lab.wait_for(lab.converged, timeout=60, interval=1)
    assert lab.wait_for(lab.lldp_converged, timeout=30, interval=1)
    yield load_inventory(lab.config.inventory_dir, lab.config.topology_dir)
    lab.restore(None)
    lab.wait_for(lab.converged, timeout=60, interval=1)


@pytest.fixture
def g(lab: LabHandle, city: Inventory) -> nx.MultiGraph:
    return restrict(declared_graph(city), lab.devices)


def _check(lab: LabHandle, city: Inventory, store: str, target: str) -> Diagnosis:
    return diagnose(lab.config, city, Store(store), target, timeout=1.0, scope=list(lab.devices))


def _settled(lab: LabHandle, city: Inventory, store: str, target: str) -> Diagnosis:
    """Diagnose until two verdicts in a row name the same cause (bounded), as the watch's hold-down does: an
    agent's port table lags the fault by up to a second, and the first look may catch half of it."""
    deadline = time.monotonic() + SETTLE_S
    previous = None
    while True:
        found = _check(lab, city, store, target)
        if (found.cause is not None and found.cause == previous) or time.monotonic() > deadline:
            return found
        previous = found.cause
        time.sleep(0.5)


def _names(found: Diagnosis, g: nx.MultiGraph, injected: Cause) -> bool:
    """The top cause is the injected one, or one that no observation can tell apart from it."""
    if found.cause is None or "+" in found.cause:
        return False
    kind, name = found.cause.split(":", 1)
    return (kind, name) == (injected.kind, injected.name) or indistinguishable(g, Cause(kind, name), injected)  # type: ignore[arg-type]


def _cut_off(g: nx.MultiGraph, failure: Failure | None) -> list[str]:
    return what_if(g, [failure]).isolated_pds if failure else []


def test_a_healthy_path_is_said_healthy_with_its_route(lab: LabHandle, city: Inventory, scratch_store: str) -> None:
    found = _check(lab, city, scratch_store, "DPMPTSP")
    assert found.verdict == "healthy" and found.cause is None, found.candidates[:2]
    assert found.still_reachable_via and found.seconds < 10


def test_a_cut_duct_names_the_duct_and_exactly_the_pds_it_cuts_off(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                                     scratch_store: str) -> None:
    duct, lost = next((d, _cut_off(g, Failure("duct", d))) for d in lab.ducts if _cut_off(g, Failure("duct", d)))
    lab.cut_duct(duct)
    found = _settled(lab, city, scratch_store, lost[0])
    assert _names(found, g, Cause("duct", duct)), found.candidates[:3]
    assert found.verdict == "outage" and found.pds_cut_off == lost
    assert found.place and all(p.ends[0]["site"] for p in found.place) and found.seconds < 10


def test_one_cut_leg_of_a_dual_homed_pd_is_degraded_and_says_the_way_round(lab: LabHandle, city: Inventory,
                                                                           g: nx.MultiGraph, scratch_store: str) -> None:
    pd = next(code for code, about in sorted(g.graph["pds"].items()) if len(about["routers"]) >= 2
              and all(r in g for r in about["routers"]))
    cable = next(k for u, v, k in sorted(g.edges(keys=True), key=lambda e: e[2])
                 if {u, v} & set(g.graph["pds"][pd]["routers"]) and g.nodes[u]["pd"] != g.nodes[v]["pd"])
    assert _cut_off(g, Failure("link", cable)) == []
    lab.cut(cable)
    found = _settled(lab, city, scratch_store, pd)
    assert _names(found, g, Cause("fibre", cable)), found.candidates[:3]
    assert found.verdict == "degraded" and found.pds_cut_off == []
    assert found.still_reachable_via and cable not in found.still_reachable_via


def test_a_powered_off_router_is_a_device_not_a_fibre(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                      scratch_store: str) -> None:
    victim = next(n for n in sorted(g) if g.degree(n) >= 2 and n not in g.graph["core"]
                  and city.devices[n].role.value in ("distribution", "pd-edge"))
    lab.kill(victim)
    found = _settled(lab, city, scratch_store, victim)
    assert _names(found, g, Cause("device-down", victim)), found.candidates[:3]
    assert found.pds_cut_off == _cut_off(g, Failure("node", victim))


def test_a_hung_router_still_forwards_and_is_told_from_a_dead_one(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                                  scratch_store: str) -> None:
    victim = next(n for n in sorted(g) if city.devices[n].role.value == "pd-edge" and g.degree(n) >= 3)
    lab.hang(victim)
    found = _settled(lab, city, scratch_store, victim)
    assert found.cause == f"device-hung:{victim}", found.candidates[:3]
    assert found.pds_cut_off == [] and "Console" in found.field_action


def test_a_dead_routing_daemon_is_routing_not_power(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                    scratch_store: str) -> None:
    victim = next(n for n in sorted(g) if city.devices[n].role.value == "pd-edge" and g.degree(n) >= 3)
    lab.ospf_down(victim)
    found = _settled(lab, city, scratch_store, victim)
    assert _names(found, g, Cause("routing", victim)), found.candidates[:3]
    assert found.pds_cut_off == _cut_off(g, Failure("node", victim))


def test_a_lossy_fibre_is_found_from_the_nocs_pings(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                    scratch_store: str) -> None:
    edge, cable = next((u, k) for u, v, k in sorted(g.edges(keys=True), key=lambda e: e[2])
                       for u, v in ((u, v), (v, u)) if g.nodes[u]["role"] == "pd-edge" and g.nodes[v]["role"] == "core")
    # 10 %: at the lab's OSPF timers (hello 1 s, dead 3 s) a 30 % loss drops the adjacency within seconds
    # (three hellos lost in a row), traffic takes the other way and no probe sees the loss until it is back
    lab.degrade(cable, loss_pct=10)
    found = _settled(lab, city, scratch_store, city.devices[edge].pd)
    assert _names(found, g, Cause("degraded", cable)), found.candidates[:3]
    assert found.verdict == "degraded" and found.pds_cut_off == []
    # each echo crosses the fibre twice, so any one device behind it may by chance lose none of its ten:
    # the evidence names the lossy devices, every one of them behind the fibre
    behind = Predictor(g).behind(cable)
    lossy = next(line for line in found.evidence if "pings are lost" in line)
    named = set(re.findall(r"([\w.-]+) \(\d+%\)", lossy))
    assert edge in behind and named and named <= behind, (lossy, sorted(behind))


def test_a_fibre_whose_lldp_went_silent_is_named(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                 scratch_store: str) -> None:
    cable = next(k for u, v, k in sorted(g.edges(keys=True), key=lambda e: e[2])
                 if {g.nodes[u]["role"], g.nodes[v]["role"]} == {"pd-edge", "distribution"})
    lab.silent(cable)
    found = _settled(lab, city, scratch_store, city.links[cable].a.device)
    assert found.cause == f"lldp-silent:{cable}", found.candidates[:3]
    assert found.verdict == "degraded" and found.pds_cut_off == []


def test_a_pd_lan_switch_down_is_named_in_the_pd_lan(lab: LabHandle, city: Inventory, g: nx.MultiGraph,
                                                     scratch_store: str) -> None:
    switch = next(n for n in sorted(g) if city.devices[n].role.value == "access-switch" and g.degree(n) >= 3)
    lab.kill(switch)
    found = _settled(lab, city, scratch_store, city.devices[switch].pd)
    assert _names(found, g, Cause("device-down", switch)), found.candidates[:3]
    assert f"device-down:{switch}" in [found.cause, *found.tied_with]
    assert found.pds_cut_off == [] and found.verdict == "degraded"
    assert found.cause != f"device-down:{switch}" or "LAN PD" in found.message_tier1
