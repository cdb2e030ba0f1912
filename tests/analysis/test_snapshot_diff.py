"""Snapshot diffs: each kind of change is found, and an unchanged sweep diffs empty."""

from __future__ import annotations

from datetime import UTC, datetime

from netops.analysis.snapshot_diff import diff_snapshots
from netops.models.observation import (
    DeviceFailure,
    DeviceObservation,
    FailureReason,
    LinkObservation,
    LinkState,
    Snapshot,
)

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def device(
    host: str, *, serial: str = "S1", os_version: str = "7.1", up: bool = True, neighbour: str = "core-01"
) -> DeviceObservation:
    return DeviceObservation(
        host=host,
        via="snmp",
        facts={"serial_number": serial, "os_version": os_version, "hostname": host},
        interfaces={"ether1": {"is_up": up, "is_enabled": True, "speed": 1000.0, "mtu": 1500}},
        lldp_neighbors_detail={"ether1": [{"remote_system_name": neighbour, "remote_port": "Gi0/1"}]},
    )


def snap(
    sid: int,
    observations: list[DeviceObservation],
    failures: list[DeviceFailure] = (),
    links: dict[str, LinkState] | None = None,
) -> Snapshot:
    return Snapshot(
        id=sid,
        started_at=T0,
        finished_at=T0,
        actor="test",
        request={},
        observations={o.host: o for o in observations},
        failures={f.host: f for f in failures},
        links={
            k: LinkObservation(link_id=k, state=v, reason=f"because {v.value}")
            for k, v in (links or {}).items()
        },
    )


def test_identical_sweeps_have_no_changes() -> None:
    a = snap(1, [device("edge-01")], links={"L1": LinkState.up})
    assert diff_snapshots(a, a.model_copy(update={"id": 2})).empty


def test_devices_appear_and_disappear_with_the_reason() -> None:
    dead = DeviceFailure(host="edge-02", via="snmp", reason=FailureReason.timeout, message="no response")
    diff = diff_snapshots(
        snap(1, [device("edge-01"), device("edge-02")]),
        snap(2, [device("edge-01"), device("edge-03")], [dead]),
    )
    assert diff.devices_appeared == ["edge-03"]
    assert [(c.device, c.after, c.note) for c in diff.devices_disappeared] == [
        ("edge-02", "timeout", "no response")
    ]


def test_serial_and_os_changes() -> None:
    diff = diff_snapshots(
        snap(1, [device("edge-01")]), snap(2, [device("edge-01", serial="S2", os_version="7.2")])
    )
    assert {(c.subject, c.before, c.after) for c in diff.facts_changed} == {
        ("serial_number", "S1", "S2"),
        ("os_version", "7.1", "7.2"),
    }


def test_interface_state_change_ignores_unwatched_fields() -> None:
    later = device("edge-01", up=False)
    later.interfaces["ether1"]["mtu"] = 9000
    diff = diff_snapshots(snap(1, [device("edge-01")]), snap(2, [later]))
    assert [(c.subject, c.before["is_up"], c.after["is_up"]) for c in diff.interfaces_changed] == [
        ("ether1", True, False)
    ]


def test_neighbour_change_compares_short_names_and_canonical_ports() -> None:
    same = device("edge-01", neighbour="CORE-01.batam.go.id")
    same.lldp_neighbors_detail["ether1"][0]["remote_port"] = "GigabitEthernet0/1"
    assert diff_snapshots(snap(1, [device("edge-01")]), snap(2, [same])).neighbours_changed == []
    moved = diff_snapshots(snap(1, [device("edge-01")]), snap(2, [device("edge-01", neighbour="core-02")]))
    assert [(c.before, c.after) for c in moved.neighbours_changed] == [
        (["core-01 GigabitEthernet0/1"], ["core-02 GigabitEthernet0/1"])
    ]


def test_link_state_changes_carry_the_new_reason() -> None:
    diff = diff_snapshots(
        snap(1, [], links={"L1": LinkState.up, "L2": LinkState.up}),
        snap(2, [], links={"L1": LinkState.down, "L2": LinkState.up}),
    )
    assert [(c.subject, c.before, c.after, c.note) for c in diff.links_changed] == [
        ("L1", "up", "down", "because down")
    ]
