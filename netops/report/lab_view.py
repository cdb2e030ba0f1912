"""How a person reads the lab: what came up, every device's daemons, LLDP per link, faults."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from netops.app.lab import Fault, LabStatusReport, LabUpReport, StepProgress
from netops.report.output import console, err_console, shown, table


@contextmanager
def step_progress(quiet: bool) -> Iterator[StepProgress]:
    """A bar for a job reported as (step, done, total): the lab's bring-up."""
    if quiet:
        yield lambda step, done, total: None
        return
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task("planning", total=1)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update


def print_up(r: LabUpReport, max_routers: int | None) -> None:
    console.print(f"lab up: {r.devices} devices ({r.routers} routers), {r.links} links, "
                  f"{r.ducts} ducts in {r.bringup_seconds} s; management {r.mgmt}")
    if r.left_out_pds:
        console.print(f"left out (--max-routers {max_routers}): {shown(', '.join(r.left_out_pds))}")
    console.print("credentials are in the lab state file (root only); `netops lab status` shows LLDP")


def print_status(report: LabStatusReport) -> None:
    if report.summary is None:
        console.print(f"no lab is up (state file {shown(report.state_file)})")
        return
    console.print(table("lab devices", ["device", "PD", "role", "mgmt", "daemons"],
                        [[d.hostname, d.pd, d.role, d.mgmt_ip,
                          " ".join(name if ok else f"{name}:DOWN" for name, ok in d.daemons.items())]
                         for d in report.devices]))
    console.print(table("declared links", ["link", "a", "b", "ducts", "LLDP", "fault"],
                        [[lk.id, lk.a, lk.b, ",".join(lk.ducts), lk.lldp, lk.fault] for lk in report.links]))
    if report.faults:
        console.print(table("faults", ["kind", "target", "since", "detail"],
                            [[f.kind, f.target, f.at, " ".join(f"{k}={v}" for k, v in f.detail.items())]
                             for f in report.faults]))
    s = report.summary
    mode = (f"in-band: the NOC {report.noc_address} reaches devices through core router {report.noc_gateway}"
            if report.mgmt == "inband" else "out-of-band bridge")
    console.print(f"management {mode}")
    console.print(f"{s.devices_all_daemons_alive}/{s.devices} devices with every daemon alive; "
                  f"{s.links_seen_lldp}/{s.links_declared} links seen by LLDP at both ends; "
                  f"credentials: {', '.join(f'{k}={v}' for k, v in report.credentials.items())}")


def print_fault(done: Fault) -> None:
    detail = " ".join(f"{k}={v}" for k, v in done.detail.items())
    console.print(f"fault {done.kind} on {shown(done.target)} at {done.at}" + (f" ({shown(detail)})" if detail else ""))


def print_restored(undone: list[Fault]) -> None:
    console.print(f"restored {len(undone)} fault(s)" + "".join(f"\n  {f.kind} {shown(f.target)}" for f in undone))
