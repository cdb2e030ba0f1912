"""`watch` on the emulated city, in-band: one cut duct gives exactly one incident naming the PDs it cuts
off and one alarm; after `restore` the incident closes."""
from __future__ import annotations

import threading
import time

import pytest

from netops.analysis.graph import declared_graph, restrict
from netops.analysis.whatif import Failure, what_if
from netops.app.watch import WatchEvent, run_watch
from netops.sources.inventory import load_inventory
from netops.store.db import Store
from netops.store.tickets import list_incidents

pytestmark = pytest.mark.lab


def test_a_cut_duct_is_one_incident_and_one_alarm(lab, scratch_store: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    lab.restore(None)
    assert lab.wait_for(lab.converged, timeout=60, interval=1)
    inv = load_inventory(lab.config.inventory_dir, lab.config.topology_dir)
    g = restrict(declared_graph(inv), lab.devices)
    duct, lost = next((d, what_if(g, [Failure("duct", d)]).isolated_pds) for d in lab.ducts
                      if what_if(g, [Failure("duct", d)]).isolated_pds)
    store, events, stop = Store(scratch_store), [], threading.Event()
    seen: list[WatchEvent] = events
    worker = threading.Thread(target=lambda: seen.append(run_watch(
        lab.config, inv, store, 1.0, None, stop, events.append, scope=list(lab.devices), in_band=True)), daemon=True)
    worker.start()
    try:
        time.sleep(4)
        assert not [e for e in events if isinstance(e, WatchEvent)], "a healthy lab opened an incident"
        lab.cut_duct(duct)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not any(getattr(e, "kind", "") == "opened" for e in events):
            time.sleep(0.5)
        time.sleep(5)                                   # a few more polls: still one incident, one alarm
        opened = [e for e in events if getattr(e, "kind", "") == "opened"]
        assert len(opened) == 1, [(e.cause, e.kind) for e in opened]
        assert opened[0].cause == f"duct:{duct}" and set(lost) <= set(opened[0].pds)
        (incident,) = list_incidents(store, open_only=True)
        lab.restore(None)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any(getattr(e, "kind", "") == "closed" for e in events):
            time.sleep(0.5)
        assert any(getattr(e, "kind", "") == "closed" and e.incident == incident.id for e in events)
        assert list_incidents(store, open_only=True) == []
    finally:
        stop.set()
        worker.join(timeout=30)
        lab.restore(None)
    state = seen[-1]
    assert state.alarms == 1 and state.clears == 1


def test_link_traps_from_the_lab_start_the_polls_long_before_the_interval(lab, scratch_store: str,  # type: ignore[no-untyped-def]
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from netops.app.watch import trap_receiver
    from netops.lab.plan import NOC_ADDRESS
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    lab.restore(None)
    assert lab.wait_for(lab.converged, timeout=60, interval=1)
    inv = load_inventory(lab.config.inventory_dir, lab.config.topology_dir)
    g = restrict(declared_graph(inv), lab.devices)
    duct = next(d for d in lab.ducts if what_if(g, [Failure("duct", d)]).isolated_pds)
    traps = trap_receiver(lab.config, inv, f"{NOC_ADDRESS.ip}:162")
    store, events, stop, seen = Store(scratch_store), [], threading.Event(), []
    worker = threading.Thread(target=lambda: seen.append(run_watch(
        lab.config, inv, store, 120.0, None, stop, events.append, traps=traps, scope=list(lab.devices))), daemon=True)
    worker.start()
    try:
        time.sleep(3)                                   # the first poll (healthy) is done; the next is 2 min away
        cut_at = time.monotonic()
        lab.cut_duct(duct)
        while time.monotonic() - cut_at < 30 and not any(e.kind == "opened" for e in events):
            time.sleep(0.5)
        opened_after = time.monotonic() - cut_at
        assert [e.cause for e in events if e.kind == "opened"] == [f"duct:{duct}"]
        assert opened_after < 30
    finally:
        stop.set()
        worker.join(timeout=30)
        traps.stop()
        lab.restore(None)
        lab.wait_for(lab.converged, timeout=60, interval=1)
    state = seen[-1]
    assert state.trap_polls >= 1 and state.traps["accepted"] >= 1 and state.alarms == 1
