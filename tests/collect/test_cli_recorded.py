"""ntc-templates' recorded `show lldp/cdp neighbors` outputs, through netops' CLI parser.

For every raw file of every vendor in ../shared/data/ntc_templates, the collector's parser
(TextFSM + normalisation) must give the same lldp_neighbors_detail as the normalisation of
ntc-templates' own expected parse; spot checks pin what the normalisation itself must say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from netops.collect.cli_collector import DIALECTS, CliDialect, neighbours_from_rows, parse_neighbours
from netops.collect.normalize import canonical_keys

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "ntc_templates"
# ntc-templates platform folder -> the inventory platform whose dialect runs that command
PLATFORMS = {
    "cisco_ios": "ios",
    "cisco_nxos": "nxos",
    "arista_eos": "eos",
    "juniper_junos": "junos",
    "huawei_vrp": "huawei_vrp",
    "mikrotik_routeros": "routeros",
}


def command_for(dialect: CliDialect, folder: str) -> str:
    return next(c for c in dialect.commands if c.lstrip("/").replace(" ", "_") == folder)


def recordings() -> list[Any]:
    return [pytest.param(raw, id=raw.stem) for raw in sorted(SHARED.glob("*/*/*.raw"))]


def parse_recording(raw: Path) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    dialect = DIALECTS[PLATFORMS[raw.parent.parent.name]]
    command = command_for(dialect, raw.parent.name)
    expected_rows = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    got = canonical_keys(parse_neighbours(dialect, command, raw.read_text()))
    return got, canonical_keys(neighbours_from_rows(command, expected_rows))


@pytest.mark.parametrize("raw", recordings())
def test_parse_of_recording_matches_expected_parse(shared_data: Path, raw: Path) -> None:
    got, expected = parse_recording(raw)
    assert got == expected
    rows = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    assert sum(len(v) for v in got.values()) == len(
        [r for r in rows if r.get("local_interface") or r.get("interface")]
    )


def test_every_vendor_present_has_a_dialect(shared_data: Path) -> None:
    present = {p.name for p in SHARED.iterdir() if p.is_dir()}
    assert present and present <= set(PLATFORMS)
    for platform in present:
        for folder in (SHARED / platform).iterdir():
            command_for(DIALECTS[PLATFORMS[platform]], folder.name)  # raises StopIteration if not covered


def entries(raw: str) -> dict[str, list[dict[str, Any]]]:
    path = next(SHARED.glob(f"*/*/{raw}.raw"))
    return parse_recording(path)[0]


def test_mikrotik_neighbours(shared_data: Path) -> None:
    got = entries("mikrotik_routeros_ip_neighbor_print_detail")
    [n] = got["ether1"]
    assert (
        n["remote_system_name"],
        n["remote_port"],
        n["remote_chassis_id"],
        n["remote_management_address"],
    ) == ("MikroTik-Dev", "ether2", "12:34:56:78:90:AB", "10.159.1.159")
    assert n["remote_system_capab"] == ["bridge", "router"]
    assert n["remote_system_enable_capab"] == ["bridge", "wlan-access-point", "router"]


def test_ios_lldp_abbreviated_local_port_is_canonical(shared_data: Path) -> None:
    got = entries("cisco_ios_show_lldp_neighbors_detail1")
    assert "GigabitEthernet1/0/2" in got and "Gi1/0/2" not in got
    n = got["GigabitEthernet1/0/2"][0]
    assert (n["remote_port"], n["remote_port_description"], n["remote_system_capab"]) == (
        "502",
        "ge-0/0/0.0",
        ["bridge", "router"],
    )


def test_nxos_cdp_device_id_becomes_the_name(shared_data: Path) -> None:
    got = entries("cisco_nxos_show_cdp_neighbors_detail")
    assert got["Management0"][0]["remote_system_name"] == "PERIMETER"
    assert got["Management0"][0]["remote_port"] == "FastEthernet1/0/32"


def test_vrp_port_id_and_description(shared_data: Path) -> None:
    n = entries("huawei_vrp_display_lldp_neighbor")["GigabitEthernet0/0/1"][0]
    assert (n["remote_system_name"], n["remote_port"], n["remote_port_description"]) == (
        "tsa-2960-sw01",
        "Gi1/0/1",
        "GigabitEthernet1/0/1",
    )


def test_junos_brief_form(shared_data: Path) -> None:
    assert [
        (n["remote_system_name"], n["remote_port"])
        for n in entries("juniper_junos_show_lldp_neighbors")["ge-0/0/1"]
    ] == [("vmx2", "ge-0/0/1")]
