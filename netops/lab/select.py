"""Which devices a lab holds: chosen PDs plus the routers that carry them to the Pusat Data.

A PD's edge router alone would be an island; the lab adds the core and distribution
routers on up to two edge-disjoint paths from each of the PD's routers to the core, so
that the ring (and the reroute a cut forces) exists in the lab as in the city.
"""
from __future__ import annotations

import networkx as nx

from netops.errors import NotFoundError
from netops.models.inventory import Role
from netops.models.plant import LinkStatus
from netops.sources.inventory import Inventory

_CORE = "__core__"


def _router_graph(inv: Inventory, cores: list[str]) -> nx.Graph[str]:
    """Routers joined by active cables, every core router also joined to one `_CORE` node."""
    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(name for name, dev in inv.devices.items() if dev.is_router)
    for link in inv.links.values():
        if link.status == LinkStatus.active and link.a.device in g and link.b.device in g:
            g.add_edge(link.a.device, link.b.device)
    g.add_edges_from((_CORE, c) for c in cores)
    return g


def _transit(g: nx.Graph[str], router: str) -> set[str]:
    """Routers on up to two edge-disjoint paths from `router` to the core."""
    if _CORE not in g or g.has_edge(router, _CORE):
        return set()
    try:
        paths = list(nx.edge_disjoint_paths(g, router, _CORE, cutoff=2))
    except nx.NetworkXNoPath:
        return set()
    return {n for path in paths for n in path if n != _CORE}


def select_devices(inv: Inventory, pds: list[str] | None = None,
                   max_routers: int | None = None) -> tuple[list[str], list[str]]:
    """(hostnames in inventory order, PDs left out because of --max-routers).

    With no PDs given every PD is a candidate, in inventory order. PDs are added one by
    one with their transit routers; a PD that would push the router count past
    `max_routers` is left out (and named), never half-included.
    """
    unknown = [code for code in pds or [] if code not in inv.pds]
    if unknown:
        raise NotFoundError(f"unknown PD {', '.join(unknown)} (known: {', '.join(sorted(inv.pds))})")
    cores = [n for n, d in inv.devices.items() if d.role == Role.core]
    g = _router_graph(inv, cores)
    chosen: set[str] = set(cores)
    left_out: list[str] = []
    for code in pds or list(inv.pds):
        members = {d.hostname for d in inv.devices_of(code)}
        candidate = set(members)
        for name in members:
            if inv.devices[name].is_router:
                candidate |= _transit(g, name)
        together = chosen | candidate
        if max_routers is not None and sum(inv.devices[n].is_router for n in together) > max_routers:
            left_out.append(code)
            continue
        chosen = together
    return [n for n in inv.devices if n in chosen], left_out
