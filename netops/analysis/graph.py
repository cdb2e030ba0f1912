"""The city network as a NetworkX MultiGraph: declared (inventory + fibre plant), observed (LLDP), diff.

Pure: models and snapshots in, graphs out. One shape for every source, so every analysis
(redundancy, ducts, what-if, paths, pictures) works on declared, observed and GraphML graphs alike:

- node name = device hostname (GraphML: node id); attributes `label`, `role`, `pd`, `site`, `lat`, `lon`,
  `transit` (declared graphs: does it carry others' traffic);
- edge key = cable id; attributes `id`, `a`, `a_if`, `b`, `b_if`, `length_m`, `capacity_mbps`,
  `status`, `ducts` (tuple of duct ids: the shared-risk groups the fibre runs through);
- graph attributes `source`, `core` (sorted core router names: "the Pusat Data"), `pds`
  ({code: {"name", "kind", "routers"}}: a PD reaches the Pusat Data when any of its routers does),
  `ducts` ({duct id: route}) and `warnings` (what a reader had to repair).

Parallel fibres stay parallel edges: a fibre with a twin is not a single point of failure.
Only links with status `active` carry traffic, so only they become edges.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from netops.analysis.links import HostResolver
from netops.models.inventory import Role
from netops.models.names import canonical_interface, short_host
from netops.models.observation import Snapshot
from netops.models.plant import FibreLink, LinkStatus
from netops.sources.inventory import Inventory

PUSAT_DATA_SITE = "pusat-data"
REFERENCE_MBPS = 100_000  # routing cost = 100 Gb/s / capacity, plus one per started km


def routing_cost(capacity_mbps: int, length_m: int) -> int:
    """The OSPF cost of a fibre: faster links cost less; of two equal ones, the shorter (one per started km)."""
    return max(1, round(REFERENCE_MBPS / capacity_mbps)) + length_m // 1000


def _new_graph(source: str, inv: Inventory) -> nx.MultiGraph[str]:
    g: nx.MultiGraph[str] = nx.MultiGraph(source=source, warnings=[])
    for name, dev in inv.devices.items():
        site = inv.sites.get(dev.site)
        gps = site.gps if site else None
        g.add_node(name, label=name, role=dev.role.value, pd=dev.pd, site=dev.site, transit=dev.is_transit,
                   lat=gps.lat if gps else None, lon=gps.lon if gps else None)
    g.graph["core"] = sorted(n for n, d in inv.devices.items()
                             if d.role == Role.core and d.site == PUSAT_DATA_SITE)
    g.graph["pds"] = {code: {"name": pd.name, "kind": pd.kind.value,
                             "routers": sorted(d.hostname for d in inv.devices_of(code) if d.role == Role.pd_edge)}
                      for code, pd in inv.pds.items()}
    g.graph["ducts"] = {d.id: d.route for d in inv.ducts.values()}
    return g


def link_attrs(link: FibreLink) -> dict[str, Any]:
    return {"id": link.id, "a": link.a.device, "a_if": link.a.interface, "b": link.b.device,
            "b_if": link.b.interface, "length_m": link.length_m, "capacity_mbps": link.capacity_mbps,
            "status": link.status.value, "ducts": tuple(link.ducts)}


def declared_graph(inv: Inventory) -> nx.MultiGraph[str]:
    """What the inventory and topology files say: every active fibre between two devices."""
    g = _new_graph("declared", inv)
    for link in inv.links.values():
        if link.status == LinkStatus.active and link.a.device != link.b.device:
            g.add_edge(link.a.device, link.b.device, key=link.id, **link_attrs(link))
    return g


def _end(device: str, interface: str) -> tuple[str, str]:
    return (short_host(device), canonical_interface(interface))


def observed_graph(snapshot: Snapshot, inv: Inventory) -> nx.MultiGraph[str]:
    """What LLDP saw: one edge per adjacency (seen from one end or both), named by the declared
    cable when both ends match a declared link (any status), else `lldp:<dev>:<if>--<dev>:<if>`.

    Remote system names are matched to inventory devices by short, case-insensitive host name;
    neighbours that are not inventory devices are listed in `warnings`.
    """
    g = _new_graph(f"observed:{snapshot.id}" if snapshot.id is not None else "observed", inv)
    resolve = HostResolver(inv.devices)
    known = {short_host(n): n for n in inv.devices}
    declared = {frozenset((_end(lk.a.device, lk.a.interface), _end(lk.b.device, lk.b.interface))): lk
                for lk in inv.links.values()}
    seen: set[frozenset[tuple[str, str]]] = set()
    unknown: set[str] = set()
    for host, obs in snapshot.observations.items():
        if short_host(host) not in known:
            unknown.add(host)
            continue
        local = known[short_host(host)]
        for port, entries in obs.lldp_neighbors_detail.items():
            for entry in entries:
                remote_name = str(entry.get("remote_system_name") or "")
                if short_host(remote_name) not in known:
                    unknown.add(remote_name or str(entry.get("remote_chassis_id") or "?"))
                    continue
                remote = resolve(remote_name)
                remote_port = str(entry.get("remote_port") or entry.get("remote_port_description") or "")
                pair = frozenset((_end(local, port), _end(remote, remote_port)))
                if pair in seen or local == remote:
                    continue
                seen.add(pair)
                link = declared.get(pair)
                if link is not None:
                    attrs = link_attrs(link)
                else:
                    (a, a_if), (b, b_if) = sorted([(local, canonical_interface(port)),
                                                   (remote, canonical_interface(remote_port))])
                    attrs = {"id": f"lldp:{a}:{a_if}--{b}:{b_if}", "a": a, "a_if": a_if, "b": b, "b_if": b_if,
                             "length_m": None, "capacity_mbps": None, "status": "observed", "ducts": ()}
                g.add_edge(local, remote, key=attrs["id"], **attrs)
    if unknown:
        g.graph["warnings"].append(f"LLDP neighbours that are not inventory devices: {', '.join(sorted(unknown))}")
    return g


@dataclass
class GraphDiff:
    """Declared against observed: cables missing from LLDP, adjacencies nobody declared."""

    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"missing": self.missing, "unexpected": self.unexpected, "matched": self.matched}


def graph_diff(declared: nx.MultiGraph[str], observed: nx.MultiGraph[str]) -> GraphDiff:
    """Compare by cable id (observed edges carry the declared id when both ends match)."""
    want = {k for _, _, k in declared.edges(keys=True)}
    have = {k for _, _, k in observed.edges(keys=True)}
    return GraphDiff(missing=sorted(want - have), unexpected=sorted(have - want), matched=sorted(want & have))


def restrict(g: nx.MultiGraph[str], nodes: Iterable[str]) -> nx.MultiGraph[str]:
    """The subgraph on `nodes` (e.g. the lab's devices), with core and PD routers trimmed to match."""
    keep = set(nodes)
    sub: nx.MultiGraph[str] = nx.MultiGraph(g.subgraph(keep))
    sub.graph = {**g.graph, "core": [c for c in g.graph.get("core", []) if c in keep],
                 "pds": {code: {**pd, "routers": [r for r in pd["routers"] if r in keep]}
                         for code, pd in g.graph.get("pds", {}).items() if any(r in keep for r in pd["routers"])}}
    return sub

