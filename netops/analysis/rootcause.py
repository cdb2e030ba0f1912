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
from typing import Any, Literal

import networkx as nx

from netops.analysis.graph import routing_cost
from netops.analysis.whatif import Failure

Kind = Literal["fibre", "duct", "device-down", "device-hung", "routing", "degraded", "lldp-silent"]
KIND_ORDER: dict[str, int] = {"fibre": 0, "duct": 1, "device-down": 2, "device-hung": 3, "routing": 4,
                              "degraded": 5, "lldp-silent": 6}
NON_TRANSIT_PENALTY = 65_535     # OSPF max-metric: a PD edge carries others' traffic only as a last resort


@dataclass(frozen=True)
class Cause:
    kind: Kind
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass
class Symptoms:
    """`answered` / `silent`: devices asked; `ports`: (cable, device at that end) -> "up" or "down";
    `loss`: device -> fraction of the NOC's pings lost (devices probed); `lldp`: (cable, device at that end)
    -> "seen" or "missing" (is the declared neighbour seen over that port; only devices that run LLDP)."""

    answered: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    ports: dict[tuple[str, str], str] = field(default_factory=dict)
    loss: dict[str, float] = field(default_factory=dict)
    lldp: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def lossy(self) -> set[str]:
        """Devices that answer pings but lose some (a device losing all is silent, not lossy)."""
        return {d for d, lost in self.loss.items() if 0 < lost < 1}

    @property
    def abnormal(self) -> int:
        return (len(self.silent) + sum(1 for s in self.ports.values() if s == "down") + len(self.lossy)
                + sum(1 for s in self.lldp.values() if s == "missing"))


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
    lossy: frozenset[str] = frozenset()          # devices whose pings cross a lossy fibre
    lldp_missing: frozenset[str] = frozenset()   # cables up but with no LLDP adjacency


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
        self._behind: dict[str, set[str]] | None = None

    def behind(self, cable: str) -> set[str]:
        """Devices whose best route from the Pusat Data crosses `cable` (OSPF-like costs, PD edges not transit)."""
        if self._behind is None:
            self._behind = _behind_cables(self.g, self.core)
        return self._behind.get(cable, set())

    def candidates(self) -> list[Cause]:
        out = [Cause("fibre", k) for k in sorted(self.ends)] + [Cause("duct", d) for d in sorted(self.by_duct)]
        if self.in_band:
            out += [Cause("degraded", k) for k in sorted(self.ends)]
        out += [Cause("lldp-silent", k) for k in sorted(self.ends)]
        for node in sorted(self.g):
            out += [Cause("device-down", node), Cause("device-hung", node)]
            if self.in_band and self.g.degree(node) > 1:   # a leaf that stops routing looks hung
                out.append(Cause("routing", node))
        return out

    def _reached(self, cut: frozenset[str], blocked: frozenset[str]) -> set[str]:
        """Devices the core still reaches over cables not cut, through devices that still forward."""
        reached = {c for c in self.core if c not in blocked}
        queue = list(reached)
        while queue:
            node = queue.pop()
            for key in self.incident[node]:
                if key in cut:
                    continue
                u, v = self.ends[key]
                other = v if u == node else u
                if other not in reached and other not in blocked:
                    reached.add(other)
                    queue.append(other)
        return reached

    def predict(self, causes: Iterable[Cause]) -> Prediction:
        cut: set[str] = set()
        off: set[str] = set()          # no power: no ports, no forwarding, no management
        hung: set[str] = set()         # management dead, ports and forwarding on
        no_routes: set[str] = set()    # ports up, but traffic through and to it is dropped
        lossy: set[str] = set()
        lldp_missing: set[str] = set()
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
            elif c.kind == "degraded" and self.in_band:     # out of band, the NOC's pings do not cross it
                lossy |= self.behind(c.name)
            elif c.kind == "lldp-silent":
                lldp_missing.add(c.name)
            else:
                no_routes.add(c.name)
        silent = set(off | hung)
        if self.in_band:                 # a router whose routing died answers only out of band
            silent |= no_routes
            silent |= set(self.g) - self._reached(frozenset(cut), frozenset(off | no_routes))
        return Prediction(frozenset(silent), frozenset(cut), frozenset(lossy - silent), frozenset(lldp_missing - cut))


