"""`netops topology`: single points of failure, what-if failures, paths and pictures of the city network."""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from netops.app import topology as app_topology
from netops.app.topology import GraphSource
from netops.cli.context import AppContext, pass_app
from netops.report import topology_view as view
from netops.report.output import emit_json

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


@click.group("topology")
def command() -> None:
    """The city fibre network as a graph: who falls off when a fibre, router or duct fails."""


def graph_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--source / --topology / --core, shared by every topology command; they arrive as one GraphSource."""
    @functools.wraps(fn)
    def wrapped(source: str, topology: Path | None, core: tuple[str, ...], **kwargs: Any) -> Any:
        return fn(graph=GraphSource(source=source, topology=topology, core=core), **kwargs)
    options = [click.option("--core", "core", multiple=True, help="--topology only: node id(s) of the core (repeatable)."),
               click.option("--topology", "topology", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help="Run on a GraphML or GML file (GIS export, Topology Zoo) instead of the inventory."),
               click.option("--source", default="declared", show_default=True,
                            help="declared (inventory + topology files), observed (latest sweep) or a snapshot id.")]
    for option in options:
        wrapped = option(wrapped)
    return wrapped


@command.command("check")
@graph_options
@click.option("--max-ducts", default=3, show_default=True, type=click.IntRange(1, 6),
              help="Search duct combinations up to this size for each PD's minimum duct cut.")
@json_option
@pass_app
def check(app: AppContext, graph: GraphSource, max_ducts: int, as_json: bool) -> None:
    """Bridges, articulation points, duct SPOFs and each PD's verdict; exit 1 on a policy violation."""
    report = app_topology.check(app, graph, max_ducts)
    view.print_warnings(report.warnings)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_check(report)
    sys.exit(1 if report.violations else 0)


@command.command("whatif")
@graph_options
@click.option("--fail", "fails", multiple=True, help="link:CABLE, node:HOST or duct:DUCT (repeatable, all fail together).")
@click.option("--each", "each_kind", type=click.Choice(app_topology.FAILURE_KINDS), help="Fail every duct / link / node alone, one at a time.")
@json_option
@pass_app
def whatif(app: AppContext, graph: GraphSource, fails: tuple[str, ...], each_kind: str | None, as_json: bool) -> None:
    """PDs cut off, rerouted paths (hops, length) and remaining capacity when elements fail."""
    if not fails and not each_kind:
        raise click.UsageError("give --fail ELEMENT (repeatable) or --each duct|link|node")
    if each_kind:
        rows = app_topology.each_alone(app, graph, each_kind)
        view.print_warnings(rows.warnings)
        emit_json(rows.model_dump(mode="json")["rows"]) if as_json else view.print_each(rows)
        return
    result = app_topology.whatif(app, graph, fails)
    view.print_warnings(result.warnings)
    emit_json(result.model_dump(mode="json")) if as_json else view.print_whatif(result)


@command.command("path")
@click.argument("pd_code")
@click.option("--to", "to", help="End at this device instead of the PD's edge routers.")
@graph_options
@json_option
@pass_app
def path(app: AppContext, pd_code: str, to: str | None, graph: GraphSource, as_json: bool) -> None:
    """Primary and fibre-disjoint backup routes from the Pusat Data to a PD, every fibre and duct."""
    report = app_topology.path(app, graph, pd_code, to)
    view.print_warnings(report.warnings)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_path(report)


@command.command("render")
@graph_options
@click.option("--format", "fmt", type=click.Choice(app_topology.RENDER_FORMATS), default="svg", show_default=True)
@click.option("--highlight", type=click.Choice(["check", "none"]), default="none", show_default=True,
              help="check: colour bridges, articulation points, duct risks and PD verdicts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: topology.<format>).")
@click.option("--json", "as_json", is_flag=True, help="Print where the picture went, as JSON.")
@pass_app
def render(app: AppContext, graph: GraphSource, fmt: str, highlight: str, output: Path | None, as_json: bool) -> None:
    """A picture of the network (Graphviz SVG/PNG, or draw.io XML for diagrams.net)."""
    report = app_topology.render(app, graph, fmt, highlight == "check", output)
    view.print_warnings(report.warnings)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_render(report)
