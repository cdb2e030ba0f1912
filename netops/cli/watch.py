"""`netops watch`: the Service Desk's watch; one incident and one alarm per root cause; stops on SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import sys
import threading

import click

from netops.cli.context import AppContext, pass_app
from netops.collect.runners import RUNNERS, RunnerKind, RunnerSpec
from netops.report.output import console, shown


@click.command("watch")
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(1, 3600), help="Seconds between polls.")
@click.option("--cycles", type=click.IntRange(1), help="Stop after this many polls (default: until SIGTERM/Ctrl-C).")
@click.option("--webhook", default=lambda: os.environ.get("NETOPS_WATCH_WEBHOOK"),
              help="POST each incident opened or closed here as JSON (or NETOPS_WATCH_WEBHOOK).")
@click.option("--out-of-band", "oob", is_flag=True, help="Management is out of band: a cut does not silence devices.")
@click.option("--runner", type=click.Choice(RUNNERS), default="threaded", show_default=True,
              help="Where the polls run: this process, or sharded over a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per event.")
@pass_app
def command(app: AppContext, interval: float, cycles: int | None, webhook: str | None, oob: bool,
            runner: RunnerKind, scheduler: str | None, as_json: bool) -> None:
    """Poll the network, open one incident per root cause (after two polls agree), close it when healthy."""
    from netops.app.watch import WatchEvent, run_watch
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def show(event: WatchEvent) -> None:
        if as_json:
            sys.stdout.write(json.dumps(event.__dict__) + "\n")
            sys.stdout.flush()
        else:
            console.print(f"{event.at} incident {event.incident} {event.kind}: {shown(event.cause)}"
                          + (f"; PDs cut off: {shown(', '.join(event.pds))}" if event.pds else ""))
    try:
        state = run_watch(app.config, app.inventory, app.store, interval, cycles, stop, show,
                          runner=RunnerSpec(runner, address=scheduler), in_band=not oob, webhook=webhook)
    except KeyboardInterrupt:
        return
    if not as_json:
        console.print(f"watch stopped after {state.cycles} poll(s), {state.alarms} alarm(s)")
