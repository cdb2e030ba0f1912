"""Link verdicts: each state reached for the reason the docstring of analysis.links gives."""

from __future__ import annotations

from typing import Any

import pytest

from netops.analysis.links import judge_links, new_adjacencies
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason, LinkState
from netops.models.plant import FibreLink

LINK = FibreLink.model_validate(
    {
        "id": "BTM-FO-0001",
        "a": {"device": "core-01", "interface": "Gi0/1"},
        "b": {"device": "edge-01", "interface": "sfp-sfpplus1"},
        "length_m": 100,
        "capacity_mbps": 10000,
    }
)
DEVICES = ["core-01", "edge-01", "edge-02"]


def nb(name: str, port: str, descr: str = "") -> dict[str, Any]:
    return {
        "remote_system_name": name,
        "remote_port": port,
        "remote_port_description": descr,
        "remote_chassis_id": "",
        "parent_interface": "",
    }


def obs(
    host: str,
    port: str,
    *,
    up: bool = True,
    enabled: bool = True,
    speed: float = 10000.0,
    neighbours: list[dict[str, Any]] | None = None,
) -> DeviceObservation:
    return DeviceObservation(
        host=host,
        via="snmp",
        interfaces={port: {"is_up": up, "is_enabled": enabled, "speed": speed}},
        lldp_neighbors_detail={port: neighbours} if neighbours else {},
    )


def judge(observations: dict[str, DeviceObservation], failures: dict[str, DeviceFailure] | None = None):
    return judge_links({LINK.id: LINK}, observations, failures or {}, DEVICES)[LINK.id]


def test_up_when_both_ends_see_each_other_across_name_forms() -> None:
    # FQDN and upper case on one side, abbreviated interface name on the other
    core = obs("core-01", "GigabitEthernet0/1", neighbours=[nb("EDGE-01.batam.go.id", "sfp-sfpplus1")])
    edge = obs("edge-01", "sfp-sfpplus1", neighbours=[nb("core-01", "Gi0/1")])
    verdict = judge({"core-01": core, "edge-01": edge})
    assert verdict.state == LinkState.up
    assert verdict.reason == "LLDP both ways"
    assert verdict.speed_mbps == 10000.0


def test_up_seen_from_one_side_names_the_silent_end() -> None:
    core = obs("core-01", "GigabitEthernet0/1", neighbours=[nb("edge-01", "x", descr="sfp-sfpplus1")])
    verdict = judge(
        {"core-01": core},
        {
            "edge-01": DeviceFailure(
                host="edge-01", via="snmp", reason=FailureReason.timeout, message="no response"
            )
        },
    )
    assert verdict.state == LinkState.up
    assert "LLDP from core-01 only" in verdict.reason and "edge-01 did not answer (timeout)" in verdict.reason


def test_down_when_an_end_is_oper_down() -> None:
    core = obs("core-01", "GigabitEthernet0/1", up=False)
    edge = obs("edge-01", "sfp-sfpplus1", up=False)
    verdict = judge({"core-01": core, "edge-01": edge})
    assert verdict.state == LinkState.down
    assert verdict.reason == "core-01 Gi0/1 oper down; edge-01 sfp-sfpplus1 oper down"


def test_admin_down_is_down_with_its_own_reason() -> None:
    verdict = judge({"core-01": obs("core-01", "GigabitEthernet0/1", up=False, enabled=False)})
    assert verdict.state == LinkState.down and "admin down" in verdict.reason


def test_mismatched_when_the_far_end_is_someone_else() -> None:
    core = obs("core-01", "GigabitEthernet0/1", neighbours=[nb("edge-02", "sfp-sfpplus1")])
    edge = obs("edge-01", "sfp-sfpplus1")
    verdict = judge({"core-01": core, "edge-01": edge})
    assert verdict.state == LinkState.mismatched
    assert verdict.reason == "core-01 Gi0/1 sees edge-02 sfp-sfpplus1, declared edge-01 sfp-sfpplus1"


def test_mismatched_when_the_far_device_answers_on_another_port() -> None:
    core = obs("core-01", "GigabitEthernet0/1", neighbours=[nb("edge-01", "sfp-sfpplus2")])
    assert judge({"core-01": core}).state == LinkState.mismatched


def test_unseen_when_ports_are_up_but_lldp_is_silent() -> None:
    verdict = judge(
        {"core-01": obs("core-01", "GigabitEthernet0/1"), "edge-01": obs("edge-01", "sfp-sfpplus1")}
    )
    assert verdict.state == LinkState.unseen
    assert verdict.reason.startswith("no LLDP adjacency seen")


def test_unseen_when_neither_end_answers() -> None:
    dead = {
        d: DeviceFailure(host=d, via="snmp", reason=FailureReason.timeout, message="no response")
        for d in ("core-01", "edge-01")
    }
    verdict = judge({}, dead)
    assert verdict.state == LinkState.unseen
    assert verdict.reason.startswith("neither end answered")


def test_unseen_when_the_declared_port_is_not_on_the_device() -> None:
    verdict = judge({"core-01": obs("core-01", "GigabitEthernet0/2")})
    assert verdict.state == LinkState.unseen and "core-01 reports no interface Gi0/1" in verdict.reason


def test_links_outside_the_sweep_are_not_judged() -> None:
    assert judge_links({LINK.id: LINK}, {"edge-02": obs("edge-02", "x")}, {}, DEVICES) == {}


def test_speed_below_capacity_is_reported_on_an_up_link() -> None:
    core = obs("core-01", "GigabitEthernet0/1", speed=1000.0, neighbours=[nb("edge-01", "sfp-sfpplus1")])
    verdict = judge({"core-01": core})
    assert verdict.state == LinkState.up and "speed 1000 Mb/s below capacity 10000" in verdict.reason


def test_new_adjacency_reported_once_and_declared_ones_not_at_all() -> None:
    core = DeviceObservation(
        host="core-01",
        via="snmp",
        lldp_neighbors_detail={
            "GigabitEthernet0/1": [nb("edge-01", "sfp-sfpplus1")],  # declared
            "GigabitEthernet0/2": [nb("edge-02.batam.go.id", "ether5")],
        },
    )  # not declared
    edge2 = DeviceObservation(
        host="edge-02", via="snmp", lldp_neighbors_detail={"ether5": [nb("core-01", "Gi0/2")]}
    )  # same adjacency, seen back
    found = new_adjacencies({LINK.id: LINK}, {"core-01": core, "edge-02": edge2}, DEVICES)
    assert [(n.a_device, n.a_interface, n.b_device, n.b_interface) for n in found] == [
        ("core-01", "GigabitEthernet0/2", "edge-02", "ether5")
    ]


@pytest.mark.parametrize("name", ["", None])
def test_neighbour_without_any_identity_is_not_an_adjacency(name: str | None) -> None:
    core = DeviceObservation(
        host="core-01",
        via="snmp",
        lldp_neighbors_detail={"Ethernet9": [{"remote_system_name": name, "remote_port": ""}]},
    )
    assert new_adjacencies({}, {"core-01": core}, DEVICES) == []
