"""Root-cause ranking against an independent simulator of faults on the sample city (networkx brute force):
every single fault is named first (or tied with a cause no observation can tell apart), pairs are found
when no single cause explains them, and a healthy network has no cause."""
from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from netops.analysis.graph import declared_graph, routing_cost
from netops.analysis.rootcause import Cause, Symptoms, indistinguishable, rank_causes
from netops.sources.inventory import load_inventory
from tests.conftest import REPO


@pytest.fixture(scope="module")
def g() -> nx.MultiGraph:
    return declared_graph(load_inventory(REPO / "inventory", REPO / "topology"))


def simulate(g: nx.MultiGraph, faults: list[Cause], in_band: bool = True) -> Symptoms:
    """What a live check would see, computed without the predictor: remove, then ask networkx."""
    h = g.copy()
    dead_cables = set()
    for f in faults:
        if f.kind == "fibre":
            dead_cables.add(f.name)
        elif f.kind == "duct":
            dead_cables |= {k for _, _, k, d in g.edges(keys=True, data="ducts") if f.name in (d or ())}
        elif f.kind == "device-down":
            dead_cables |= {k for _, _, k in g.edges(f.name, keys=True)}
    h.remove_edges_from([(u, v, k) for u, v, k in g.edges(keys=True) if k in dead_cables])
    mute = {f.name for f in faults if f.kind in ("device-down", "device-hung")}
    blackholes = {f.name for f in faults if f.kind in ("routing", "device-down")}
    if in_band:
        h.remove_nodes_from(blackholes)
        reach = set().union(*(nx.node_connected_component(h, c) for c in g.graph["core"] if c in h))
        silent = (set(g) - reach) | mute | {f.name for f in faults if f.kind == "routing"}
    else:
        silent = mute
    lossy = set().union(*(_routed_through(g, f.name) for f in faults if f.kind == "degraded")) - silent
    no_lldp = {f.name for f in faults if f.kind == "lldp-silent"}
    symptoms = Symptoms(answered=set(g) - silent, silent=silent,
                        loss={n: 0.3 if n in lossy else 0.0 for n in g if n not in silent})
    for u, v, k in g.edges(keys=True):
        for end in (u, v):
            if end not in silent:
                symptoms.ports[(k, end)] = "down" if k in dead_cables else "up"
                if k not in dead_cables:
                    symptoms.lldp[(k, end)] = "missing" if k in no_lldp else "seen"
    return symptoms


def _routed_through(g: nx.MultiGraph, cable: str) -> set[str]:
    """Devices whose cheapest route from any core router uses `cable`."""
    if "oracle_routes" not in g.graph:
        g.graph["oracle_routes"] = _route_cables(g)
    return {node for node, cables in g.graph["oracle_routes"].items() if cable in cables}


def _route_cables(g: nx.MultiGraph) -> dict[str, set[str]]:
    """Each device's cables on its cheapest routes from the NOC's core router and back to the nearest core
    router: one Dijkstra per device and core, PD edges (not transit) passed through only at max-metric cost."""
    def cost(u: str, v: str, edges: dict) -> float:  # type: ignore[type-arg]
        penalty = 0 if u in g.graph["core"] or g.nodes[u]["transit"] else 65_535
        return penalty + min(routing_cost(a["capacity_mbps"], a["length_m"]) for a in edges.values())
    out: dict[str, set[str]] = {}
    for node in g:
        back = min((nx.dijkstra_path_length(g, c, node, weight=cost), c) for c in g.graph["core"]
                   if nx.has_path(g, c, node))[1]
        out[node] = set()
        for start in {g.graph["core"][0], back}:            # out from the NOC's core, back to the nearest
            path = nx.dijkstra_path(g, start, node, weight=cost)
            for u, v in itertools.pairwise(path):
                data = g.get_edge_data(u, v)
                out[node].add(min(data, key=lambda k: (routing_cost(data[k]["capacity_mbps"], data[k]["length_m"]), k)))
    return out


def _right(g: nx.MultiGraph, top: tuple[Cause, ...], truth: list[Cause], in_band: bool) -> bool:
    """The named causes are the injected ones, up to causes no observation can tell apart."""
    if len(top) != len(truth):
        return False
    return any(all(t == c or indistinguishable(g, t, c, in_band) for t, c in zip(top, order, strict=False))
               for order in itertools.permutations(truth))


def test_healthy_network_has_no_cause(g: nx.MultiGraph):
    assert rank_causes(g, simulate(g, [])) == []


@pytest.mark.parametrize("in_band", [True, False], ids=["in-band", "out-of-band"])
def test_every_single_fault_is_named_first(g: nx.MultiGraph, in_band: bool):
    rng = random.Random(7)
    cables = sorted(k for _, _, k in g.edges(keys=True))
    ducts = sorted({d for _, _, ds in g.edges(data="ducts") for d in ds or ()})
    nodes = sorted(n for n in g if g.degree(n) > 1)
    faults = ([Cause("fibre", c) for c in rng.sample(cables, 15)] + [Cause("duct", d) for d in rng.sample(ducts, 10)]
              + [Cause("device-down", n) for n in rng.sample(nodes, 10)]
              + [Cause("device-hung", n) for n in rng.sample(nodes, 5)]
              + [Cause("lldp-silent", c) for c in rng.sample(cables, 5)])
    if in_band:
        routed = [c for c in cables if _routed_through(g, c)]          # a standby fibre's loss shows nowhere
        faults += [Cause("routing", n) for n in rng.sample(nodes, 5)] + [Cause("degraded", c) for c in rng.sample(routed, 8)]
    wrong = []
    for fault in faults:
        ranked = rank_causes(g, simulate(g, [fault], in_band), in_band)
        if not ranked or not _right(g, ranked[0].causes, [fault], in_band) or ranked[0].contradictions:
            wrong.append((str(fault), ranked[0].label if ranked else None))
    assert not wrong


def test_one_duct_beats_the_fibres_it_holds(g: nx.MultiGraph):
    duct = next(d for d in sorted({d for _, _, ds in g.edges(data="ducts") for d in ds or ()})
                if sum(1 for _, _, ds in g.edges(data="ducts") if d in (ds or ())) >= 2)
    top = rank_causes(g, simulate(g, [Cause("duct", duct)]))[0]
    assert top.causes == (Cause("duct", duct),) and not top.contradictions


def test_two_independent_faults_are_found_as_a_pair(g: nx.MultiGraph):
    leaves = sorted(n for n in g if g.degree(n) == 1 and n not in g.graph["core"])
    a, b = Cause("device-down", leaves[0]), Cause("device-down", leaves[-1])
    ranked = rank_causes(g, simulate(g, [a, b]))
    assert _right(g, ranked[0].causes, [a, b], True) and not ranked[0].contradictions
