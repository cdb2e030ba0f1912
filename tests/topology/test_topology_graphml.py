"""GraphML input: every Topology Zoo file against NetworkX and brute force; quirks become warnings."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from netops.analysis.redundancy import check_topology
from netops.errors import InputError
from netops.sources.graphml import load_graphml
from tests.conftest import REPO, SHARED_DATA
from tests.graph_helpers import graph_articulation_points, graph_bridges

ZOO = sorted((SHARED_DATA / "topologyzoo" / "graphml").glob("*.graphml"))
QUIRKS = REPO / "tests" / "fixtures" / "graphml" / "quirks.graphml"


def _simple(g: nx.MultiGraph) -> nx.Graph:
    s = nx.Graph(g)
    s.remove_edges_from(list(nx.selfloop_edges(s)))
    return s


def _brute_force_bridges(g: nx.MultiGraph) -> list[tuple[str, str]]:
    base = nx.number_connected_components(g)
    out = []
    for u, v, k in g.edges(keys=True):
        h = g.copy()
        h.remove_edge(u, v, k)
        if nx.number_connected_components(h) > base:
            out.append(tuple(sorted((u, v))))
    return sorted(out)


def test_zoo_files_are_present(shared_data):
    assert len(ZOO) >= 10


@pytest.mark.parametrize("path", ZOO, ids=lambda p: p.stem)
def test_zoo_simple_graph_matches_networkx(shared_data, path: Path):
    simple = nx.Graph(_simple(load_graphml(path)))
    g = nx.MultiGraph(simple)
    g.graph.update(core=[], pds={})
    assert graph_bridges(g) == sorted(tuple(sorted(e)) for e in nx.bridges(simple))
    assert graph_articulation_points(g) == sorted(nx.articulation_points(simple))


@pytest.mark.parametrize("path", ZOO, ids=lambda p: p.stem)
def test_zoo_multigraph_matches_brute_force(shared_data, path: Path):
    g = load_graphml(path)
    assert graph_bridges(g) == _brute_force_bridges(g)
    assert graph_articulation_points(g) == sorted(nx.articulation_points(_simple(g)))
    twins = {tuple(sorted((u, v))) for u, v, k in g.edges(keys=True) if g.number_of_edges(u, v) > 1}
    simple_bridges = {tuple(sorted(e)) for e in nx.bridges(_simple(g))}
    assert not twins & set(graph_bridges(g))            # a fibre with a parallel twin is never a bridge
    assert set(graph_bridges(g)) == simple_bridges - twins


@pytest.mark.parametrize("path", ZOO, ids=lambda p: p.stem)
def test_zoo_check_runs(shared_data, path: Path):
    g = load_graphml(path)
    result = check_topology(g)
    assert result.core and len(result.pds) == len(g) - len(result.core)
    cut_by_bridge = {pd for b in result.bridges for pd in b.pds}
    single = {code for code, r in result.pds.items() if r.edge_disjoint == 1}
    assert cut_by_bridge == single


def test_quirks_become_warnings_not_crashes():
    g = load_graphml(QUIRKS)
    text = " | ".join(g.graph["warnings"])
    assert "parallel edges" in text and "self-loop" in text and "duplicate labels Town" in text
    assert "ghost" in text and "ghost" in g
    assert g.number_of_edges("a", "b") == 2 and not g.has_edge("c", "c")
    assert g.graph["core"] == ["a"]                       # role=core in the file
    assert g.nodes["b"]["label"] == "Town" and g.nodes["c"]["label"] == "Town"
    result = check_topology(g)
    assert sorted(tuple(b.ends) for b in result.bridges) == [("c", "d"), ("d", "ghost")]
    assert result.duct_spofs == []                        # T1 holds both a-b twins, but b-c-a survives
    assert result.pds["b"].min_ducts == 2 and result.pds["b"].verdict.value == "diverse"
    assert result.pds["d"].verdict.value == "single-homed"


@pytest.mark.parametrize("content, message", [
    ("<graphml><graph><node id='a'></graph></graphml>", "not well-formed"),
    ("<notgraphml/>", "not GraphML"),
    ('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><graphml>&b;</graphml>', "declares a DTD"),
])
def test_bad_xml_is_one_clear_error(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.graphml"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_graphml(path)


def test_unknown_core_is_an_error():
    with pytest.raises(InputError, match="no node with id"):
        load_graphml(QUIRKS, core=["zz"])
