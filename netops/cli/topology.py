"""`netops topology`: single points of failure, what-if failures, paths and pictures of the city network."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import networkx as nx

from netops.analysis.graph import declared_graph, observed_graph
from netops.analysis.paths import pd_routes
from netops.analysis.redundancy import TopologyCheck
from netops.analysis.suggest import Suggestion
from netops.analysis.whatif import KINDS, each, parse_failure, what_if
from netops.app.topology import check_json, run_check
from netops.cli.context import AppContext, pass_app
from netops.errors import NotFoundError
from netops.files import write_private
from netops.report.output import console, emit_json, err_console, shown, table
from netops.sources.topology_file import load_topology_file


@click.group("topology")
def command() -> None:
    """The city fibre network as a graph: who falls off when a fibre, router or duct fails."""


def graph_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--source / --topology / --core, shared by every topology command."""
    fn = click.option("--core", "core", multiple=True, help="--topology only: node id(s) of the core (repeatable).")(fn)
    fn = click.option("--topology", "topology", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      help="Run on a GraphML or GML file (GIS export, Topology Zoo) instead of the inventory.")(fn)
    return click.option("--source", default="declared", show_default=True,
                        help="declared (inventory + topology files), observed (latest sweep) or a snapshot id.")(fn)


def load_graph(app: AppContext, source: str, topology: Path | None, core: tuple[str, ...]) -> nx.MultiGraph[str]:
    if topology is not None:
        g = load_topology_file(topology, core)
    elif source == "declared":
        g = declared_graph(app.inventory)
    else:
        from netops.store.snapshots import latest_snapshot, load_snapshot
        if source == "observed":
            snap = latest_snapshot(app.store)
            if snap is None:
                raise NotFoundError("no sweep snapshot in the store yet (run `netops sweep` first)")
        elif source.isdigit():
            snap = load_snapshot(app.store, int(source))
        else:
            raise click.BadParameter("expected declared, observed or a snapshot id", param_hint="--source")
        g = observed_graph(snap, app.inventory)
    for warning in g.graph.get("warnings", []):
        err_console.print(f"[yellow]warning[/yellow] {shown(warning)}", highlight=False, soft_wrap=True)
    return g


@command.command("check")
@graph_options
@click.option("--max-ducts", default=3, show_default=True, type=click.IntRange(1, 6),
              help="Search duct combinations up to this size for each PD's minimum duct cut.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def check(app: AppContext, source: str, topology: Path | None, core: tuple[str, ...], max_ducts: int,
          as_json: bool) -> None:
    """Bridges, articulation points, duct SPOFs and each PD's verdict; exit 1 on a policy violation."""
    g = load_graph(app, source, topology, core)
    result, suggestions = run_check(app.config, app.inventory, g, topology is not None, max_ducts)
    if as_json:
        emit_json(check_json(result, suggestions, g))
    else:
        _print_check(result, suggestions)
    sys.exit(1 if result.violations else 0)


def _print_check(result: TopologyCheck, suggestions: list[Suggestion]) -> None:
    spofs = [(f"link {b.name}", " - ".join(map(str, b.ends or ())), len(b.pds), b.devices, ", ".join(b.pds))
             for b in result.bridges if b.pds]
    spofs += [(f"router {a.name}", "", len(a.pds), a.devices, ", ".join(a.pds)) for a in result.articulation_points if a.pds]
    spofs += [(f"duct {d.duct}", ", ".join(d.links), len(d.pds), d.devices,
               ", ".join(d.pds) + (f"  [hidden: {', '.join(d.hidden)}]" if d.hidden else "")) for d in result.duct_spofs]
    spofs.sort(key=lambda r: (-r[2], -r[3], r[0]))
    console.print(table("Single points of failure, by impact", ["fails", "fibres / ends", "PDs cut", "devices cut", "PDs"],
                        spofs))
    risks = sorted(result.pds.values(), key=lambda r: (r.verdict.rank, r.code))
    bound = result.duct_bound
    console.print(table("PDs", ["PD", "name", "verdict", "edge-disjoint", "node-disjoint", "min ducts", "cut by"],
                        [(r.code, r.name, r.verdict.value, f"{r.edge_disjoint}{'+' if r.paths_capped else ''}",
                          r.node_disjoint, r.min_ducts if r.min_ducts is not None else (f">{bound}" if r.duct_search_bounded else "-"),
                          ", ".join(r.cut_by[:4]) + (" ..." if len(r.cut_by) > 4 else "")) for r in risks]))
    if suggestions:
        console.print(table("Suggested fibres (cheapest that makes the PD diverse)",
                            ["PD", "from", "to", "length m", "ducts", "source", "note"],
                            [(s.pd, s.a, s.b, s.length_m, ", ".join(s.ducts), s.source, s.note) for s in suggestions]))
    for v in result.violations:
        console.print(f"[red]policy violated[/red] {shown(v)}", highlight=False)
    counts = {v: sum(1 for r in risks if r.verdict.value == v) for v in
              ("isolated", "single-homed", "dual-homed-shared-duct", "diverse")}
    console.print(", ".join(f"{n} {k}" for k, n in counts.items()) + f"; {len(result.violations)} policy violation(s)")


