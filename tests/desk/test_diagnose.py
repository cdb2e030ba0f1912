"""`diagnose` wiring on the sample city: symptoms made into a snapshot as a sweep would store it
(the fault simulator of test_rootcause), then the verdict, blast radius, place and Tier-1 message."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from netops.analysis.graph import declared_graph
from netops.analysis.rootcause import Cause
from netops.analysis.whatif import Failure, what_if
from netops.app.diagnose import diagnose
from netops.cli.main import cli
from netops.config import load_config
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason, Snapshot
from netops.sources.inventory import load_inventory
from netops.store.db import Store
from tests.conftest import REPO
from tests.desk.test_rootcause import simulate


@pytest.fixture(scope="module")
def city():  # type: ignore[no-untyped-def]
    return load_inventory(REPO / "inventory", REPO / "topology")


def snapshot_of(city, faults: list[Cause]) -> Snapshot:  # type: ignore[no-untyped-def]
    g = declared_graph(city)
    s = simulate(g, faults)
    now = dt.datetime.now(dt.UTC)
    observations = {}
    for device in s.answered:
        ports = {}
        for (cable, end), state in s.ports.items():
            if end == device:
                link = city.links[cable]
                port = link.a.interface if link.a.device == device else link.b.interface
                ports[port] = {"is_up": state == "up", "is_enabled": True}
        lldp: dict[str, list[dict[str, str]]] = {}
        for (cable, end), heard in s.lldp.items():
            link = city.links[cable]
            if end == device and heard == "seen":
                near, far = (link.a, link.b) if link.a.device == device else (link.b, link.a)
                lldp.setdefault(near.interface, []).append({"remote_system_name": far.device,
                                                            "remote_port": far.interface})
        observations[device] = DeviceObservation(host=device, via="snmp", interfaces=ports,
                                                 lldp_neighbors_detail=lldp)
    failures = {d: DeviceFailure(host=d, via="snmp", reason=FailureReason.timeout, message="t") for d in s.silent}
    return Snapshot(id=1, started_at=now, finished_at=now, actor="t", request={}, observations=observations,
                    failures=failures)


def test_a_cut_duct_is_named_with_its_place_and_who_is_hit(city, scratch_store):  # type: ignore[no-untyped-def]
    g = declared_graph(city)
    duct = next(d.duct for d in __import__("netops.analysis.redundancy", fromlist=["x"]).check_topology(g).duct_spofs
                if len(d.pds) >= 2)
    pd = what_if(g, [Failure("duct", duct)]).isolated_pds[0]
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), pd,
                      snapshot=snapshot_of(city, [Cause("duct", duct)]))
    assert result.cause == f"duct:{duct}" and result.verdict == "outage" and result.confidence == "high"
    assert result.pds_cut_off == what_if(g, [Failure("duct", duct)]).isolated_pds
    assert {d["id"] for p in result.place for d in p.ducts} >= {duct}
    assert city.ducts[duct].route in " ".join(d["route"] for p in result.place for d in p.ducts)
    assert all(p.ends[0]["site"] and p.ends[0]["address"] for p in result.place)
    assert "Tingkat 2" in result.message_tier1 and pd in result.message_tier1
    assert any("reports its port down" in line for line in result.evidence)


def test_one_leg_of_a_dual_homed_pd_is_degraded_not_down(city, scratch_store):  # type: ignore[no-untyped-def]
    from netops.analysis.redundancy import check_topology
    g = declared_graph(city)
    check = check_topology(g)
    pd = next(code for code, r in sorted(check.pds.items()) if r.verdict.value == "diverse")
    from netops.analysis.paths import pd_routes
    cable = pd_routes(g, pd)[0].cables[-1]
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), pd,
                      snapshot=snapshot_of(city, [Cause("fibre", cable)]))
    assert result.verdict == "degraded" and pd not in result.pds_cut_off
    assert result.still_reachable_via and cable not in result.still_reachable_via
    assert "jalur cadangan" in result.message_tier1


def test_healthy_network_says_so_with_the_path(city, scratch_store):  # type: ignore[no-untyped-def]
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), "DINSOS",
                      snapshot=snapshot_of(city, []))
    assert result.verdict == "healthy" and result.cause is None and result.still_reachable_via


def test_unknown_target_names_the_closest(scratch_store):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["diagnose", "DISDUKCAPI"])
    assert result.exit_code == 2 and "DISDUKCAPIL" in result.output and "Traceback" not in result.output


def test_a_lossy_fibre_is_found_from_the_pings_beyond_it(city, scratch_store):  # type: ignore[no-untyped-def]
    g = declared_graph(city)
    cable = next(k for k in sorted(city.links) if k in {key for _, _, key in g.edges(keys=True)}
                 and _routed_beyond(g, k) and g.nodes[city.links[k].b.device]["role"] == "pd-edge")
    fault = Cause("degraded", cable)
    sim = simulate(g, [fault])
    edge = city.links[cable].b.device
    pd = city.devices[edge].pd
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), pd,
                      snapshot=snapshot_of(city, [fault]), loss=sim.loss)
    assert result.cause == f"degraded:{cable}" and result.verdict == "degraded", result.candidates[:3]
    assert result.pds_cut_off == [] and [p.cable for p in result.place] == [cable]
    assert any(f"{edge} (30%)" in line for line in result.evidence)
    assert "paket hilang" in result.message_tier1 and "OTDR" in result.field_action


def test_a_fibre_without_lldp_is_named_not_an_outage(city, scratch_store):  # type: ignore[no-untyped-def]
    cable = sorted(city.links)[3]
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), city.links[cable].a.device,
                      snapshot=snapshot_of(city, [Cause("lldp-silent", cable)]))
    assert result.cause == f"lldp-silent:{cable}" and result.verdict == "degraded", result.candidates[:3]
    assert any("no LLDP neighbour" in line and cable in line for line in result.evidence)


def _routed_beyond(g, cable: str) -> bool:  # type: ignore[no-untyped-def]
    from tests.desk.test_rootcause import _routed_through
    return bool(_routed_through(g, cable))


def test_the_html_page_reads_right_in_a_real_browser_and_escapes_names(city, scratch_store, tmp_path):  # type: ignore[no-untyped-def]
    from tests.web.test_browser import ARTIFACTS, CHROMIUM
    if not __import__("pathlib").Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright
    g = declared_graph(city)
    duct = next(d.duct for d in __import__("netops.analysis.redundancy", fromlist=["x"]).check_topology(g).duct_spofs
                if len(d.pds) >= 2)
    pd = what_if(g, [Failure("duct", duct)]).isolated_pds[0]
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), pd,
                      snapshot=snapshot_of(city, [Cause("duct", duct)]))
    result.evidence.append('<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>')
    out = tmp_path / "diagnosis.html"
    page_of = {}
    from netops.report.diagnosis_html import render_diagnosis_html
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                              "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        try:
            for lang in ("id", "en"):
                out.write_text(render_diagnosis_html(result, lang), encoding="utf-8")
                page = b.new_page()
                page.goto(out.as_uri())
                page_of[lang] = (page.inner_text("#verdict"), page.inner_text("#cause"), page.inner_text("#cut-off"),
                                 page.inner_text("#place"), page.evaluate("window.pwned === undefined"))
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"diagnosis-{lang}.png"), full_page=True)
                page.close()
        finally:
            b.close()
    verdict, cause, cut_off, place, safe = page_of["id"]
    assert verdict.startswith("PUTUS") and pd in verdict and cause == f"duct:{duct}" and safe
    assert cut_off == ", ".join(result.pds_cut_off) and city.ducts[duct].route in place
    assert page_of["en"][0].startswith("OUTAGE") and page_of["en"][4]


def test_the_html_option_writes_the_page_and_a_bad_path_is_a_clear_error(scratch_store, tmp_path):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["diagnose", "DISDUKCAPIL", "--html", str(tmp_path / "no" / "such" / "d.html"),
                                      "--timeout", "0.2"])
    assert result.exit_code == 2 and "cannot write the page" in result.output and "Traceback" not in result.output


def test_a_device_whose_uptime_went_back_is_named_as_restarted(city, scratch_store):  # type: ignore[no-untyped-def]
    from netops.app.diagnose import _restarted_since
    before, after = snapshot_of(city, []), snapshot_of(city, [])
    host = sorted(after.observations)[0]
    for snap, up in ((before, 86_400.0), (after, 120.0)):
        for name, obs in snap.observations.items():
            obs.facts["uptime"] = up if name == host else 86_400.0 + (0 if snap is before else 30)
    assert _restarted_since(before, after) == [(host, 120.0)]
    assert _restarted_since(None, after) == [] and _restarted_since(after, after) == []


def test_a_pd_with_no_declared_path_is_unknown_never_healthy(city, scratch_store):  # type: ignore[no-untyped-def]
    own = [name for name, dev in city.devices.items() if dev.pd == "DINSOS"]     # no core: no path at all
    result = diagnose(load_config(REPO / "netops.yaml"), city, Store(scratch_store), "DINSOS",
                      snapshot=snapshot_of(city, []), scope=own)
    assert result.verdict == "unknown" and result.still_reachable_via == []
    assert result.not_seen[0] == "DINSOS has no declared path to the Pusat Data (no active fibre in the topology)"
