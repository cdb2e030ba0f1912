"""The city fibre network as use cases: which graph (declared, observed, a snapshot, a file), the
redundancy check with the cheapest fixes, what-if failures, paths, pictures; typed results.

`netops topology ...`, the audit report, the playbook task and the web all call these, so the figures
an auditor reads are the ones an engineer gets from `topology check --json` for the same evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from netops.analysis.cuts import FailureEngine
from netops.analysis.ducts import DuctSpof
from netops.analysis.graph import declared_graph, observed_graph
from netops.analysis.paths import Hop, Route, pd_routes
from netops.analysis.redundancy import PDRisk, TopologyCheck, Violation, check_topology
from netops.analysis.suggest import Suggestion, suggest_fibres
from netops.analysis.whatif import KINDS, EachRow, WhatIf, each, parse_failure, what_if
from netops.app.session import Session
from netops.config import Config
from netops.errors import InputError, NotFoundError
from netops.files import write_private
from netops.sources.candidates import load_candidates
from netops.sources.inventory import Inventory
from netops.sources.topology_file import load_topology_file
from netops.store.snapshots import latest_snapshot, load_snapshot

VERDICTS = ("isolated", "single-homed", "dual-homed-shared-duct", "diverse")
RENDER_FORMATS = ("svg", "png", "drawio")
FAILURE_KINDS = KINDS   # what --fail and --each name: link, node, duct


class GraphSource(BaseModel):
    """declared (inventory + topology files), observed (latest sweep), a snapshot id, or a GraphML/GML file."""

    model_config = ConfigDict(frozen=True)
    source: str = "declared"
    topology: Path | None = None
    core: tuple[str, ...] = ()


@dataclass
class CityGraph:
    graph: nx.MultiGraph[str]
    external: bool                 # a GraphML/GML file: no city policies, no candidate fibres

    @property
    def warnings(self) -> list[str]:
        return [str(w) for w in self.graph.graph.get("warnings", [])]


def load_graph(session: Session, source: GraphSource) -> CityGraph:
    if source.topology is not None:
        return CityGraph(load_topology_file(source.topology, source.core), external=True)
    if source.source == "declared":
        return CityGraph(declared_graph(session.inventory), external=False)
    if source.source == "observed":
        snap = latest_snapshot(session.store)
        if snap is None:
            raise NotFoundError("no sweep snapshot in the store yet (run `netops sweep` first)")
    elif source.source.isdigit():
        snap = load_snapshot(session.store, int(source.source))
    else:
        raise InputError.at("topology", None, "source", "expected declared, observed or a snapshot id")
    return CityGraph(observed_graph(snap, session.inventory), external=False)


def run_check(config: Config, inventory: Inventory, g: nx.MultiGraph[str], external: bool,
              max_ducts: int = 3) -> tuple[TopologyCheck, list[Suggestion]]:
    """Verdicts and suggestions; `external` graphs (a GraphML/GML file) get no city policies or candidates."""
    engine = FailureEngine(g)
    result = check_topology(g, () if external else config.policies, max_ducts, engine=engine)
    candidates = [] if external else load_candidates(config.topology_dir, inventory.devices, inventory.ducts)
    return result, suggest_fibres(g, result, engine, candidates)


class SpofDetail(BaseModel):
    pds: list[str]
    devices: int


class BridgeDetail(SpofDetail):
    cable: str
    ends: list[str]


class NodeDetail(SpofDetail):
    node: str


class PdVerdict(BaseModel):
    code: str
    name: str
    kind: str
    routers: list[str]
    disjoint_paths: int
    edge_disjoint_paths: int
    node_disjoint_paths: int
    paths_capped: bool
    min_ducts_to_isolate: int | None
    min_duct_set: list[str]
    duct_search_stopped_at_bound: bool
    verdict: str
    cut_by: list[str]

    @classmethod
    def of(cls, risk: PDRisk) -> PdVerdict:
        return cls(code=risk.code, name=risk.name, kind=risk.kind, routers=risk.routers,
                   disjoint_paths=min(risk.edge_disjoint, risk.node_disjoint), edge_disjoint_paths=risk.edge_disjoint,
                   node_disjoint_paths=risk.node_disjoint, paths_capped=risk.paths_capped,
                   min_ducts_to_isolate=risk.min_ducts, min_duct_set=risk.min_duct_set,
                   duct_search_stopped_at_bound=risk.duct_search_bounded, verdict=risk.verdict.value,
                   cut_by=risk.cut_by)


class CheckReport(BaseModel):
    """`topology check`: bridges, articulation points, duct SPOFs, each PD's verdict, fixes, violations."""

    source: str
    core: list[str]
    bridges: list[list[str]]
    bridge_details: list[BridgeDetail]
    articulation_points: list[str]
    articulation_details: list[NodeDetail]
    pds: dict[str, PdVerdict]
    duct_spofs: list[DuctSpof]
    duct_search_bound: int
    suggestions: list[Suggestion]
    violations: list[Violation]
    warnings: list[str]
    _check: TopologyCheck | None = PrivateAttr(default=None)

    @property
    def check(self) -> TopologyCheck:
        assert self._check is not None
        return self._check

    @property
    def verdict_counts(self) -> dict[str, int]:
        return {v: sum(1 for r in self.pds.values() if r.verdict == v) for v in VERDICTS}


