"""`netops watch`: the Service Desk's watch; one incident and one alarm per root cause; stops on SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import sys
import threading

import click

from netops.app.sweep import RUNNERS, RunnerKind, runner_spec
from netops.cli.context import AppContext, pass_app
from netops.report.output import console, err_console, shown


@click.command("watch")
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(1, 3600), help="Seconds between polls.")
@click.option("--cycles", type=click.IntRange(1), help="Stop after this many polls (default: until SIGTERM/Ctrl-C).")
@click.option("--webhook", default=lambda: os.environ.get("NETOPS_WATCH_WEBHOOK"),
              help="POST each incident opened or closed here as JSON (or NETOPS_WATCH_WEBHOOK).")
@click.option("--traps", "listen", default=lambda: os.environ.get("NETOPS_WATCH_TRAPS"), metavar="HOST:PORT",
              help="Receive linkDown/linkUp traps here (v2c/v3, the fleet's credentials) and poll at once "
                   "(or NETOPS_WATCH_TRAPS; e.g. the NOC's 198.18.254.1:162 in the lab).")
@click.option("--out-of-band", "oob", is_flag=True, help="Management is out of band: a cut does not silence devices.")
@click.option("--runner", type=click.Choice(RUNNERS), default="threaded", show_default=True,
              help="Where the polls run: this process, or sharded over a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per event.")
@pass_app
def command(app: AppContext, interval: float, cycles: int | None, webhook: str | None, listen: str | None, oob: bool,
            runner: RunnerKind, scheduler: str | None, as_json: bool) -> None:
    """Poll the network, open one incident per root cause (after two polls agree), close it when healthy."""
    from netops.app.lab_use import lab_notice
    from netops.app.watch import WatchEvent, run_watch, trap_receiver
    said = lab_notice(app.config)
    if said is not None:
        err_console.print(f"[cyan]{shown(said.text)}[/cyan]", highlight=False, soft_wrap=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def show(event: WatchEvent) -> None:
        if as_json:
            sys.stdout.write(json.dumps(event.__dict__) + "\n")
            sys.stdout.flush()
        else:
            console.print(f"{event.at} incident {event.incident} {event.kind}: {shown(event.cause)}"
                          + (f"; PDs cut off: {shown(', '.join(event.pds))}" if event.pds else ""))
    traps = trap_receiver(app.config, app.inventory, listen) if listen else None
    try:
        state = run_watch(app.config, app.inventory, app.store, interval, cycles, stop, show,
                          traps=traps, runner=runner_spec(app.config, runner, scheduler), in_band=not oob,
                          webhook=webhook)
    except KeyboardInterrupt:
        return
    finally:
        if traps is not None:
            traps.stop()
    if as_json:
        sys.stdout.write(json.dumps({"stopped": True, "polls": state.cycles, "alarms": state.alarms,
                                     "trap_polls": state.trap_polls, "traps": state.traps}) + "\n")
    else:
        console.print(f"watch stopped after {state.cycles} poll(s) ({state.trap_polls} started by a trap), "
                      f"{state.alarms} alarm(s)" + (f"; traps: {shown(str(state.traps))}" if listen else ""))
