"""`netops sweep`: ask the devices, judge the fibre links, store a snapshot; exit 1 if any device failed."""

from __future__ import annotations

import sys

import click

from netops.app.sweep import DEFAULTS, RUNNERS, VIA_HELP, RunnerKind, SweepAsk, run_sweep
from netops.cli.context import AppContext, pass_app
from netops.models.inventory import Role
from netops.report.output import emit_json
from netops.report.progress import sweep_progress
from netops.report.snapshot_view import print_report


@click.command("sweep")
@click.option("--pd", "pds", multiple=True, help="Only devices of this PD code (repeatable).")
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]),
              help="Only this role (repeatable).")
@click.option("--platform", "platforms", multiple=True, help="Only this platform (repeatable).")
@click.option("--filter", "filters", multiple=True,
              help="Nornir F filter key=value, e.g. data__role=pd-edge (AND).")
@click.option("--via", default=None, help=VIA_HELP)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help=f"Per-request timeout, seconds [default: {DEFAULTS.timeout:g}].")
@click.option("--retries", type=click.IntRange(min=0), default=None,
              help=f"Retries per request [default: {DEFAULTS.retries}].")
@click.option("--concurrency", type=click.IntRange(min=1), default=None,
              help=f"Devices at once [default: {DEFAULTS.concurrency}].")
@click.option("--runner", type=click.Choice(RUNNERS), default="threaded", show_default=True,
              help="Where the collectors run: this process, or sharded over a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--all", "everything", is_flag=True, help="Also list every device and every link, not only problems.")
@click.option("--json", "as_json", is_flag=True,
              help="Machine-readable output: counts, snapshot id, devices, links.")
@pass_app
def command(app: AppContext, pds: tuple[str, ...], roles: tuple[str, ...], platforms: tuple[str, ...],
            filters: tuple[str, ...], via: str | None, timeout: float | None, retries: int | None,
            concurrency: int | None, runner: RunnerKind, scheduler: str | None, everything: bool,
            as_json: bool) -> None:
    """Ask every selected device what it is and sees; judge every fibre link; keep a snapshot."""
    ask = SweepAsk(via=via, pds=pds, roles=roles, platforms=platforms, filters=filters, timeout=timeout,
                   retries=retries, concurrency=concurrency, runner=runner, scheduler=scheduler)
    with sweep_progress(transient=as_json) as progress:
        report = run_sweep(app, ask, progress)
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        print_report(report, everything=everything)
    sys.exit(1 if report.failures else 0)
