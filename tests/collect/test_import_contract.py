"""The contract every saved-output parser meets, run on one sample per parser (as NAPALM's shared getter
tests run on every driver), and a fuzz of the import path: only success or one InputError, never a crash."""
from __future__ import annotations

import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from napalm.base.models import InterfaceDict, LLDPNeighborDetailDict

from netops.collect.importers.registry import SPECS, read_device
from netops.collect.importers.saved import SavedOutput, collect_pieces
from netops.errors import InputError
from tests.conftest import REPO, SHARED_DATA

NTC, LAB, FIX = SHARED_DATA / "ntc_templates", SHARED_DATA / "lab_topologies", REPO / "tests" / "fixtures" / "imports"
N2G = LAB / "n2g" / "input" / "SAMPLE_CDP_LLDP_2"
# one sample per (platform, command, format): a new parser comes with its sample, or this test fails
SAMPLES: dict[tuple[str, str, str], Path] = {
    ("ios", "show lldp neighbors detail", "text"): NTC / "cisco_ios/show_lldp_neighbors_detail/cisco_ios_show_lldp_neighbors_detail1.raw",
    ("ios", "show cdp neighbors detail", "text"): NTC / "cisco_ios/show_cdp_neighbors_detail/cisco_ios_show_cdp_neighbors_detail.raw",
    ("ios", "show interfaces", "text"): N2G / "cisco_ios/switch1.txt",
    ("nxos", "show lldp neighbors detail", "text"): NTC / "cisco_nxos/show_lldp_neighbors_detail/cisco_nxos_show_lldp_neighbors_detail.raw",
    ("nxos", "show cdp neighbors detail", "text"): NTC / "cisco_nxos/show_cdp_neighbors_detail/cisco_nxos_show_cdp_neighbors_detail.raw",
    ("nxos", "show interface", "text"): FIX / "nxos_show_interface.txt",
    ("eos", "show lldp neighbors detail", "text"): NTC / "arista_eos/show_lldp_neighbors_detail/arista_eos_show_lldp_neighbors_detail.raw",
    ("eos", "show interfaces", "text"): FIX / "eos_show_interfaces.txt",
    ("junos", "show lldp neighbors", "text"): NTC / "juniper_junos/show_lldp_neighbors/juniper_junos_show_lldp_neighbors.raw",
    ("vrp", "display lldp neighbor", "text"): NTC / "huawei_vrp/display_lldp_neighbor/huawei_vrp_display_lldp_neighbor.raw",
    ("routeros", "/ip neighbor print detail", "text"): NTC / "mikrotik_routeros/ip_neighbor_print_detail/mikrotik_routeros_ip_neighbor_print_detail.raw",
    ("eos", "show lldp neighbors detail", "json"): SHARED_DATA / "napalm/eos/test_get_lldp_neighbors_detail/normal/show_lldp_neighbors__detail.json",
    ("nxos", "show lldp neighbors detail", "json"): FIX / "nxos_lldp_detail.json",
    ("junos", "show lldp neighbors", "json"): FIX / "junos_lldp.json",
    ("lldpd", "lldpctl", "json"): FIX / "lldpctl_keyed.json",
    ("lldpd", "lldpcli show neighbors", "json"): FIX / "lldpctl_keyed.json",
    ("lldpd", "net show lldp", "json"): FIX / "lldpctl_keyed.json",
    ("lldpd", "lldpctl", "text"): FIX / "lldpctl.txt",
    ("lldpd", "lldpcli show neighbors", "text"): FIX / "lldpctl.txt",
    ("panos", "show lldp neighbors all", "text"): LAB / "suzieq_dev/panos_text/show_lldp_neighbors_all.txt",
}
SHAPES = {"lldp_neighbors_detail": LLDPNeighborDetailDict, "interfaces": InterfaceDict}


def _text_of(spec_key: tuple[str, str, str], path: Path) -> str:
    """The sample's output for that command (a transcript is cut at its prompts)."""
    pieces, _ = collect_pieces(path, platform=spec_key[0] if spec_key[0] != "lldpd" else "linux")
    for piece in pieces:
        if not piece.command or spec_key[1].split()[-1][:3] in piece.command:
            return piece.text
    raise AssertionError(f"no piece of {path} for {spec_key}")


def test_every_parser_has_a_sample():
    assert {(s.platform, s.command, s.fmt) for s in SPECS} == set(SAMPLES)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.platform}-{s.command}-{s.fmt}")
def test_parser_output_has_napalm_shape(shared_data, spec):
    key = (spec.platform, spec.command, spec.fmt)
    parsed = spec.parse(_text_of(key, SAMPLES[key]))
    assert parsed, f"{key}: nothing parsed from its sample"
    shape = SHAPES[spec.getter]
    for port, value in parsed.items():
        assert isinstance(port, str) and port
        for item in value if spec.getter == "lldp_neighbors_detail" else [value]:
            for field, kind in typing.get_type_hints(shape).items():
                assert isinstance(item[field], typing.get_origin(kind) or kind), (port, field, item[field])
    if spec.sniff:                       # the parser recognises its own output when nothing names it
        assert spec.recognises(_text_of(key, SAMPLES[key]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.txt", "b.json", "lldp.output", "c"]),
       fmt=st.sampled_from(["auto", "suzieq", "text", "napalm-json"]))
def test_fuzzed_files_give_success_or_one_input_error(tmp_path_factory, data: bytes, name: str, fmt: str):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    try:
        pieces, _ = collect_pieces(path, fmt=fmt)
    except InputError as exc:
        assert len(str(exc).splitlines()) == 1
        return
    for host in {p.host for p in pieces}:
        read_device(host, [p for p in pieces if p.host == host])


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=2000), spec=st.sampled_from(SPECS))
def test_fuzzed_outputs_never_crash_a_parser(text: str, spec):
    piece = SavedOutput("dev", spec.platform, spec.command + (" | json" if spec.fmt == "json" else ""), text, "x", "0")
    result = read_device("dev", [piece])
    assert result.observation is not None or result.skipped
