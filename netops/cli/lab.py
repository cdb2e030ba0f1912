"""`netops lab`: the emulated city network (up, status, down) and fault injection."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from netops.cli.context import AppContext, pass_app
from netops.errors import NetopsError
from netops.lab import faults
from netops.lab.build import lab_down, lab_up
from netops.lab.plan import build_plan
from netops.lab.select import select_devices
from netops.lab.state import load_state
from netops.lab.status import lab_status
from netops.lab.system import missing_prerequisites
from netops.report.output import console, emit_json, err_console, shown, table

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _require_lab_host() -> None:
    reason = missing_prerequisites()
    if reason:
        raise NetopsError(reason)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    if quiet:
        yield lambda step, done, total: None
        return
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task("planning", total=1)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update


@click.group("lab")
def command() -> None:
    """The emulated city network: namespaces with real snmpd, lldpd and sshd."""


@command.command("up")
@click.option("--pd", "pds", multiple=True, metavar="CODE", help="Only these PDs (plus the routers that carry them).")
@click.option("--max-routers", type=click.IntRange(min=1), help="Leave out whole PDs beyond this many routers.")
@click.option("--mgmt", type=click.Choice(["inband", "oob"]), default="inband", show_default=True,
              help="inband: the NOC reaches devices over the routed city (a cut isolates); oob: a management bridge.")
@json_option
@pass_app
def up(app: AppContext, pds: tuple[str, ...], max_routers: int | None, mgmt: str, as_json: bool) -> None:
    """Bring the lab up from the inventory (every address as declared, 198.18.0.0/15 only), routed by OSPF."""
    _require_lab_host()
    names, left_out = select_devices(app.inventory, list(pds) or None, max_routers)
    plan = build_plan(app.inventory, names, tuple(left_out), "oob" if mgmt == "oob" else "inband")
    with _progress(as_json) as progress:
        state = lab_up(app.config.lab_state, plan, progress)
    routers = sum(d.role in ("core", "distribution", "pd-edge") for d in plan.devices.values())
    result = {"state_file": str(app.config.lab_state), "devices": len(plan.devices), "routers": routers,
              "links": len(plan.cables), "ducts": len(plan.ducts), "left_out_pds": list(left_out),
              "mgmt": plan.mgmt, "bringup_seconds": state.bringup_seconds}
    if as_json:
        emit_json(result)
        return
    console.print(f"lab up: {result['devices']} devices ({routers} routers), {result['links']} links, "
                  f"{result['ducts']} ducts in {state.bringup_seconds} s; management {plan.mgmt}")
    if left_out:
        console.print(f"left out (--max-routers {max_routers}): {shown(', '.join(left_out))}")
    console.print("credentials are in the lab state file (root only); `netops lab status` shows LLDP")


@command.command("status")
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Every lab device with its daemons, and LLDP adjacencies seen vs declared."""
    state = load_state(app.config.lab_state)
    if state is None:
        if as_json:
            emit_json({"state_file": str(app.config.lab_state), "phase": "none"})
        else:
            console.print(f"no lab is up (state file {shown(app.config.lab_state)})")
        sys.exit(1)
    report = lab_status(state, str(app.config.lab_state))
    if as_json:
        emit_json(report)
        return
    console.print(table("lab devices", ["device", "PD", "role", "mgmt", "daemons"],
                        [[d["hostname"], d["pd"], d["role"], d["mgmt_ip"],
                          " ".join(name if ok else f"{name}:DOWN" for name, ok in d["daemons"].items())]
                         for d in report["devices"]]))
    console.print(table("declared links", ["link", "a", "b", "ducts", "LLDP", "fault"],
                        [[lk["id"], lk["a"], lk["b"], ",".join(lk["ducts"]), lk["lldp"], lk["fault"]]
                         for lk in report["links"]]))
    if report["faults"]:
        console.print(table("faults", ["kind", "target", "since", "detail"],
                            [[f["kind"], f["target"], f["at"], " ".join(f"{k}={v}" for k, v in f["detail"].items())]
                             for f in report["faults"]]))
    s = report["summary"]
    mode = ("in-band: the NOC " + report["noc_address"] + " reaches devices through core router "
            + str(report["noc_gateway"])) if report["mgmt"] == "inband" else "out-of-band bridge"
    console.print(f"management {mode}")
    console.print(f"{s['devices_all_daemons_alive']}/{s['devices']} devices with every daemon alive; "
                  f"{s['links_seen_lldp']}/{s['links_declared']} links seen by LLDP at both ends; "
                  f"credentials: {', '.join(f'{k}={v}' for k, v in report['credentials'].items())}")


