"""Routes from the Pusat Data core to a PD, fibre by fibre and duct by duct.

Shortest by fibre length (either core router may be the start). The primary route is the shortest;
each backup is the shortest route that avoids every fibre of the routes already listed, so the
backups are what is left when the primary's fibres are cut (Service Desk: "which cable is it on?").
"""
from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import networkx as nx

from netops.errors import NotFoundError


@dataclass
class Hop:
    a: str
    a_if: str | None
    b: str
    b_if: str | None
    cable: str
    length_m: int | None
    capacity_mbps: int | None
    ducts: list[str]


@dataclass
class Route:
    start: str
    end: str
    hops: list[Hop] = field(default_factory=list)

    @property
    def length_m(self) -> int:
        return sum(h.length_m or 0 for h in self.hops)

    @property
    def bottleneck_mbps(self) -> int | None:
        caps = [h.capacity_mbps for h in self.hops if h.capacity_mbps]
        return min(caps) if caps else None

    @property
    def cables(self) -> list[str]:
        return [h.cable for h in self.hops]


def _length(attrs: dict[str, Any]) -> int:
    return attrs.get("length_m") or 1


def without(g: nx.MultiGraph[str], cables: Collection[str] = (), nodes: Collection[str] = ()) -> nx.MultiGraph[str]:
    """A view of `g` with these fibres and routers failed (no copy)."""
    return nx.subgraph_view(g, filter_node=lambda n: n not in nodes,
                            filter_edge=lambda u, v, k: str(k) not in cables)   # keys are cable ids


def shortest_tree(g: nx.MultiGraph[str]) -> tuple[dict[Any, float], dict[Any, list[Any]]]:
    """Fibre-length distance and shortest node path from the nearest core router to every reachable node."""
    core = [c for c in g.graph.get("core", []) if c in g]
    if not core:
        return {}, {}
    # without a target, networkx returns (distances, paths) for every reachable node
    return cast(tuple[dict[Any, float], dict[Any, list[Any]]],
                nx.multi_source_dijkstra(g, core, weight=lambda u, v, d: min(_length(a) for a in d.values())))


def shortest_routes(g: nx.MultiGraph[str], targets: Iterable[str],
                    tree: tuple[dict[Any, float], dict[Any, list[Any]]] | None = None) -> Route | None:
    """Shortest route from any core router to any of `targets`, or None when none is reachable."""
    dist, paths = tree if tree is not None else shortest_tree(g)
    best = min((t for t in targets if t in dist), key=lambda t: (dist[t], str(t)), default=None)
    return None if best is None else route_along(g, paths[best])


def route_along(g: nx.MultiGraph[str], nodes: list[str]) -> Route:
    """The route over `nodes`, taking the shortest of parallel fibres at each step."""
    route = Route(nodes[0], nodes[-1])
    for u, v in itertools.pairwise(nodes):
        key, attrs = min(g[u][v].items(), key=lambda item: (_length(item[1]), str(item[0])))
        near_a = attrs.get("a", u) == u
        route.hops.append(Hop(u, attrs.get("a_if") if near_a else attrs.get("b_if"), v,
                              attrs.get("b_if") if near_a else attrs.get("a_if"), str(key),
                              attrs.get("length_m"), attrs.get("capacity_mbps"), list(attrs.get("ducts") or ())))
    return route


def pd_targets(g: nx.MultiGraph[str], pd_code: str, to: str | None = None) -> list[str]:
    """The PD's edge routers, or the one device `to` (which must belong to the graph)."""
    pds = g.graph.get("pds", {})
    if pd_code not in pds:
        raise NotFoundError(f"unknown PD {pd_code}")
    if to is not None:
        if to not in g:
            raise NotFoundError(f"{to} is not in the topology (no device of that name with a fibre)")
        return [to]
    return list(pds[pd_code]["routers"])


def pd_routes(g: nx.MultiGraph[str], pd_code: str, to: str | None = None, limit: int = 4) -> list[Route]:
    """Primary route then fibre-disjoint backups (up to `limit` routes in all)."""
    targets = pd_targets(g, pd_code, to)
    routes: list[Route] = []
    used: set[str] = set()
    while len(routes) < limit:
        route = shortest_routes(without(g, used), targets)
        if route is None or not route.hops:
            if route is not None:
                routes.append(route)
            break
        routes.append(route)
        used.update(route.cables)
    return routes
