"""Root-cause ranking against an independent simulator of faults on the sample city (networkx brute force):
every single fault is named first (or tied with a cause no observation can tell apart), pairs are found
when no single cause explains them, and a healthy network has no cause."""
from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from netops.analysis.graph import declared_graph
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
    symptoms = Symptoms(answered=set(g) - silent, silent=silent)
    for u, v, k in g.edges(keys=True):
        for end in (u, v):
            if end not in silent:
                symptoms.ports[(k, end)] = "down" if k in dead_cables else "up"
    return symptoms


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
              + [Cause("device-hung", n) for n in rng.sample(nodes, 5)])
    if in_band:
        faults += [Cause("routing", n) for n in rng.sample(nodes, 5)]
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
