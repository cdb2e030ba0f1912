"""Root cause of an outage: which single failure explains what the network shows, ranked.

Symptoms are what a live check saw: which devices answered and which did not, and for every declared
fibre the oper state its answering ends report. Each candidate cause (a duct, a fibre, a device powered
off, a device hung with its ports up, a device whose routing died) predicts those same observations
over the declared topology; a candidate is ranked by how many observations it contradicts, then by how
many abnormal ones it explains, then by how small it is (a fibre before the duct that holds it, a duct
before a device). One cause that explains every symptom beats any pair; pairs are tried only when no
single cause explains everything. Pure: graph and symptoms in, ranked candidates out.

In-band management (the default, as in the city) means a device behind a cut stops answering; with an
out-of-band network only a dead device stops answering, and the fibre states carry the diagnosis.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

Kind = Literal["fibre", "duct", "device-down", "device-hung", "routing"]
KIND_ORDER: dict[str, int] = {"fibre": 0, "duct": 1, "device-down": 2, "device-hung": 3, "routing": 4}


@dataclass(frozen=True)
class Cause:
    kind: Kind
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass
class Symptoms:
    """`answered` / `silent`: devices asked; `ports`: (cable, device at that end) -> "up" or "down"."""

    answered: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    ports: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def abnormal(self) -> int:
        return len(self.silent) + sum(1 for s in self.ports.values() if s == "down")


@dataclass
class Ranked:
    causes: tuple[Cause, ...]
    contradictions: int
    explained: int
    unexplained: list[str]          # abnormal observations this candidate does not explain
    wrong: list[str]                # observations it predicts otherwise

    @property
    def label(self) -> str:
        return " + ".join(map(str, self.causes))


@dataclass
class Prediction:
    silent: frozenset[str]
    down: frozenset[str]            # cables whose ends report down (where they answer)


class Predictor:
    """Predictions of any set of causes over one graph (cached per cause set)."""

    def __init__(self, g: nx.MultiGraph[str], in_band: bool = True):
        self.g = g
        self.in_band = in_band
        self.by_duct: dict[str, set[str]] = {}
        self.incident: dict[str, set[str]] = {n: set() for n in g}
        self.ends: dict[str, tuple[str, str]] = {}
        for u, v, key, attrs in g.edges(keys=True, data=True):
            self.ends[key] = (u, v)
            self.incident[u].add(key)
            self.incident[v].add(key)
            for duct in attrs.get("ducts") or ():
                self.by_duct.setdefault(duct, set()).add(key)
        self.core = [c for c in g.graph.get("core", []) if c in g]

    def candidates(self) -> list[Cause]:
        out = [Cause("fibre", k) for k in sorted(self.ends)] + [Cause("duct", d) for d in sorted(self.by_duct)]
        for node in sorted(self.g):
            out += [Cause("device-down", node), Cause("device-hung", node)]
            if self.in_band and self.g.degree(node) > 1:   # a leaf that stops routing looks hung
                out.append(Cause("routing", node))
        return out

    def predict(self, causes: Iterable[Cause]) -> Prediction:
        cut: set[str] = set()
        off: set[str] = set()          # no power: no ports, no forwarding, no management
        hung: set[str] = set()         # management dead, ports and forwarding on
        no_routes: set[str] = set()    # ports up, but traffic through and to it is dropped
        for c in causes:
            if c.kind == "fibre":
                cut.add(c.name)
            elif c.kind == "duct":
                cut |= self.by_duct.get(c.name, set())
            elif c.kind == "device-down":
                off.add(c.name)
                cut |= self.incident[c.name]
            elif c.kind == "device-hung":
                hung.add(c.name)
            else:
                no_routes.add(c.name)
        silent = set(off | hung)
        if self.in_band:                 # a router whose routing died answers only out of band
            silent |= no_routes
            h: nx.MultiGraph[str] = nx.MultiGraph()
            h.add_nodes_from(n for n in self.g if n not in off | no_routes)
            h.add_edges_from((u, v) for key, (u, v) in self.ends.items() if key not in cut and u in h and v in h)
            reached: set[str] = set()
            for c in self.core:
                if c in h and c not in reached:
                    reached |= nx.node_connected_component(h, c)
            silent |= set(self.g) - reached
        return Prediction(frozenset(silent), frozenset(cut))


def _score(pred: Prediction, symptoms: Symptoms, causes: tuple[Cause, ...]) -> Ranked:
    wrong, unexplained, explained = [], [], 0
    for device in symptoms.silent:
        if device in pred.silent:
            explained += 1
        else:
            unexplained.append(f"{device} does not answer")
    for device in symptoms.answered:
        if device in pred.silent:
            wrong.append(f"{device} answers")
    for (cable, device), state in symptoms.ports.items():
        predicted = "down" if cable in pred.down else "up"
        if state == "down" and predicted == "down":
            explained += 1
        elif state == "down":
            unexplained.append(f"{cable} is down at {device}")
        elif predicted == "down":
            wrong.append(f"{cable} is up at {device}")
    return Ranked(causes, len(wrong) + len(unexplained), explained, sorted(unexplained), sorted(wrong))


def _order(r: Ranked) -> tuple[int, int, int, int, str]:
    return (r.contradictions, -r.explained, len(r.causes), sum(KIND_ORDER[c.kind] for c in r.causes), r.label)


def rank_causes(g: nx.MultiGraph[str], symptoms: Symptoms, in_band: bool = True, limit: int = 5,
                pair_pool: int = 12) -> list[Ranked]:
    """The best explanations, best first; [] when nothing is abnormal (the network is healthy)."""
    if not symptoms.abnormal:
        return []
    predictor = Predictor(g, in_band)
    singles = sorted((_score(predictor.predict([c]), symptoms, (c,)) for c in predictor.candidates()), key=_order)
    singles = [r for r in singles if r.explained]
    ranked = list(singles)
    if singles and singles[0].unexplained:               # no single cause explains it all: try pairs
        pool = [r.causes[0] for r in singles[:pair_pool]]
        for a, b in itertools.combinations(pool, 2):
            pair = _score(predictor.predict([a, b]), symptoms, (a, b))
            if pair.contradictions < singles[0].contradictions:
                ranked.append(pair)
    return sorted(ranked, key=_order)[:limit]


def indistinguishable(g: nx.MultiGraph[str], cause: Cause, other: Cause, in_band: bool = True) -> bool:
    """Two causes no observation can tell apart (a duct that holds only one fibre, and that fibre)."""
    p = Predictor(g, in_band)
    a, b = p.predict([cause]), p.predict([other])

    def seen_down(pred: Prediction) -> set[tuple[str, str]]:       # a port is seen only where its device answers
        return {(k, end) for k in pred.down for end in p.ends[k] if end not in pred.silent}
    return a.silent == b.silent and seen_down(a) == seen_down(b)
