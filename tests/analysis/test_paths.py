"""Routes from the Pusat Data core to a PD, with every fibre and duct."""
from __future__ import annotations

import pytest

from netops.analysis.paths import pd_routes
from netops.errors import NotFoundError


def test_mpp_primary_and_backup_share_duct_ep01(sample_graph):
    routes = pd_routes(sample_graph, "MPP")
    assert len(routes) == 2
    primary, backup = routes
    assert primary.start in sample_graph.graph["core"] and primary.end == "edge-mpp-01"
    assert primary.cables == ["BTM-FO-0022"] and primary.length_m == 900
    assert not set(primary.cables) & set(backup.cables)
    assert all("DCT-EP-01" in {d for h in r.hops for d in h.ducts} for r in routes)
    hop = primary.hops[0]
    assert (hop.a, hop.b, hop.capacity_mbps) == ("core-pd-02", "edge-mpp-01", 1000)


def test_transit_pd_path_runs_through_the_transit_router(sample_graph):
    routes = pd_routes(sample_graph, "PKM-BELAKANGPADANG")
    assert len(routes) == 1
    assert [h.b for h in routes[0].hops][-2:] == ["edge-kec-belakangpadang-01", "edge-pkm-belakangpadang-01"]
    assert {"DCT-SKP-SUB-01", "DCT-BLP-01"} <= {d for h in routes[0].hops for d in h.ducts}


def test_to_a_device_behind_the_edge(sample_graph):
    switch = next(n for n, d in sample_graph.nodes(data=True) if d["pd"] == "BAPENDA" and d["role"] == "access-switch")
    routes = pd_routes(sample_graph, "BAPENDA", to=switch)
    assert routes and routes[0].end == switch


def test_unknown_pd_or_device():
    import networkx as nx
    g = nx.MultiGraph(pds={"X": {"routers": []}}, core=[])
    with pytest.raises(NotFoundError):
        pd_routes(g, "NOPE")
    with pytest.raises(NotFoundError):
        pd_routes(g, "X", to="ghost")
