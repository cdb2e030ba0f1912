"""Duct SPOFs on the sample city by name, and the minimum duct cut against exhaustive search."""
from __future__ import annotations

import itertools

import networkx as nx
import pytest

from netops.analysis.cuts import FailureEngine
from netops.analysis.ducts import DuctSearch, duct_spofs
from netops.analysis.redundancy import check_topology, structure

DUCT_SPOFS = {  # duct: (PDs it isolates, of which no single fibre would: the hidden risk)
    "DCT-WK-RISER-A": ({"BPKAD"}, set()),
    "DCT-EP-01": ({"DPMPTSP", "MPP", "SETWAN"}, {"DPMPTSP", "MPP", "SETWAN"}),
    "DCT-EP-02": ({"DISPUSIP", "INSPEKTORAT", "BAPPELITBANGDA"}, {"BAPPELITBANGDA"}),
    "DCT-BTC-03": ({"KESBANGPOL"}, set()),
    "DCT-BTC-04": ({"BKPSDM", "DISDIK"}, {"DISDIK"}),
    "DCT-BTC-05": ({"DBMSDA", "PKM-BALOIPERMAI"}, set()),
    "DCT-BLN-01": ({"PKM-BOTANIA"}, set()),
    "DCT-BKG-01": ({"DINSOS", "DP3AP2KB", "PKM-TANJUNGBUNTUNG"}, set()),
    "DCT-BKG-02": ({"PKM-SEIPANAS", "DISHUB"}, {"DISHUB"}),
    "DCT-BTA-01": ({"PKM-BATUAMPAR"}, set()),
    "DCT-BTA-02": ({"PKM-TANJUNGSENGKUANG"}, set()),
    "DCT-LBJ-01": ({"DISKOPUKM", "PKM-LUBUKBAJA"}, set()),
    "DCT-LBJ-02": ({"DISBUDPAR", "DISPERINDAG"}, {"DISBUDPAR", "DISPERINDAG"}),
    "DCT-SKP-01": ({"PKM-SEKUPANG", "DLH"}, {"DLH"}),
    "DCT-SKP-02": ({"KEC-BELAKANGPADANG", "PKM-BELAKANGPADANG", "UPT-PKB"}, set()),
    "DCT-SKP-SUB-01": ({"KEC-BELAKANGPADANG", "PKM-BELAKANGPADANG"}, set()),
    "DCT-BLP-01": ({"KEC-BELAKANGPADANG", "PKM-BELAKANGPADANG"}, set()),
    "DCT-BAJ-01": ({"PKM-TANJUNGUNCANG", "LABKESDA"}, {"LABKESDA"}),
    "DCT-BAJ-02": ({"PKM-BATUAJI"}, set()),
    "DCT-SGL-01": ({"KEC-BULANG", "PKM-SEILANGKAI"}, set()),
    "DCT-BLG-SUB-01": ({"KEC-BULANG"}, set()),
    "DCT-BRL-01": ({"KEC-GALANG", "PKM-GALANG"}, set()),
    "DCT-SBD-01": ({"PKM-SEILEKOP"}, set()),
    "DCT-SBD-02": ({"DISPORA"}, set()),
    "DCT-NGS-02": ({"PKM-SAMBAU"}, set()),
    "DCT-KBL-01": ({"PKM-KABIL"}, set()),
}


def test_sample_city_duct_spofs_by_name(sample_graph):
    result = check_topology(sample_graph)
    got = {d.duct: (set(d.pds), set(d.hidden)) for d in result.duct_spofs}
    assert got == DUCT_SPOFS
    # the ring ducts never isolate anyone on their own
    assert not {d for d in got if d.startswith("DCT-RING-")}


def test_sample_city_min_ducts(sample_graph):
    result = check_topology(sample_graph, duct_bound=3)
    assert result.pds["MPP"].min_ducts == 1 and result.pds["MPP"].min_duct_set == ["DCT-EP-01"]
    assert result.pds["RSUD"].min_ducts == 2
    assert sorted(result.pds["DISKOMINFO"].min_duct_set) == ["DCT-WK-RISER-A", "DCT-WK-RISER-B"]
    batamkota = result.pds["KEC-BATAMKOTA"]  # in-building fibre to the ring + ring: more than 3 ducts
    assert batamkota.min_ducts is None and batamkota.duct_search_bounded


def _isolates(g: nx.MultiGraph, ducts: tuple[str, ...], router: str) -> bool:
    h = g.copy()
    h.remove_edges_from([(u, v, k) for u, v, k, d in g.edges(keys=True, data="ducts") if set(d) & set(ducts)])
    return not any(nx.has_path(h, c, router) for c in g.graph["core"])


@pytest.mark.parametrize("seed", range(40))
def test_min_ducts_matches_exhaustive_search(make_random_city, seed):
    g = make_random_city(seed, nodes=10, ducts=6)
    engine = FailureEngine(g)
    spofs = duct_spofs(engine, structure(engine).bridges)
    first = {pd: s.duct for s in reversed(spofs) for pd in s.pds}
    search = DuctSearch(engine, bound=3)
    everything = tuple(g.graph["ducts"])
    for code, pd in g.graph["pds"].items():
        router = pd["routers"][0]
        if router in g.graph["core"]:
            continue
        got = search.minimum(code, first.get(code))
        expected = next((k for k in range(4) for combo in itertools.combinations(everything, k)
                         if _isolates(g, combo, router)), None)
        if expected is not None:
            assert got.count == expected, code
            assert _isolates(g, tuple(got.ducts), router)
        else:
            assert got.count is None
            assert got.bounded == _isolates(g, everything, router), code