def _behind_cables(g: nx.MultiGraph[str], core: list[str]) -> dict[str, set[str]]:
    """cable -> the devices whose pings cross it: on the way out (from the NOC, which enters the network at the
    first core router) or on the way back (to the nearest core router), each the cheapest route."""
    if not core:
        return {}

    def cost(u: str, v: str, edges: dict[str, dict[str, Any]]) -> float:
        through = 0 if u in core or g.nodes[u].get("transit", True) else NON_TRANSIT_PENALTY
        return through + min(_edge_cost(a) for a in edges.values())
    out: dict[str, set[str]] = {}
    for sources in ([core[0]], core):
        paths: dict[str, list[str]] = nx.multi_source_dijkstra_path(g, sources, weight=cost)
        for node, path in paths.items():
            for u, v in itertools.pairwise(path):
                edges: dict[Any, dict[str, Any]] = g.get_edge_data(u, v)
                out.setdefault(min(edges, key=lambda k: (_edge_cost(edges[k]), k)), set()).add(node)
    return out


def _edge_cost(attrs: dict[str, Any]) -> int:
    return routing_cost(int(attrs.get("capacity_mbps") or 1000), int(attrs.get("length_m") or 0))


def _score(pred: Prediction, symptoms: Symptoms, causes: tuple[Cause, ...]) -> Ranked:
    wrong, unexplained, explained = [], [], 0
    for device in symptoms.silent:
        if device in pred.silent or device in pred.lossy:    # behind a lossy fibre, SNMP may time out too
            explained += 1
        else:
            unexplained.append(f"{device} does not answer")
    for device in symptoms.answered:
        if device in pred.silent:
            wrong.append(f"{device} answers")
    for device, lost in symptoms.loss.items():
        if 0 < lost < 1 and device in pred.lossy:
            explained += 1
        elif 0 < lost < 1:
            unexplained.append(f"{device} loses {lost:.0%} of pings")
        elif lost == 0 and device in pred.lossy:
            wrong.append(f"{device} loses no ping")
    for (cable, device), seen in symptoms.lldp.items():
        if cable in pred.down or symptoms.ports.get((cable, device)) == "down":
            continue                                        # the port state already tells
        if seen == "missing" and cable in pred.lldp_missing:
            explained += 1
        elif seen == "missing":
            unexplained.append(f"{device} sees no LLDP neighbour on {cable}")
        elif cable in pred.lldp_missing:
            wrong.append(f"{device} sees its LLDP neighbour on {cable}")
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
    return same_observations(g, [cause], [other], in_band)


def same_observations(g: nx.MultiGraph[str], causes: Iterable[Cause], others: Iterable[Cause],
                      in_band: bool = True) -> bool:
    """Two sets of causes that show the same everywhere: also a fault hidden behind another (a router hung
    behind a cut duct, whose silence the duct already explains)."""
    p = Predictor(g, in_band)
    a, b = p.predict(causes), p.predict(others)

    def seen(cables: frozenset[str], pred: Prediction) -> set[tuple[str, str]]:   # only where a device answers
        return {(k, end) for k in cables for end in p.ends[k] if end not in pred.silent}
    return (a.silent == b.silent and seen(a.down, a) == seen(b.down, b) and a.lossy == b.lossy
            and seen(a.lldp_missing, a) == seen(b.lldp_missing, b))


DEVICE_KINDS = ("device-down", "device-hung", "routing")
_WHATIF_KIND: dict[str, str] = {"fibre": "link", "duct": "duct", "device-down": "node", "routing": "node"}


def parse_label(label: str) -> tuple[Cause, ...]:
    """The causes of a label as `Ranked.label` writes it ("duct:D" or "fibre:F + device-down:R")."""
    out = []
    for part in label.split("+"):
        kind, _, name = part.strip().partition(":")
        if kind not in KIND_ORDER or not name:
            raise ValueError(f"not a cause: {part.strip()!r}")
        out.append(Cause(kind, name))  # type: ignore[arg-type]  # checked against KIND_ORDER above
    return tuple(out)


def whatif_failures(causes: Iterable[Cause]) -> list[Failure]:
    """The what-if failures that take the same elements out of service (a hung device or a lossy or
    LLDP-silent fibre takes nothing out: no failure)."""
    return [Failure(_WHATIF_KIND[c.kind], c.name) for c in causes if c.kind in _WHATIF_KIND]


def cables_of(cause: Cause, g: nx.MultiGraph[str], device_ports: bool = False) -> list[str]:
    """The fibres a cause names or darkens: the fibre, a duct's fibres, a dead device's fibres (with
    `device_ports`, every device kind's fibres: the ports a field team would look at)."""
    if cause.kind in ("fibre", "degraded", "lldp-silent"):
        return [cause.name]
    if cause.kind == "duct":
        return sorted(k for _, _, k, d in g.edges(keys=True, data=True) if cause.name in (d.get("ducts") or ()))
    if cause.name in g and (cause.kind == "device-down" or (device_ports and cause.kind in DEVICE_KINDS)):
        return sorted(k for _, _, k in g.edges(cause.name, keys=True))
    return []
