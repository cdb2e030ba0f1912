"""The redundancy check as a use case: the graph's verdicts with the cheapest fixes, and its JSON form.

`netops topology check` and the audit report both call this, so the figures an auditor reads are the
ones an engineer gets from `topology check --json` for the same evidence.
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from netops.analysis.cuts import FailureEngine
from netops.analysis.redundancy import TopologyCheck, check_topology
from netops.analysis.suggest import Suggestion, suggest_fibres
from netops.config import Config
from netops.sources.candidates import load_candidates
from netops.sources.inventory import Inventory


def run_check(config: Config, inventory: Inventory, g: nx.MultiGraph[str], external: bool,
              max_ducts: int = 3) -> tuple[TopologyCheck, list[Suggestion]]:
    """Verdicts and suggestions; `external` graphs (a GraphML/GML file) get no city policies or candidates."""
    engine = FailureEngine(g)
    result = check_topology(g, () if external else config.policies, max_ducts, engine=engine)
    candidates = [] if external else load_candidates(config.topology_dir, inventory.devices, inventory.ducts)
    return result, suggest_fibres(g, result, engine, candidates)


def check_json(result: TopologyCheck, suggestions: list[Suggestion], g: nx.MultiGraph[str]) -> dict[str, Any]:
    def ends(name: str) -> list[str]:
        return [str(x) for x in next(s.ends for s in result.bridges if s.name == name) or ()]
    return {
        "source": result.source, "core": result.core,
        "bridges": [ends(b.name) for b in result.bridges],
        "bridge_details": [{"cable": b.name, "ends": ends(b.name), "pds": b.pds, "devices": b.devices}
                           for b in result.bridges],
        "articulation_points": [a.name for a in result.articulation_points],
        "articulation_details": [{"node": a.name, "pds": a.pds, "devices": a.devices} for a in result.articulation_points],
        "pds": {code: risk.as_dict() for code, risk in result.pds.items()},
        "duct_spofs": [{"duct": d.duct, "pds": d.pds, "hidden": d.hidden, "links": d.links, "devices": d.devices}
                       for d in result.duct_spofs],
        "duct_search_bound": result.duct_bound,
        "suggestions": [s.__dict__ for s in suggestions],
        "violations": [v.__dict__ for v in result.violations],
        "warnings": g.graph.get("warnings", []),
    }