@command.command("down")
@click.option("--force", is_flag=True, help="Also sweep every netops-* namespace and the bridge (state lost).")
@json_option
@pass_app
def down(app: AppContext, force: bool, as_json: bool) -> None:
    """Kill every lab process by PID and delete every namespace, veth and the bridge (idempotent)."""
    _require_lab_host()
    result = lab_down(app.config.lab_state, force=force)
    if as_json:
        emit_json(result)
    else:
        console.print(f"lab down: {result['namespaces']} namespaces deleted, {result['processes']} processes ended")


@command.group("fault")
def fault() -> None:
    """Inject faults for tests, demos and Service Desk training."""


def _fault_command(name: str, action: Callable[[Path, str], faults.Fault], metavar: str, doc: str) -> None:
    @fault.command(name, help=doc)
    @click.argument("target", metavar=metavar)
    @json_option
    @pass_app
    def run(app: AppContext, target: str, as_json: bool) -> None:
        _require_lab_host()
        _print_fault(action(app.config.lab_state, target), as_json)


_fault_command("cut", faults.cut, "LINK_ID", "Cut a fibre link: both ends down.")
_fault_command("cut-duct", faults.cut_duct, "DUCT_ID", "Cut a duct: every lab link in it goes down.")
_fault_command("kill", faults.kill, "DEVICE", "Kill a router: every process gone, no light on its ports.")
_fault_command("power-off", faults.kill, "DEVICE", "Power a device off (as kill): every process gone, ports dark.")
_fault_command("hang", faults.hang, "DEVICE", "Freeze the management plane (snmpd, sshd): it still forwards.")
_fault_command("ospf-down", faults.ospf_down, "DEVICE", "Stop a router's OSPF: ports up, traffic rerouted or lost.")
_fault_command("silent", faults.silent, "LINK_ID", "Drop LLDP on a link while it stays up.")


def _print_fault(done: faults.Fault, as_json: bool) -> None:
    if as_json:
        emit_json(done.model_dump())
    else:
        detail = " ".join(f"{k}={v}" for k, v in done.detail.items())
        console.print(f"fault {done.kind} on {shown(done.target)} at {done.at}" + (f" ({shown(detail)})" if detail else ""))


@fault.command("degrade")
@click.argument("target", metavar="LINK_ID")
@click.option("--loss", "loss", type=click.FloatRange(0, 100, min_open=True), help="Random loss, percent.")
@click.option("--rate", "rate", type=click.FloatRange(0, min_open=True), help="Rate limit, Mbit/s (tbf).")
@json_option
@pass_app
def degrade(app: AppContext, target: str, loss: float | None, rate: float | None, as_json: bool) -> None:
    """Degrade a link: random packet loss and/or a rate limit, both directions."""
    _require_lab_host()
    _print_fault(faults.degrade(app.config.lab_state, target, loss, rate), as_json)


@fault.command("flap")
@click.argument("target", metavar="LINK_ID")
@click.option("--period", type=click.FloatRange(0.2, 3600), default=2.0, show_default=True,
              help="Seconds per down+up cycle.")
@click.option("--count", type=click.IntRange(1, 1000), default=3, show_default=True, help="Cycles.")
@json_option
@pass_app
def flap(app: AppContext, target: str, period: float, count: int, as_json: bool) -> None:
    """Flap a link: dark and back, COUNT times (runs in the background until done or restored)."""
    _require_lab_host()
    _print_fault(faults.flap(app.config.lab_state, target, period, count), as_json)


@fault.command("restore")
@click.argument("target", required=False, metavar="[ID]")
@click.option("--all", "everything", is_flag=True, help="Restore every fault.")
@json_option
@pass_app
def restore(app: AppContext, target: str | None, everything: bool, as_json: bool) -> None:
    """Undo the faults on a link, duct or device (or --all)."""
    _require_lab_host()
    if bool(target) == everything:
        raise click.UsageError("give one ID or --all")
    undone = faults.restore(app.config.lab_state, None if everything else target)
    if as_json:
        emit_json([f.model_dump() for f in undone])
    else:
        console.print(f"restored {len(undone)} fault(s)" + "".join(f"\n  {f.kind} {shown(f.target)}" for f in undone))
