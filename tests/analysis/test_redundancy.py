"""Bridges, articulation points, disjoint paths and verdicts: on the sample city by name, and
against independent computations (brute force, NetworkX max-flow) on random multigraphs."""
from __future__ import annotations

import networkx as nx
import pytest

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import (
    Verdict,
    check_topology,
    path_counts,
    structure,
)
from netops.config import Policy
from tests.graph_helpers import graph_articulation_points, graph_bridges

SINGLE_HOMED = {
    "BPKAD", "INSPEKTORAT", "DISPUSIP", "BKPSDM", "KESBANGPOL", "PKM-BOTANIA", "DBMSDA", "PKM-BALOIPERMAI",
    "PKM-SEIPANAS", "KEC-BENGKONG", "DINSOS", "DP3AP2KB", "PKM-TANJUNGBUNTUNG", "KEC-BATUAMPAR", "PKM-BATUAMPAR",
    "PKM-TANJUNGSENGKUANG", "KEC-LUBUKBAJA", "PKM-LUBUKBAJA", "DISKOPUKM", "KEC-SEKUPANG", "PKM-SEKUPANG", "UPT-PKB",
    "KEC-BELAKANGPADANG", "PKM-BELAKANGPADANG", "KEC-BATUAJI", "PKM-BATUAJI", "PKM-TANJUNGUNCANG", "KEC-SAGULUNG",
    "PKM-SEILANGKAI", "KEC-BULANG", "KEC-SEIBEDUK", "PKM-SEILEKOP", "DISPORA", "KEC-GALANG", "PKM-GALANG",
    "PKM-SAMBAU", "PKM-KABIL"}
SHARED_DUCT = {"SETWAN", "MPP", "DPMPTSP", "BAPPELITBANGDA", "DISDIK", "DISHUB", "DISPERINDAG", "DISBUDPAR", "DLH",
               "LABKESDA"}
DIVERSE = {"DISKOMINFO", "SETDA", "BAPENDA", "DISPERKIM", "DISCIPTARU", "DISDUKCAPIL", "KEC-BATAMKOTA", "DINKES",
           "SATPOLPP", "DISKAN", "DAMKAR", "DISNAKER", "RSUD", "DKPP", "BPBD", "KEC-NONGSA"}
TRANSIT_POINTS = {  # routers whose loss cuts off other PDs
    "core-pd-01": {"BPKAD"}, "core-pd-02": {"DISPUSIP", "INSPEKTORAT", "PKM-BOTANIA"},
    "dist-batamcentre": {"BKPSDM", "DBMSDA", "KESBANGPOL", "PKM-BALOIPERMAI"},
    "dist-batuaji": {"KEC-BATUAJI", "PKM-BATUAJI", "PKM-TANJUNGUNCANG"},
    "dist-batuampar": {"KEC-BATUAMPAR", "PKM-BATUAMPAR", "PKM-TANJUNGSENGKUANG"},
    "dist-bengkong": {"DINSOS", "DP3AP2KB", "KEC-BENGKONG", "PKM-SEIPANAS", "PKM-TANJUNGBUNTUNG"},
    "dist-lubukbaja": {"DISKOPUKM", "KEC-LUBUKBAJA", "PKM-LUBUKBAJA"}, "dist-nongsa": {"PKM-SAMBAU"},
    "dist-sagulung": {"KEC-BULANG", "KEC-SAGULUNG", "PKM-SEILANGKAI"},
    "dist-seibeduk": {"DISPORA", "KEC-GALANG", "KEC-SEIBEDUK", "PKM-GALANG", "PKM-KABIL", "PKM-SEILEKOP"},
    "dist-sekupang": {"KEC-BELAKANGPADANG", "KEC-SEKUPANG", "PKM-BELAKANGPADANG", "PKM-SEKUPANG", "UPT-PKB"},
    "edge-kec-belakangpadang-01": {"PKM-BELAKANGPADANG"},
}


def verdicts(result, verdict: Verdict) -> set[str]:
    return {code for code, risk in result.pds.items() if risk.verdict == verdict}


