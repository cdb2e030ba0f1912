"""Bridges and articulation points by node name, through the failure engine: what the topology tests
compare with networkx. Test helpers, so they live with the tests, not in the package."""
from __future__ import annotations

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import bridges_and_articulation_points


def graph_bridges(g: nx.MultiGraph[str]) -> list[tuple[str, str]]:
    """Bridges of `g` as sorted node-name pairs."""
    engine = FailureEngine(g)
    bridge_ids, _ = bridges_and_articulation_points(engine)
    pairs = ((engine.names[engine.eu[e]], engine.names[engine.ev[e]]) for e in bridge_ids)
    return sorted((a, b) if a <= b else (b, a) for a, b in pairs)


def graph_articulation_points(g: nx.MultiGraph[str]) -> list[str]:
    engine = FailureEngine(g)
    return sorted(engine.names[v] for v in bridges_and_articulation_points(engine)[1])