@command.command("whatif")
@graph_options
@click.option("--fail", "fails", multiple=True, help="link:CABLE, node:HOST or duct:DUCT (repeatable, all fail together).")
@click.option("--each", "each_kind", type=click.Choice(KINDS), help="Fail every duct / link / node alone, one at a time.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def whatif(app: AppContext, source: str, topology: Path | None, core: tuple[str, ...], fails: tuple[str, ...],
           each_kind: str | None, as_json: bool) -> None:
    """PDs cut off, rerouted paths (hops, length) and remaining capacity when elements fail."""
    if not fails and not each_kind:
        raise click.UsageError("give --fail ELEMENT (repeatable) or --each duct|link|node")
    g = load_graph(app, source, topology, core)
    if each_kind:
        rows = sorted(each(g, each_kind), key=lambda r: (-len(r.pds), -r.devices, r.name))
        if as_json:
            emit_json([{"kind": r.kind, "name": r.name, "pds": r.pds, "devices": r.devices} for r in rows])
        else:
            console.print(table(f"Each {each_kind} failed alone ({len(rows)})", [each_kind, "PDs cut", "devices cut", "PDs"],
                                [(r.name, len(r.pds), r.devices, ", ".join(r.pds)) for r in rows]))
        return
    result = what_if(g, [parse_failure(f) for f in fails])
    if as_json:
        emit_json(result.as_dict())
        return
    console.print(shown(f"failed: {', '.join(result.failures)}; fibres down: {', '.join(result.links_cut) or '-'}"),
                  highlight=False)
    console.print(f"[red]PDs cut off ({len(result.isolated_pds)})[/red]: {shown(', '.join(result.isolated_pds) or 'none')}; "
                  f"{len(result.isolated_devices)} device(s) unreachable", highlight=False)
    console.print(table("Rerouted PDs", ["PD", "hops before", "length before m", "hops after", "length after m",
                                         "bottleneck Mb/s", "capacity before", "capacity after", "new path"],
                        [(r.pd, len(r.before.hops), r.before.length_m, len(r.after.hops), r.after.length_m,
                          r.after.bottleneck_mbps, f"{r.capacity_before_mbps:.0f}", f"{r.capacity_after_mbps:.0f}",
                          " ".join(r.after.cables)) for r in result.reroutes]))


@command.command("path")
@click.argument("pd_code")
@click.option("--to", "to", help="End at this device instead of the PD's edge routers.")
@graph_options
@click.option("--json", "as_json", is_flag=True)
@pass_app
def path(app: AppContext, pd_code: str, to: str | None, source: str, topology: Path | None, core: tuple[str, ...],
         as_json: bool) -> None:
    """Primary and fibre-disjoint backup routes from the Pusat Data to a PD, every fibre and duct."""
    g = load_graph(app, source, topology, core)
    code = pd_code if pd_code in g.graph.get("pds", {}) else pd_code.upper()
    routes = pd_routes(g, code, to)
    if as_json:
        emit_json({"pd": code, "routes": [r.as_dict() for r in routes]})
        return
    if not routes:
        console.print(f"[red]{shown(code)} has no path to the Pusat Data core[/red]")
    for i, route in enumerate(routes):
        title = f"{'primary' if i == 0 else f'backup {i}'}: {route.start} -> {route.end}, {len(route.hops)} hops, " \
                f"{route.length_m} m, bottleneck {route.bottleneck_mbps} Mb/s"
        console.print(table(title, ["from", "port", "to", "port", "cable", "length m", "Mb/s", "ducts"],
                            [(h.a, h.a_if, h.b, h.b_if, h.cable, h.length_m, h.capacity_mbps, ", ".join(h.ducts))
                             for h in route.hops]))


@command.command("render")
@graph_options
@click.option("--format", "fmt", type=click.Choice(["svg", "png", "drawio"]), default="svg", show_default=True)
@click.option("--highlight", type=click.Choice(["check", "none"]), default="none", show_default=True,
              help="check: colour bridges, articulation points, duct risks and PD verdicts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: topology.<format>).")
@click.option("--json", "as_json", is_flag=True, help="Print where the picture went, as JSON.")
@pass_app
def render(app: AppContext, source: str, topology: Path | None, core: tuple[str, ...], fmt: str, highlight: str,
           output: Path | None, as_json: bool) -> None:
    """A picture of the network (Graphviz SVG/PNG, or draw.io XML for diagrams.net)."""
    from netops.report.render import render_image, to_drawio
    g = load_graph(app, source, topology, core)
    result = run_check(app.config, app.inventory, g, topology is not None, 2)[0] if highlight == "check" else None
    output = output or Path(f"topology.{fmt}")
    data = to_drawio(g, result).encode() if fmt == "drawio" else render_image(g, result, fmt)
    write_private(output, data)
    if as_json:
        emit_json({"output": str(output), "format": fmt, "bytes": len(data), "nodes": len(g), "fibres": g.number_of_edges()})
    else:
        console.print(f"wrote {shown(output)} ({len(data)} bytes, {len(g)} nodes, {g.number_of_edges()} fibres)")