def check_report(result: TopologyCheck, suggestions: list[Suggestion], warnings: list[str]) -> CheckReport:
    def ends(spof_ends: tuple[str, str] | None) -> list[str]:
        return [str(x) for x in spof_ends or ()]
    report = CheckReport(
        source=result.source, core=result.core, bridges=[ends(b.ends) for b in result.bridges],
        bridge_details=[BridgeDetail(cable=b.name, ends=ends(b.ends), pds=b.pds, devices=b.devices)
                        for b in result.bridges],
        articulation_points=[a.name for a in result.articulation_points],
        articulation_details=[NodeDetail(node=a.name, pds=a.pds, devices=a.devices) for a in result.articulation_points],
        pds={code: PdVerdict.of(risk) for code, risk in result.pds.items()}, duct_spofs=result.duct_spofs,
        duct_search_bound=result.duct_bound, suggestions=suggestions, violations=result.violations,
        warnings=warnings)
    report._check = result
    return report


def check(session: Session, source: GraphSource, max_ducts: int = 3) -> CheckReport:
    city = load_graph(session, source)
    result, suggestions = run_check(session.config, session.inventory, city.graph, city.external, max_ducts)
    return check_report(result, suggestions, city.warnings)


class RerouteReport(BaseModel):
    pd: str
    hops_before: int
    length_before_m: int
    hops_after: int
    length_after_m: int
    path_after: list[str]
    bottleneck_after_mbps: int | None
    capacity_before_mbps: float
    capacity_after_mbps: float


class WhatIfReport(BaseModel):
    failures: list[str]
    links_cut: list[str]
    nodes_failed: list[str]
    isolated_pds: list[str]
    isolated_devices: list[str]
    reroutes: list[RerouteReport]
    warnings: list[str] = []

    @classmethod
    def of(cls, w: WhatIf, warnings: list[str]) -> WhatIfReport:
        return cls(failures=w.failures, links_cut=w.links_cut, nodes_failed=w.nodes_failed,
                   isolated_pds=w.isolated_pds, isolated_devices=w.isolated_devices, warnings=warnings,
                   reroutes=[RerouteReport(pd=r.pd, hops_before=len(r.before.hops), length_before_m=r.before.length_m,
                                           hops_after=len(r.after.hops), length_after_m=r.after.length_m,
                                           path_after=r.after.cables, bottleneck_after_mbps=r.after.bottleneck_mbps,
                                           capacity_before_mbps=r.capacity_before_mbps,
                                           capacity_after_mbps=r.capacity_after_mbps) for r in w.reroutes])


def whatif(session: Session, source: GraphSource, fails: tuple[str, ...]) -> WhatIfReport:
    if not fails:
        raise InputError.at("whatif", None, "fail", "give a failure (link:CABLE, node:HOST or duct:DUCT)")
    city = load_graph(session, source)
    return WhatIfReport.of(what_if(city.graph, [parse_failure(f) for f in fails]), city.warnings)


class EachReport(BaseModel):
    kind: str
    rows: list[EachRow]
    warnings: list[str] = []


def each_alone(session: Session, source: GraphSource, kind: str) -> EachReport:
    """Every duct / link / node failed alone, worst first."""
    city = load_graph(session, source)
    rows = sorted(each(city.graph, kind), key=lambda r: (-len(r.pds), -r.devices, r.name))
    return EachReport(kind=kind, rows=rows, warnings=city.warnings)


class RouteReport(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True)
    start: str = Field(serialization_alias="from")
    end: str = Field(serialization_alias="to")
    hops: int
    length_m: int
    bottleneck_mbps: int | None
    fibres: list[Hop]
    ducts: list[str]

    @classmethod
    def of(cls, r: Route) -> RouteReport:
        return cls(start=r.start, end=r.end, hops=len(r.hops), length_m=r.length_m, bottleneck_mbps=r.bottleneck_mbps,
                   fibres=r.hops, ducts=sorted({d for h in r.hops for d in h.ducts}))


class PathReport(BaseModel):
    pd: str
    routes: list[RouteReport]
    warnings: list[str] = []


def path(session: Session, source: GraphSource, pd_code: str, to: str | None = None) -> PathReport:
    city = load_graph(session, source)
    g = city.graph
    code = pd_code if pd_code in g.graph.get("pds", {}) else pd_code.upper()
    return PathReport(pd=code, routes=[RouteReport.of(r) for r in pd_routes(g, code, to)], warnings=city.warnings)


class RenderReport(BaseModel):
    output: str
    format: str
    bytes: int
    nodes: int
    fibres: int
    warnings: list[str] = []


def render(session: Session, source: GraphSource, fmt: str, highlight: bool, output: Path | None) -> RenderReport:
    """A picture of the network (Graphviz SVG/PNG, or draw.io XML), written privately to `output`."""
    from netops.report.render import render_image, to_drawio
    city = load_graph(session, source)
    g = city.graph
    result = run_check(session.config, session.inventory, g, city.external, 2)[0] if highlight else None
    target = output or Path(f"topology.{fmt}")
    data = to_drawio(g, result).encode() if fmt == "drawio" else render_image(g, result, fmt)
    write_private(target, data)
    return RenderReport(output=str(target), format=fmt, bytes=len(data), nodes=len(g), fibres=g.number_of_edges(),
                        warnings=city.warnings)
