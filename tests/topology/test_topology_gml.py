"""GML input: every Topology Zoo GML file gives the graph of its GraphML twin; bad GML is one clear error."""
from __future__ import annotations

from pathlib import Path

import pytest

from netops.analysis.redundancy import check_topology
from netops.errors import InputError
from netops.sources.gml import load_gml
from netops.sources.graphml import load_graphml
from netops.sources.topology_file import load_topology_file
from netops.sources.topology_graph import MAX_TOPOLOGY_BYTES
from tests.conftest import SHARED_DATA
from tests.graph_helpers import graph_articulation_points, graph_bridges

ZOO_GML = sorted((SHARED_DATA / "topologyzoo" / "gml").glob("*.gml"))


def _twin(path: Path) -> Path:
    return path.parent.parent / "graphml" / f"{path.stem}.graphml"


def test_every_gml_file_has_a_graphml_twin(shared_data):
    assert len(ZOO_GML) >= 10 and all(_twin(p).exists() for p in ZOO_GML)


@pytest.mark.parametrize("path", ZOO_GML, ids=lambda p: p.stem)
def test_gml_equals_its_graphml_twin(shared_data, path: Path):
    gml, graphml = load_gml(path), load_graphml(_twin(path))
    assert sorted(gml.nodes) == sorted(graphml.nodes)
    assert sorted(tuple(sorted((u, v))) for u, v in gml.edges()) == \
        sorted(tuple(sorted((u, v))) for u, v in graphml.edges())
    assert graph_bridges(gml) == graph_bridges(graphml)
    assert graph_articulation_points(gml) == graph_articulation_points(graphml)
    assert {n: d["label"] for n, d in gml.nodes(data=True)} == {n: d["label"] for n, d in graphml.nodes(data=True)}
    assert gml.graph["core"] == graphml.graph["core"]
    # the same repairs, so the same warnings (but for the format's name)
    assert [w.replace("GML", "X") for w in gml.graph["warnings"]] == \
        [w.replace("GraphML", "X") for w in graphml.graph["warnings"]]
    gml_check, graphml_check = check_topology(gml), check_topology(graphml)
    assert {c: r.verdict for c, r in gml_check.pds.items()} == {c: r.verdict for c, r in graphml_check.pds.items()}


def test_zoo_quirks_survive_in_gml(shared_data):
    """Parallel edges without `multigraph 1` and duplicate labels are warnings, as in GraphML."""
    warnings = [w for p in ZOO_GML for w in load_gml(p).graph["warnings"]]
    assert any("parallel edges" in w for w in warnings)
    assert any("duplicate labels" in w for w in warnings)


QUIRKS_GML = """# a comment
graph [
  node [ id 0 label "Hub" role "core" ]
  node [ id 1 label "Town" Latitude 1.0 Longitude 104.0 ]
  node [ id 2 label "Town" Latitude 1.01 Longitude 104.0 ]
  node [ id 3 label "Sp&#252;r" graphics [ x 1.5 y -2e3 ] ]
  edge [ source 0 target 1 ducts "T1" ]
  edge [ source 0 target 1 ducts "T1" ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 0 ducts "T2" ]
  edge [ source 2 target 2 ]
  edge [ source 2 target 3 id "fibre-9" LinkSpeedRaw 10000000000 ]
]
"""


def test_quirks_of_a_handwritten_gml(tmp_path: Path):
    path = tmp_path / "city.gml"
    path.write_text(QUIRKS_GML)
    g = load_topology_file(path)
    text = " | ".join(g.graph["warnings"])
    assert "parallel edges" in text and "self-loop" in text and "duplicate labels Town" in text
    assert g.graph["core"] == ["0"] and g.number_of_edges("0", "1") == 2
    assert g.nodes["3"]["label"] == "Spür"
    assert g.edges["2", "3", "fibre-9"]["capacity_mbps"] == 10_000
    assert 1_000 < g.edges["1", "2", "1-2"]["length_m"] < 1_200      # 0.01 degree of latitude from GPS
    assert set(g.graph["ducts"]) == {"T1", "T2"}


@pytest.mark.parametrize("content, line, message", [
    ("graph [\n node [ id 1 ]\n", 1, "never closed"),
    ("graph [\n node [ id 1 ] ]\n]\n", 3, "expected a key"),
    ("graph [\n node [ id 1 label ]\n]", 2, "expected a value"),
    ("graph [\n node [ id @ ]\n]", 2, "unexpected character"),
    ("Creator \"x\"\n", None, "not a GML topology"),
    ("graph [ " + "a [ " * 40 + "]" * 41, 1, "nested deeper"),
    ("graph [ node [ id 1 ] label", 1, "without a value"),
])
def test_bad_gml_is_one_clear_error_with_its_line(tmp_path: Path, content: str, line: int | None, message: str):
    path = tmp_path / "bad.gml"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as caught:
        load_topology_file(path)
    assert caught.value.issues[0].line == line and caught.value.issues[0].file == str(path)


def test_format_is_sniffed_when_the_suffix_says_nothing(tmp_path: Path):
    gml, xml = tmp_path / "a.txt", tmp_path / "b.txt"
    gml.write_text(QUIRKS_GML)
    xml.write_text("<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><graph>"
                   "<node id='a'/><node id='b'/><edge source='a' target='b'/></graph></graphml>")
    assert load_topology_file(gml).graph["source"] == "gml:a.txt"
    assert load_topology_file(xml).graph["source"] == "graphml:b.txt"


@pytest.mark.parametrize("suffix", [".gml", ".graphml"])
def test_oversized_topology_is_refused_unread(tmp_path: Path, suffix: str):
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as handle:
        handle.truncate(MAX_TOPOLOGY_BYTES + 1)
    with pytest.raises(InputError, match="topology files that large are refused"):
        load_topology_file(path)


def test_graphml_topology_refuses_a_dtd(tmp_path: Path):
    path = tmp_path / "dtd.graphml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE graphml SYSTEM "x.dtd"><graphml><graph/></graphml>')
    with pytest.raises(InputError, match="declares a DTD"):
        load_topology_file(path)


def test_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="is a folder, not a file"):
        load_topology_file(tmp_path)
