"""Integration: `whatif --fail duct:X` on the lab's declared topology agrees with what the lab's LLDP
shows after the duct is really cut (veth pairs down in network namespaces)."""
from __future__ import annotations

import networkx as nx
import pytest

from netops.analysis.graph import declared_graph, restrict
from netops.analysis.whatif import Failure, what_if
from netops.models.names import short_host
from netops.sources.inventory import load_inventory


def lldp_graph(lab, devices: list[str]) -> nx.MultiGraph:
    """Adjacencies as the lab's lldpd daemons report them now."""
    g = nx.MultiGraph()
    g.add_nodes_from(devices)
    known = {short_host(d): d for d in devices}
    for host in devices:
        for port, neighbours in lab.lldp_neighbors(host).items():
            for name, remote_port in neighbours:
                if short_host(name) in known:
                    g.add_edge(host, known[short_host(name)], key=tuple(sorted([(host, port),
                                                                              (known[short_host(name)], remote_port)])))
    return g


@pytest.mark.lab
def test_whatif_duct_matches_the_lab_after_cut_duct(lab):
    inv = load_inventory(lab.config.inventory_dir, lab.config.topology_dir)
    declared = restrict(declared_graph(inv), lab.devices)
    declared.remove_edges_from([(u, v, k) for u, v, k in declared.edges(keys=True) if k not in lab.links])
    core = declared.graph["core"]
    assert core, "the lab has a Pusat Data core router"
    predictions = {d: what_if(declared, [Failure("duct", d)]) for d in lab.ducts}
    duct = max(predictions, key=lambda d: (len(predictions[d].isolated_devices), len(predictions[d].links_cut), d))
    prediction = predictions[duct]
    assert prediction.isolated_pds, "the lab has a duct whose cut isolates a PD (a shared duct)"
    assert prediction.links_cut == sorted(c.id for c in lab.plan.cables_in_duct(duct))
    cut_ends = {(end.device, end.interface) for c in lab.plan.cables_in_duct(duct) for end in (c.a, c.b)}

    def adjacency_gone() -> bool:
        return all(not lab.lldp_neighbors(dev).get(port) for dev, port in cut_ends)

    lab.cut_duct(duct)
    try:
        assert lab.wait_for(adjacency_gone, timeout=60), f"LLDP still sees links in {duct} after the cut"
        seen = lldp_graph(lab, lab.devices)
        reached = set().union(*(nx.node_connected_component(seen, c) for c in core))
        unreachable = {d for d in lab.devices if d not in reached}
        assert unreachable == set(prediction.isolated_devices)
        surviving = [k for _, _, k in declared.edges(keys=True) if k not in prediction.links_cut]
        assert seen.number_of_edges() == len(surviving)
    finally:
        lab.restore(None)
        lab.wait_for(lab.lldp_converged, timeout=60)
