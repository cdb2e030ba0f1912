"""The cheapest extra fibre that makes an at-risk PD diverse.

Options per PD: the candidate fibres of topology/candidates.yaml that end at one of its routers,
and new fibres in a new trench from its routers to routers at other sites, priced by GPS distance
times a street-routing factor. Tried shortest first; the first that works is the suggestion.

Why it is cheap to judge: adding a fibre r–w can only help, so the PD is still cut by a single
failure F afterwards exactly when F cut it before *and* F also cuts w off (or F is w, or F is a duct
the new fibre runs through). So only the PD's current single points of failure are re-examined.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import TopologyCheck, Verdict
from netops.sources.candidates import CandidateFibre
from netops.sources.graphml import haversine_m

ROUTE_FACTOR = 1.3          # fibre follows streets: ~30% longer than the straight line
ROUTER_ROLES = {"core", "distribution", "pd-edge"}
SEARCH_RADII_M = (2_000, 5_000, 10_000, 25_000, float("inf"))


@dataclass
class Suggestion:
    pd: str
    a: str
    b: str
    length_m: int
    ducts: list[str]
    source: str          # "candidate" | "gps"
    note: str = ""


@dataclass
class _Option:
    a: str
    b: str
    length_m: int
    ducts: tuple[str, ...]
    source: str
    note: str


class Suggester:
    """Judges options against one check result; `engine` must be the one the check ran on."""

    def __init__(self, g: nx.MultiGraph, check: TopologyCheck, engine: FailureEngine,
                 candidates: Sequence[CandidateFibre] = ()):
        self.g, self.check, self.engine = g, check, engine
        self.candidates = candidates
        self._cut_nodes: dict[str, set[str]] = {}
        self._by_lat = sorted((d["lat"], n) for n, d in g.nodes(data=True)
                              if d.get("lat") is not None and d.get("lon") is not None
                              and (d.get("role") in ROUTER_ROLES or d.get("role") is None))
        self._lats = [lat for lat, _ in self._by_lat]

    def _cut(self, failure: str) -> set[str]:
        """Devices a single failure (`link:`, `node:`, `duct:`) takes out, cached."""
        if failure not in self._cut_nodes:
            kind, _, name = failure.partition(":")
            e = self.engine
            edges = e.edge_of.get(name, []) if kind == "link" else e.duct_edges.get(name, []) if kind == "duct" else []
            nodes = [e.index[name]] if kind == "node" else []
            self._cut_nodes[failure] = set(e.cut(edges, nodes, with_nodes=True).nodes or [])
        return self._cut_nodes[failure]

    def makes_diverse(self, pd: str, option: _Option) -> bool:
        far = option.b if option.a in self.check.pds[pd].routers else option.a
        for failure in self.check.pds[pd].cut_by:
            kind, _, name = failure.partition(":")
            if kind == "node" and name in self.check.core:
                continue          # either core counts: a core router is not a path's single point
            if kind == "duct" and name in option.ducts:
                return False
            if far in self._cut(failure):
                return False
        return True

    def _options(self, pd: str) -> list[_Option]:
        routers = set(self.check.pds[pd].routers)
        out = [_Option(c.a, c.b, c.length_m, tuple(c.via_ducts) + ((f"NEW-TRENCH:{c.a}-{c.b}",) if c.new_trench else ()),
                       "candidate", c.note)
               for c in self.candidates if c.a in routers or c.b in routers]
        return sorted(out, key=lambda o: o.length_m)

    def _gps_options(self, pd: str, radius: float) -> list[_Option]:
        out = []
        nodes = self.g.nodes
        for r in self.check.pds[pd].routers:
            here = nodes[r]
            if here.get("lat") is None or here.get("lon") is None:
                continue
            span = radius / 111_000
            lo, hi = bisect_left(self._lats, here["lat"] - span), bisect_right(self._lats, here["lat"] + span)
            for _, w in self._by_lat[lo:hi]:
                there = nodes[w]
                same_pd = here.get("pd") and there.get("pd") == here.get("pd")
                same_site = here.get("site") and there.get("site") == here.get("site")
                if w == r or same_pd or same_site:
                    continue
                dist = haversine_m(here["lat"], here["lon"], there["lat"], there["lon"]) * ROUTE_FACTOR
                if dist <= radius * ROUTE_FACTOR:
                    out.append(_Option(r, w, max(1, round(dist)), (f"NEW-TRENCH:{r}-{w}",), "gps",
                                       f"new trench, {ROUTE_FACTOR:g} x straight-line distance"))
        return sorted(out, key=lambda o: (o.length_m, o.b))

    def suggest(self, pd: str) -> Suggestion | None:
        """The shortest option that makes `pd` diverse, or None."""
        best = next((o for o in self._options(pd) if self.makes_diverse(pd, o)), None)
        tried: set[tuple[str, str]] = set()
        for radius in SEARCH_RADII_M:
            if best is not None and best.length_m <= radius:
                break
            for o in self._gps_options(pd, radius):
                if (o.a, o.b) in tried:
                    continue
                tried.add((o.a, o.b))
                if best is not None and o.length_m >= best.length_m:
                    break
                if self.makes_diverse(pd, o):
                    best = o
                    break
        if best is None:
            return None
        return Suggestion(pd, best.a, best.b, best.length_m, [d for d in best.ducts if not d.startswith("NEW-")]
                          + (["(new trench)"] if any(d.startswith("NEW-") for d in best.ducts) else []),
                          best.source, best.note)


def suggest_fibres(g: nx.MultiGraph, check: TopologyCheck, engine: FailureEngine,
                   candidates: Sequence[CandidateFibre] = ()) -> list[Suggestion]:
    """One suggestion per PD that is single-homed or shares a duct (when any option works)."""
    at_risk = [pd for pd, risk in check.pds.items() if risk.verdict in (Verdict.single_homed, Verdict.shared_duct)]
    suggester = Suggester(g, check, engine, candidates)
    return [s for s in (suggester.suggest(pd) for pd in at_risk) if s is not None]
