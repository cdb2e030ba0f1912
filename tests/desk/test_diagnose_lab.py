"""`diagnose` on the emulated city, in-band as the city is managed: a healthy path, a cut duct named with
the PDs it cuts off, and a powered-off router told from a cut fibre; every fault restored after."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from netops.analysis.graph import declared_graph, restrict
from netops.analysis.rootcause import Cause, indistinguishable
from netops.analysis.whatif import Failure, what_if
from netops.app.diagnose import diagnose
from netops.sources.inventory import load_inventory
from netops.store.db import Store

pytestmark = pytest.mark.lab


@pytest.fixture
def city(lab, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    lab.restore(None)
    assert lab.wait_for(lab.converged, timeout=60, interval=1)
    yield load_inventory(lab.config.inventory_dir, lab.config.topology_dir)
    lab.restore(None)
    lab.wait_for(lab.converged, timeout=60, interval=1)


def _check(lab, city, scratch_store: str, target: str):  # type: ignore[no-untyped-def]
    return diagnose(lab.config, city, Store(scratch_store), target, timeout=1.0, scope=list(lab.devices))


def test_healthy_then_a_cut_duct(lab, city, scratch_store: str) -> None:  # type: ignore[no-untyped-def]
    g = restrict(declared_graph(city), lab.devices)
    duct, lost = next((d, what_if(g, [Failure("duct", d)]).isolated_pds) for d in lab.ducts
                      if what_if(g, [Failure("duct", d)]).isolated_pds)
    target = lost[0]
    healthy = _check(lab, city, scratch_store, target)
    assert healthy.verdict == "healthy", healthy.candidates[:2]
    lab.cut_duct(duct)
    assert lab.wait_for(lambda: not all(lab.reachable().values()), timeout=15, interval=1)
    found = _check(lab, city, scratch_store, target)
    top = found.cause or ""
    assert top == f"duct:{duct}" or indistinguishable(g, Cause(*top.split(":", 1)), Cause("duct", duct)), found.candidates[:3]
    assert found.verdict == "outage" and set(lost) <= set(found.pds_cut_off)
    assert found.seconds < 10


def test_a_powered_off_router_is_a_device_not_a_fibre(lab, city, scratch_store: str) -> None:  # type: ignore[no-untyped-def]
    g = restrict(declared_graph(city), lab.devices)
    victim = next(n for n in sorted(g) if g.degree(n) >= 2 and n not in g.graph["core"]
                  and city.devices[n].role.value in ("distribution", "pd-edge"))
    lab.kill(victim)
    assert lab.wait_for(lambda: not lab.reachable([victim])[victim], timeout=15, interval=1)
    found = _check(lab, city, scratch_store, victim)
    assert found.cause is not None
    kind, name = found.cause.split(":", 1)
    assert (kind, name) == ("device-down", victim) or indistinguishable(g, Cause(kind, name), Cause("device-down", victim))