def test_sample_city_verdicts_by_name(sample_graph):
    result = check_topology(sample_graph)
    assert verdicts(result, Verdict.single_homed) == SINGLE_HOMED
    assert verdicts(result, Verdict.shared_duct) == SHARED_DUCT
    assert verdicts(result, Verdict.diverse) == DIVERSE
    assert not verdicts(result, Verdict.isolated)


def test_sample_city_bridges_cut_exactly_the_single_homed(sample_graph):
    result = check_topology(sample_graph)
    cut = {pd for b in result.bridges for pd in b.pds}
    assert cut == SINGLE_HOMED
    by_cable = {b.name: set(b.pds) for b in result.bridges}
    assert by_cable["BTM-FO-0079"] == {"KEC-BELAKANGPADANG", "PKM-BELAKANGPADANG"}
    assert by_cable["BTM-FO-0019"] == {"BPKAD"}
    assert "BTM-FO-0001" not in by_cable  # the two in-room core fibres are twins


def test_sample_city_transit_routers(sample_graph):
    result = check_topology(sample_graph)
    transit = {a.name: set(a.pds) for a in result.articulation_points if a.pds}
    assert transit == TRANSIT_POINTS
    assert result.articulation_points[0].name == "dist-seibeduk"  # ranked by impact


def test_sample_city_core_is_the_pusat_data(sample_graph):
    assert set(sample_graph.graph["core"]) >= {"core-pd-01", "core-pd-02"}
    assert all(sample_graph.nodes[c]["site"] == "pusat-data" for c in sample_graph.graph["core"])


def test_policy_violation_names_mpp(sample_graph):
    policy = Policy(name="hospitals-and-public-service-must-be-diverse", pd_kinds=["rsud", "mpp"], require="diverse")
    result = check_topology(sample_graph, [policy])
    assert [(v.pd, v.verdict) for v in result.violations] == [("MPP", "dual-homed-shared-duct")]
    relaxed = Policy(name="dual", pd_kinds=["rsud", "mpp"], require="dual-homed-shared-duct")
    assert check_topology(sample_graph, [relaxed]).violations == []


def _brute_bridges(g: nx.MultiGraph) -> list[tuple[str, str]]:
    base = nx.number_connected_components(g)
    out = []
    for u, v, k in g.edges(keys=True):
        if u != v:
            h = g.copy()
            h.remove_edge(u, v, k)
            if nx.number_connected_components(h) > base:
                out.append(tuple(sorted((u, v))))
    return sorted(out)


@pytest.mark.parametrize("seed", range(40))
def test_bridges_and_points_match_brute_force(make_random_city, seed):
    g = make_random_city(seed)
    assert graph_bridges(g) == _brute_bridges(g)
    simple = nx.Graph(g)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    assert graph_articulation_points(g) == sorted(nx.articulation_points(simple))


def _flow(g: nx.MultiGraph, core: list[str], target: str, split: bool) -> int:
    """Independent count: NetworkX max-flow on a directed copy, nodes split when `split`."""
    d = nx.DiGraph()

    def arc(a, b, cap):
        d.add_edge(a, b, capacity=d.get_edge_data(a, b, {"capacity": 0})["capacity"] + cap)
    ends = set(core) | {target}
    for v in g:
        arc(("in", v), ("out", v), 1 if split and v not in ends else 10**6)
    for u, v, _ in g.edges(keys=True):
        if u != v:
            arc(("out", u), ("in", v), 1)
            arc(("out", v), ("in", u), 1)
    for c in core:
        arc("S", ("in", c), 10**6)
    return int(nx.maximum_flow_value(d, "S", ("out", target)))


@pytest.mark.parametrize("seed", range(30))
def test_disjoint_path_counts_match_networkx_flow(make_random_city, seed):
    g = make_random_city(seed)
    engine = FailureEngine(g)
    counts = path_counts(engine, structure(engine), cap=50)
    for code, pd in g.graph["pds"].items():
        target = pd["routers"][0]
        got = counts[code]
        if target in g.graph["core"]:
            continue
        assert got.edge_disjoint == _flow(g, g.graph["core"], target, split=False), code
        assert got.node_disjoint == _flow(g, g.graph["core"], target, split=True), code
