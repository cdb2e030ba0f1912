"""`netops sweep`: ask the devices, judge the fibre links, store a snapshot; exit 1 if any device failed."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from netops.cli.context import AppContext, pass_app
from netops.cli.snapshots import print_snapshot, snapshot_json
from netops.collect.base import CollectOptions, CollectResult
from netops.collect.runners import RUNNERS, RunnerKind, RunnerSpec
from netops.collect.sweep import VIAS, SweepRequest, sweep
from netops.models.inventory import Role
from netops.models.observation import DeviceFailure
from netops.report.output import emit_json, err_console
from netops.store.snapshots import save_snapshot


class RichProgress:
    """One bar per collector, on stderr so `--json` output stays clean."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.failed: dict[str, int] = {}

    def start(self, collector: str, total: int) -> None:
        self.failed[collector] = 0
        self.tasks[collector] = self.progress.add_task(collector, total=total, failed=0)

    def advance(self, collector: str, result: CollectResult) -> None:
        if isinstance(result, DeviceFailure):
            self.failed[collector] += 1
        self.progress.update(self.tasks[collector], advance=1, failed=self.failed[collector])


def _via(value: str) -> tuple[str, ...]:
    parts = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    bad = [p for p in parts if p not in VIAS]
    if bad or not parts:
        raise click.BadParameter(
            f"{value!r}: choose from {', '.join(VIAS)} (comma-separated)", param_hint="--via"
        )
    return parts


@click.command("sweep")
@click.option("--pd", "pds", multiple=True, help="Only devices of this PD code (repeatable).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Only this role (repeatable).",
)
@click.option("--platform", "platforms", multiple=True, help="Only this platform (repeatable).")
@click.option(
    "--filter", "filters", multiple=True, help="Nornir F filter key=value, e.g. data__role=pd-edge (AND)."
)
@click.option("--via", default=None, help="Collectors, comma-separated: snmp,napalm,cli [default: snmp].")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Per-request timeout, seconds [default: 3].",
)
@click.option("--retries", type=click.IntRange(min=0), default=None, help="Retries per request [default: 1].")
@click.option(
    "--concurrency", type=click.IntRange(min=1), default=None, help="Devices at once [default: 200]."
)
@click.option("--runner", type=click.Choice(RUNNERS), default="threaded", show_default=True,
              help="Where the collectors run: this process, or sharded over a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option(
    "--json", "as_json", is_flag=True, help="Machine-readable output: counts, snapshot id, devices, links."
)
@pass_app
def command(
    app: AppContext,
    pds: tuple[str, ...],
    roles: tuple[str, ...],
    platforms: tuple[str, ...],
    filters: tuple[str, ...],
    via: str | None,
    timeout: float | None,
    retries: int | None,
    concurrency: int | None,
    runner: RunnerKind,
    scheduler: str | None,
    as_json: bool,
) -> None:
    """Ask every selected device what it is and sees; judge every fibre link; keep a snapshot."""
    defaults = app.config.sweep
    base = CollectOptions()
    options = CollectOptions(
        timeout=timeout if timeout is not None else float(defaults.get("timeout", base.timeout)),
        retries=retries if retries is not None else int(defaults.get("retries", base.retries)),
        concurrency=concurrency
        if concurrency is not None
        else int(defaults.get("concurrency", base.concurrency)),
    )
    for expr in filters:
        if "=" not in expr:
            raise click.BadParameter(
                f"{expr!r}: expected key=value, e.g. data__role=pd-edge", param_hint="--filter"
            )
    request = SweepRequest(
        via=_via(via or str(defaults.get("via", "snmp"))),
        pds=pds,
        roles=roles,
        platforms=platforms,
        filters=filters,
        options=options,
    )
    inventory = app.inventory
    columns = (
        TextColumn("{task.description:>7}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=as_json) as progress:
        snapshot = sweep(app.config, inventory, request, progress=RichProgress(progress),
                         runner=RunnerSpec(runner, address=scheduler))
    snapshot.id = save_snapshot(app.store, snapshot)
    if as_json:
        emit_json(snapshot_json(snapshot))
    else:
        print_snapshot(snapshot)
    sys.exit(1 if snapshot.failures else 0)
