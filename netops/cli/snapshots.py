"""`netops snapshots list|show|diff|import`: stored sweeps, one in detail, what changed, saved outputs read in."""

from __future__ import annotations

from pathlib import Path

import click

from netops.app import snapshots as app_snapshots
from netops.cli.context import AppContext, pass_app
from netops.report.output import emit_json
from netops.report.snapshot_view import print_diff, print_import, print_list, print_report

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


@click.group("snapshots")
def command() -> None:
    """Stored sweeps: list them, show one, diff two."""


@command.command("list")
@click.option("--limit", type=int, default=50, show_default=True)
@json_option
@pass_app
def list_cmd(app: AppContext, limit: int, as_json: bool) -> None:
    """Newest sweeps first, with device and link-state counts."""
    summaries = app_snapshots.list_sweeps(app, limit)
    emit_json([s.model_dump(mode="json") for s in summaries]) if as_json else print_list(summaries)


@command.command("show")
@click.argument("snapshot_id", type=int)
@click.option("--all", "everything", is_flag=True, help="Also list every device and every link, not only problems.")
@json_option
@pass_app
def show_cmd(app: AppContext, snapshot_id: int, everything: bool, as_json: bool) -> None:
    """One sweep: problems first (failed devices, links not up, undeclared adjacencies); --all for the rest."""
    report = app_snapshots.show_sweep(app, snapshot_id)
    emit_json(report.model_dump(mode="json")) if as_json else print_report(report, everything=everything)


@command.command("diff")
@click.argument("a", type=int)
@click.argument("b", type=int)
@json_option
@pass_app
def diff_cmd(app: AppContext, a: int, b: int, as_json: bool) -> None:
    """What changed from sweep A to sweep B: devices, serial/OS, port states, neighbours, links."""
    diff = app_snapshots.diff_sweeps(app, a, b)
    emit_json(diff.model_dump(mode="json")) if as_json else print_diff(diff)


@command.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(app_snapshots.IMPORT_FORMATS), default="auto",
              show_default=True, help="How the outputs were saved.")
@click.option("--platform", default="", help=f"Platform of every output ({', '.join(app_snapshots.IMPORT_PLATFORMS)}, "
                                             "or a netmiko/NAPALM name) when neither folder nor content tells it.")
@json_option
@pass_app
def import_cmd(app: AppContext, path: Path, fmt: str, platform: str, as_json: bool) -> None:
    """Read saved command outputs (a file or a folder) into a snapshot every analysis can use."""
    result = app_snapshots.import_outputs(app, path, fmt, platform)
    emit_json(result.model_dump(mode="json")) if as_json else print_import(result)
