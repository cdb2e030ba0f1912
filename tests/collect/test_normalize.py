"""Canonical names and the merge of several collectors' views of one device."""

from __future__ import annotations

import pytest

from netops.collect.normalize import canonicalise, combine, merge
from netops.models.names import short_host
from netops.models.observation import DeviceFailure, DeviceObservation, FailureReason


@pytest.mark.parametrize(
    "raw,canonical",
    [
        ("Gi0/1", "GigabitEthernet0/1"),
        ("Te1/0/1", "TenGigabitEthernet1/0/1"),
        ("Eth1/1", "Ethernet1/1"),
        ("xe-0/0/0", "xe-0/0/0"),
        ("sfp-sfpplus1", "sfp-sfpplus1"),
    ],
)
def test_interface_tables_are_keyed_by_canonical_names(raw: str, canonical: str) -> None:
    obs = canonicalise(
        DeviceObservation(
            host="d",
            via="cli",
            interfaces={raw: {"is_up": True}},
            lldp_neighbors_detail={raw: []},
            facts={"interface_list": [raw]},
        )
    )
    assert list(obs.interfaces) == [canonical] and list(obs.lldp_neighbors_detail) == [canonical]
    assert obs.facts["interface_list"] == [canonical]


def test_short_host_drops_domain_and_case() -> None:
    assert short_host(" Core-01.Batam.go.id ") == "core-01"


def test_merge_prefers_the_first_collector_and_fills_its_gaps() -> None:
    snmp = DeviceObservation(
        host="d",
        via="snmp",
        facts={"serial_number": "", "vendor": "Cisco"},
        interfaces={"Gi0/1": {"is_up": True, "speed": 1000.0}},
        lldp_neighbors_detail={"Gi0/1": [{"remote_system_name": "core-01", "remote_port": "Gi0/2"}]},
    )
    cli = DeviceObservation(
        host="d",
        via="cli",
        facts={"serial_number": "FOC123", "vendor": "cisco"},
        lldp_neighbors_detail={
            "Gi0/1": [
                {"remote_system_name": "CORE-01.batam", "remote_port": "GigabitEthernet0/2"},
                {"remote_system_name": "phone-7", "remote_port": "eth0"},
            ]
        },
    )
    merged = merge([snmp, cli])
    assert merged.via == "snmp+cli"
    assert merged.facts == {"serial_number": "FOC123", "vendor": "Cisco"}
    assert merged.interfaces == snmp.interfaces
    assert [n["remote_system_name"] for n in merged.lldp_neighbors_detail["Gi0/1"]] == ["core-01", "phone-7"]


def test_combine_keeps_an_answer_over_failures_and_joins_failure_reasons() -> None:
    ok = DeviceObservation(host="d", via="napalm")
    timeout = DeviceFailure(host="d", via="snmp", reason=FailureReason.timeout, message="no response")
    auth = DeviceFailure(host="d", via="napalm", reason=FailureReason.auth, message="bad login")
    assert combine("d", [timeout, ok]) == ok
    both = combine("d", [timeout, auth])
    assert isinstance(both, DeviceFailure) and both.reason == FailureReason.timeout
    assert both.message == "no response; napalm: auth (bad login)"
