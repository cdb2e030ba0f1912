"""The readers on real-shaped files: diagrams.net files (inline, compressed, multi-page, hand-drawn),
N2G's GraphML drawings, CSV from a spreadsheet, and the canonical YAML with its JSON Schema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from netops.app.diagrams import SCHEMA_PATH, diagram_json_schema
from netops.errors import InputError
from netops.models.diagram import Role
from netops.sources.diagrams import read_diagram, read_diagram_file
from netops.sources.diagrams.common import clean_label, split_pair
from tests.diagrams.conftest import PD, SAMPLES, declared_lan, sample_inventory

N2G = "lab_topologies/n2g/expected/should_be_test_cdp_drawing_yed_data_path_cisco_{}.graphml"


def _links(diagram) -> set[tuple[tuple[str, str | None], ...]]:  # type: ignore[no-untyped-def]
    return {tuple(sorted(((lk.a.device, lk.a.interface), (lk.b.device, lk.b.interface)))) for lk in diagram.links}


@pytest.mark.parametrize("name", ["2025-03-10-lan-disdukcapil.yaml", "2025-03-10-lan-disdukcapil.drawio",
                                  "2025-03-10-lan-disdukcapil-compressed.drawio",
                                  "2025-03-10-lan-disdukcapil.graphml"])
def test_matching_sample_reads_as_the_inventory_declares(name: str) -> None:
    read = read_diagram_file(SAMPLES / PD / name)
    want = declared_lan(sample_inventory(), PD)
    assert _links(read.diagram) == _links(want)
    assert {(d.name, d.role, d.model, d.mgmt_ip) for d in read.diagram.devices} == \
        {(d.name, d.role, d.model, d.mgmt_ip) for d in want.devices}


def test_compressed_and_inline_drawio_are_the_same_diagram() -> None:
    inline = read_diagram_file(SAMPLES / PD / "2025-03-10-lan-disdukcapil.drawio")
    packed = read_diagram_file(SAMPLES / PD / "2025-03-10-lan-disdukcapil-compressed.drawio")
    assert inline.diagram == packed.diagram and b"<mxGraphModel" not in \
        (SAMPLES / PD / "2025-03-10-lan-disdukcapil-compressed.drawio").read_bytes()


def test_hand_drawn_multi_page_drawio() -> None:
    read = read_diagram_file(SAMPLES / "KEC-BATAMKOTA" / "2025-07-01-lan-kecamatan-batamkota-gambar-tangan.drawio")
    devices = {d.name: d for d in read.diagram.devices}
    assert set(devices) == {"edge-kec-batamkota-01", "sw-kec-batamkota-01", "ap-kec-batamkota-011"}
    edge = devices["edge-kec-batamkota-01"]   # HTML label: first line is the name, an IP line the address
    assert (str(edge.mgmt_ip), edge.role, edge.serial) == ("198.19.0.58", Role.pd_edge, "FDO44001052")
    assert devices["ap-kec-batamkota-011"].role == Role.ap   # "access point" from a UserObject property
    assert _links(read.diagram) == {
        (("edge-kec-batamkota-01", "Gi0/1/0"), ("sw-kec-batamkota-01", "ether1")),   # label on the line itself
        (("ap-kec-batamkota-011", "ether1"), ("sw-kec-batamkota-01", "ether2")),     # labels near each end
    }
    assert any("group/container 'Ruang Server Lt. 1' ignored" in n for n in read.notes)
    assert any("Keterangan" in n and "ignored" in n for n in read.notes)
    assert any("ke Pusat Data" in n for n in read.notes)


@pytest.mark.parametrize("variant,links,devices", [("nxos_base", 9, 9), ("nxos_combine_peers", 9, 9),
                                                   ("ios_nxos_all", 13, 13)])
def test_n2g_graphml(shared_data: Path, variant: str, links: int, devices: int) -> None:
    read = read_diagram_file(shared_data / N2G.format(variant))
    assert (len(read.diagram.links), len(read.diagram.devices)) == (links, devices)
    switch = read.diagram.device("nxos_switch_1")
    assert switch is not None and str(switch.mgmt_ip) == "10.1.1.1" and switch.model == "N77-C7711"
    assert (("nxos_switch_1", "Eth5/1"), ("nxos_switch_2", "Eth2/29")) in _links(read.diagram)
    assert {v.id for v in read.diagram.vlans} >= {2122, 4, 777}


def test_n2g_combined_peers_equal_the_plain_drawing(shared_data: Path) -> None:
    base = read_diagram_file(shared_data / N2G.format("nxos_base"))
    combined = read_diagram_file(shared_data / N2G.format("nxos_combine_peers"))
    assert _links(base.diagram) == _links(combined.diagram)


def test_csv_with_semicolons_bom_and_device_columns() -> None:
    data = ("\ufeffperangkat_a;port_a;perangkat_b;port_b;kecepatan_mbps;a_serial;b_ip\n"
            "edge-01;ether2;sw-01;Gi0/1;1G;HF123;198.19.0.9\n"
            "sw-spare;;;;;;\n").encode("utf-8")
    read = read_diagram(data, "lan.csv")
    assert read.diagram.links[0].speed_mbps == 1000
    assert read.diagram.device("edge-01").serial == "HF123"          # type: ignore[union-attr]
    assert str(read.diagram.device("sw-01").mgmt_ip) == "198.19.0.9"  # type: ignore[union-attr]
    assert read.diagram.device("sw-spare") is not None


def test_utf16_csv_from_excel() -> None:
    read = read_diagram("a_device,a_interface,b_device,b_interface\nr1,e1,s1,g1\n".encode("utf-16"), "lan.csv")
    assert len(read.diagram.links) == 1


@pytest.mark.parametrize("text,line,field", [
    ("devices:\n  - name: sw-01\n    rol: switch\n", 3, "devices[0].rol"),
    ("devices:\n  - name: sw-01\nlinks:\n  - a: {device: sw-01}\n    b: {device: sw-09}\n", 4, "links[0]"),
    ("devices:\n  - name: sw-01\n    mgmt_ip: 10.0.0.300\n", 3, "devices[0].mgmt_ip"),
    ("devices: [\n", 2, "(syntax)"),
])
def test_yaml_errors_name_line_and_field(text: str, line: int | None, field: str) -> None:
    with pytest.raises(InputError) as caught:
        read_diagram(text.encode(), "lan.yaml")
    issue = caught.value.issues[0]
    assert (issue.line, issue.field) == (line, field), str(caught.value)


def test_labels_and_pairs() -> None:
    assert clean_label("<div><b>sw-01</b></div><div>10.0.0.2&nbsp;</div>") == "sw-01\n10.0.0.2"
    assert split_pair("Gi0/1 - ether2") == ("Gi0/1", "ether2")
    assert split_pair("Gi0/1 <-> ether2") == ("Gi0/1", "ether2")
    assert split_pair("sfp-sfpplus1") is None


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text() == diagram_json_schema(), "run: netops diagram schema --output " + str(SCHEMA_PATH)
    schema = json.loads(SCHEMA_PATH.read_text())
    assert set(schema["properties"]) >= {"pd", "devices", "links", "vlans"}
