"""The app layer called as a web page or a playbook would: no click, a Session, typed results that serialise."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.app import diagrams as app_diagrams
from netops.app import snapshots as app_snapshots
from netops.app import topology as app_topology
from netops.app.lab_use import LabUse, lab_overlay, notice
from netops.app.session import Session
from netops.app.sweep import SweepAsk, sweep_request
from netops.errors import InputError, NotFoundError
from netops.lab.plan import build_plan
from netops.lab.select import select_devices
from netops.lab.state import LabSecrets, LabState, save_state
from netops.models.observation import DeviceFailure, FailureReason, LinkObservation, LinkState
from netops.store.snapshots import save_snapshot
from tests.diagrams.conftest import PD, observe, sample_inventory


@pytest.fixture
def session() -> Session:
    return Session()          # NETOPS_CONFIG (the sample city) and a scratch NETOPS_STORE, set by conftest


def test_sweep_ask_takes_the_project_defaults_and_checks_via_and_filters_once(session: Session) -> None:
    request = sweep_request(session.config, SweepAsk(via="snmp, cli,snmp", timeout=0.5))
    assert request.via == ("snmp", "cli") and request.options.timeout == 0.5
    assert request.options.retries == 1 and request.options.concurrency == 200
    with pytest.raises(InputError) as bad_via:
        sweep_request(session.config, SweepAsk(via="snmp,telnet"))
    assert bad_via.value.issues[0].field == "via" and "choose from snmp, napalm, cli" in str(bad_via.value)
    with pytest.raises(InputError) as bad_filter:
        sweep_request(session.config, SweepAsk(filters=("role",)))
    assert bad_filter.value.issues[0].field == "filter" and "expected key=value" in str(bad_filter.value)


def test_a_stored_sweep_reads_back_as_a_report_with_its_problems_first(session: Session) -> None:
    snapshot = observe(sample_inventory(), PD)
    host = sorted(snapshot.observations)[0]
    snapshot.observations.pop(host)
    snapshot.failures[host] = DeviceFailure(host=host, via="snmp", reason=FailureReason.timeout, message="no answer")
    snapshot.links = {"L-UP": LinkObservation(link_id="L-UP", state=LinkState.up, reason="LLDP both ways"),
                      "L-DOWN": LinkObservation(link_id="L-DOWN", state=LinkState.down, reason="port down")}
    snapshot_id = save_snapshot(session.store, snapshot)
    report = app_snapshots.show_sweep(session, snapshot_id)
    assert report.snapshot_id == snapshot_id and report.counts.observed == len(snapshot.observations)
    assert list(report.links_not_up) == ["L-DOWN"] and list(report.failures) == [host]
    assert report.problems == 2
    assert f"snapshot {snapshot_id} by " in report.summary and "1 failed" in report.summary
    assert "links 1 up, 1 down" in report.summary
    dumped = json.loads(report.model_dump_json())
    assert dumped["failures"][host] == {"via": "snmp", "reason": "timeout", "message": "no answer"}
    assert dumped["lab"] is None and dumped["started_at"] == snapshot.started_at.isoformat()
    assert [s.id for s in app_snapshots.list_sweeps(session)] == [snapshot_id]


def test_topology_check_path_and_bad_source_without_click(session: Session) -> None:
    report = app_topology.check(session, app_topology.GraphSource())
    assert [v.pd for v in report.violations] == ["MPP"] and report.pds["MPP"].verdict == "dual-homed-shared-duct"
    assert sum(report.verdict_counts.values()) == len(report.pds)
    route = app_topology.path(session, app_topology.GraphSource(), "mpp").model_dump(mode="json")["routes"][0]
    assert route["from"] and route["to"] and route["fibres"][0]["cable"] == "BTM-FO-0022"
    with pytest.raises(InputError, match="expected declared, observed or a snapshot id"):
        app_topology.check(session, app_topology.GraphSource(source="yesterday"))
    with pytest.raises(NotFoundError, match="no sweep snapshot"):
        app_topology.check(session, app_topology.GraphSource(source="observed"))


def test_diagram_status_on_an_empty_store_finds_every_pd_overdue(session: Session) -> None:
    status = app_diagrams.diagram_status(session, year=2025)
    assert status.overdue == len(status.pds) == len(session.inventory.pds)
    assert str(status.as_of) == "2025-12-31" or status.as_of.year == 2025


def _lab_state(session: Session, path: Path, phase: str = "up") -> LabState:
    city = session.inventory
    state = LabState(run_dir=str(path.parent / "run"), lab_uid=62000, phase=phase, secrets=LabSecrets.generate(),
                     plan=build_plan(city, select_devices(city, ["DISDUKCAPIL"])[0]))
    save_state(path, state)
    return state


def test_the_lab_is_used_only_as_chosen_and_said(session: Session, tmp_path: Path) -> None:
    config = session.config.model_copy(update={"lab_state": tmp_path / "state.json"})
    assert lab_overlay(config) is None and notice(None) is None
    with pytest.raises(NotFoundError, match="no lab is up"):
        lab_overlay(config, LabUse.on)
    state = _lab_state(session, tmp_path / "state.json")
    overlay = lab_overlay(config)
    assert overlay is not None and overlay.covers("sw-disdukcapil-01")
    assert lab_overlay(config, LabUse.off) is None
    said = notice(overlay)
    assert said is not None and said.devices == len(state.plan.devices)
    assert said.text.startswith("talking to the lab") and str(tmp_path / "state.json") in said.text


def test_lab_status_is_typed_from_the_state_file(session: Session, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from netops.app import lab as app_lab
    from netops.lab import status as lab_status_module

    path = tmp_path / "state.json"
    session.config = session.config.model_copy(update={"lab_state": path})
    assert app_lab.status(session).model_dump(exclude_defaults=True) == {"state_file": str(path), "phase": "none"}
    state = _lab_state(session, path)
    monkeypatch.setattr(lab_status_module, "lldp_neighbors", lambda _state, _host: {})   # no namespaces here
    report = app_lab.status(session)
    assert report.up and report.summary is not None and report.summary.devices == len(state.plan.devices)
    assert report.summary.links_seen_lldp == 0 and {lk.lldp for lk in report.links} == {"none"}
    assert "password" not in report.model_dump_json().lower().replace("ssh_password", "")
