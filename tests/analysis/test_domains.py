"""Failure domains: on the sample city by name, and against a brute-force oracle on random cities."""
from __future__ import annotations

import networkx as nx
import pytest

from netops.analysis.domains import domains_from_cuts, failure_domains
from tests.analysis.conftest import random_city


def brute_force_domains(g: nx.MultiGraph) -> set[frozenset[str]]:
    """Remove each duct's fibres, then each single fibre, from a copy; whatever no longer reaches a core
    router is one cut; overlapping cuts merge. The partition of devices (labels aside)."""
    cores = [c for c in g.graph["core"] if c in g]
    reached = set().union(*(nx.node_connected_component(g, c) for c in cores)) if cores else set()

    def cut_off(edges: list[tuple[str, str, str]]) -> set[str]:
        h = g.copy()
        h.remove_edges_from(edges)
        still = set().union(*(nx.node_connected_component(h, c) for c in cores)) if cores else set()
        return reached - still

    groups: list[set[str]] = []
    candidates = [[(u, v, k) for u, v, k, d in g.edges(keys=True, data="ducts") if duct in (d or ())]
                  for duct in g.graph.get("ducts", {})]
    candidates += [[(u, v, k)] for u, v, k in g.edges(keys=True) if u != v]
    for edges in candidates:
        nodes = cut_off(edges) if edges else set()
        if not nodes:
            continue
        touching = [grp for grp in groups if grp & nodes]
        merged = nodes.union(*touching)
        groups = [grp for grp in groups if not grp & nodes] + [merged]
    return {frozenset(grp) for grp in groups}


def partition(domains: dict[str, str]) -> set[frozenset[str]]:
    by_label: dict[str, set[str]] = {}
    for device, label in domains.items():
        by_label.setdefault(label, set()).add(device)
    return {frozenset(v) for v in by_label.values()}


@pytest.mark.parametrize("seed", range(40))
def test_domains_equal_brute_force_on_random_cities(seed: int) -> None:
    g = random_city(seed, nodes=14, ducts=5)
    assert partition(failure_domains(g)) == brute_force_domains(g)


def test_sample_city_domains_by_name(sample_graph: nx.MultiGraph) -> None:
    domains = failure_domains(sample_graph)
    assert partition(domains) == brute_force_domains(sample_graph)
    # the Engku Putri duct carries DPMPTSP, MPP and SETWAN: their routers share one domain
    ep01 = {d for d, label in domains.items() if label == "duct:DCT-EP-01"}
    assert {sample_graph.nodes[d]["pd"] for d in ep01} >= {"DPMPTSP", "MPP", "SETWAN"}
    assert not {c for c in sample_graph.graph["core"]} & set(domains)  # the core is in no domain


def test_nested_cuts_take_the_outer_label() -> None:
    cuts = [("link:F9", ["c"]), ("duct:D1", ["b", "c"]), ("link:F1", ["x"])]
    assert domains_from_cuts(cuts) == {"b": "duct:D1", "c": "duct:D1", "x": "link:F1"}
