"""The cheapest extra fibre that makes an at-risk PD diverse.

Options per PD: the candidate fibres of topology/candidates.yaml that end at one of its routers,
and new fibres in a new trench from its routers to routers at other sites, priced by GPS distance
times a street-routing factor. Tried shortest first; the first that works is the suggestion.

Why it is cheap to judge: adding a fibre r–w can only help, so the PD is still cut by a single
failure F afterwards exactly when F cut it before *and* F also cuts w off (or F is w, or F is a duct
the new fibre runs through). So only the PD's current single points of failure are re-examined.
"""
from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import TopologyCheck, Verdict
from netops.models.geo import haversine_m
from netops.sources.candidates import CandidateFibre

ROUTE_FACTOR = 1.3          # fibre follows streets: ~30% longer than the straight line
ROUTER_ROLES = {"core", "distribution", "pd-edge"}
GRID_M = 500                # spatial index cell (at least): options are generated ring by ring, nearest first
GRID_CELLS = 256            # ... and at most this many cells across the whole map
MAX_GPS_TRIES = 60          # nearest routers tried per PD before giving up on a GPS option


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

    def __init__(self, g: nx.MultiGraph[str], check: TopologyCheck, engine: FailureEngine,
                 candidates: Sequence[CandidateFibre] = ()):
        self.g, self.check, self.engine = g, check, engine
        self.candidates = candidates
        self._cut_nodes: dict[str, set[str]] = {}
        located = [(n, d["lat"], d["lon"]) for n, d in g.nodes(data=True)
                   if d.get("lat") is not None and d.get("lon") is not None
                   and (d.get("role") in ROUTER_ROLES or d.get("role") is None)]
        self._coslat = math.cos(math.radians(sum(lat for _, lat, _ in located) / len(located))) if located else 1.0
        self._located = len(located)
        extent_m = max((max(c) - min(c) for c in (
            [lat * 111_000 for _, lat, _ in located], [lon * 111_000 * self._coslat for _, _, lon in located])),
            default=0.0) if located else 0.0
        self._cell_m = max(GRID_M, extent_m / GRID_CELLS)
        self._owner = {n: (d.get("pd"), d.get("site")) for n, d in g.nodes(data=True)}
        self._grid: dict[tuple[int, int], list[str]] = {}
        for n, lat, lon in located:
            self._grid.setdefault(self._cell(lat, lon), []).append(n)
        xs = [x for x, _ in self._grid] or [0]
        ys = [y for _, y in self._grid] or [0]
        self._max_ring = max(max(xs) - min(xs), max(ys) - min(ys)) + 1

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

    def _gps_options(self, pd: str) -> Iterator[_Option]:
        """New-trench fibres from the PD's routers to routers elsewhere, shortest first (grid search)."""
        nodes = self.g.nodes
        starts = [r for r in self.check.pds[pd].routers
                  if nodes[r].get("lat") is not None and nodes[r].get("lon") is not None]
        if not starts or not self._grid:
            return
        pending: list[tuple[int, str, str]] = []
        met = 0                                        # grid entries met so far, over all starts
        for ring in range(self._max_ring + 1):
            for r in starts:
                cx, cy = self._cell(nodes[r]["lat"], nodes[r]["lon"])
                for dx, dy in _perimeter(ring):
                    for w in self._grid.get((cx + dx, cy + dy), ()):
                        met += 1
                        if not self._eligible(r, w):
                            continue
                        here, there = nodes[r], nodes[w]
                        dist = haversine_m(here["lat"], here["lon"], there["lat"], there["lon"]) * ROUTE_FACTOR
                        heapq.heappush(pending, (max(1, round(dist)), str(w), r))
            last = ring == self._max_ring or met == self._located * len(starts)
            safe = ring * self._cell_m * ROUTE_FACTOR  # everything nearer than this has been seen
            while pending and (pending[0][0] <= safe or last):
                length, w, r = heapq.heappop(pending)
                yield _Option(r, w, length, (f"NEW-TRENCH:{r}-{w}",), "gps",
                              f"new trench, {ROUTE_FACTOR:g} x straight-line distance")
            if last:
                return

    def _eligible(self, r: str, w: str) -> bool:
        (pd_r, site_r), (pd_w, site_w) = self._owner[r], self._owner[w]
        return w != r and not (pd_r and pd_r == pd_w) and not (site_r and site_r == site_w)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (int(lat * 111_000 // self._cell_m), int(lon * 111_000 * self._coslat // self._cell_m))

    def suggest(self, pd: str) -> Suggestion | None:
        """The shortest option that makes `pd` diverse, or None (GPS: the nearest MAX_GPS_TRIES routers)."""
        best = next((o for o in self._options(pd) if self.makes_diverse(pd, o)), None)
        for tries, o in enumerate(self._gps_options(pd)):
            if tries >= MAX_GPS_TRIES or (best is not None and o.length_m >= best.length_m):
                break
            if self.makes_diverse(pd, o):
                best = o
                break
        if best is None:
            return None
        new = any(d.startswith("NEW-") for d in best.ducts)
        return Suggestion(pd, best.a, best.b, best.length_m,
                          [d for d in best.ducts if not d.startswith("NEW-")] + (["(new trench)"] if new else []),
                          best.source, best.note)


def _perimeter(ring: int) -> list[tuple[int, int]]:
    """Grid offsets at Chebyshev distance `ring`."""
    if ring == 0:
        return [(0, 0)]
    side = range(-ring, ring + 1)
    return ([(dx, -ring) for dx in side] + [(dx, ring) for dx in side]
            + [(-ring, dy) for dy in side[1:-1]] + [(ring, dy) for dy in side[1:-1]])


def suggest_fibres(g: nx.MultiGraph[str], check: TopologyCheck, engine: FailureEngine,
                   candidates: Sequence[CandidateFibre] = ()) -> list[Suggestion]:
    """One suggestion per PD that is single-homed or shares a duct (when any option works)."""
    at_risk = [pd for pd, risk in check.pds.items() if risk.verdict in (Verdict.single_homed, Verdict.shared_duct)]
    suggester = Suggester(g, check, engine, candidates)
    return [s for s in (suggester.suggest(pd) for pd in at_risk) if s is not None]
