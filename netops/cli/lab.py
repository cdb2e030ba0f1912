"""`netops lab`: the emulated city network (up, status, down) and fault injection."""
from __future__ import annotations

import sys

import click

from netops.app import lab as app_lab
from netops.cli.context import AppContext, pass_app
from netops.report import lab_view as view
from netops.report.output import console, emit_json

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


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
    with view.step_progress(as_json) as progress:
        report = app_lab.bring_up(app, pds, max_routers, "oob" if mgmt == "oob" else "inband", progress)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_up(report, max_routers)


@command.command("status")
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Every lab device with its daemons, and LLDP adjacencies seen vs declared."""
    report = app_lab.status(app)
    if as_json:
        emit_json(report.model_dump(mode="json", exclude_defaults=not report.up))
    else:
        view.print_status(report)
    sys.exit(0 if report.up else 1)


@command.command("down")
@click.option("--force", is_flag=True, help="Also sweep every netops-* namespace and the bridge (state lost).")
@json_option
@pass_app
def down(app: AppContext, force: bool, as_json: bool) -> None:
    """Kill every lab process by PID and delete every namespace, veth and the bridge (idempotent)."""
    result = app_lab.bring_down(app, force)
    emit_json(result) if as_json else \
        console.print(f"lab down: {result['namespaces']} namespaces deleted, {result['processes']} processes ended")


@command.group("fault")
def fault() -> None:
    """Inject faults for tests, demos and Service Desk training."""


def _fault_command(name: str, metavar: str, doc: str) -> None:
    @fault.command(name, help=doc)
    @click.argument("target", metavar=metavar)
    @json_option
    @pass_app
    def run(app: AppContext, target: str, as_json: bool) -> None:
        done = app_lab.inject(app, name, target)
        emit_json(done.model_dump()) if as_json else view.print_fault(done)


for _name, (_action, _metavar, _doc) in app_lab.FAULTS.items():
    _fault_command(_name, _metavar, _doc)


@fault.command("degrade")
@click.argument("target", metavar="LINK_ID")
@click.option("--loss", "loss", type=click.FloatRange(0, 100, min_open=True), help="Random loss, percent.")
@click.option("--rate", "rate", type=click.FloatRange(0, min_open=True), help="Rate limit, Mbit/s (tbf).")
@json_option
@pass_app
def degrade(app: AppContext, target: str, loss: float | None, rate: float | None, as_json: bool) -> None:
    """Degrade a link: random packet loss and/or a rate limit, both directions."""
    done = app_lab.degrade(app, target, loss, rate)
    emit_json(done.model_dump()) if as_json else view.print_fault(done)


@fault.command("flap")
@click.argument("target", metavar="LINK_ID")
@click.option("--period", type=click.FloatRange(0.2, 3600), default=2.0, show_default=True,
              help="Seconds per down+up cycle.")
@click.option("--count", type=click.IntRange(1, 1000), default=3, show_default=True, help="Cycles.")
@json_option
@pass_app
def flap(app: AppContext, target: str, period: float, count: int, as_json: bool) -> None:
    """Flap a link: dark and back, COUNT times (runs in the background until done or restored)."""
    done = app_lab.flap(app, target, period, count)
    emit_json(done.model_dump()) if as_json else view.print_fault(done)


@fault.command("restore")
@click.argument("target", required=False, metavar="[ID]")
@click.option("--all", "everything", is_flag=True, help="Restore every fault.")
@json_option
@pass_app
def restore(app: AppContext, target: str | None, everything: bool, as_json: bool) -> None:
    """Undo the faults on a link, duct or device (or --all)."""
    if bool(target) == everything:
        raise click.UsageError("give one ID or --all")
    undone = app_lab.restore(app, None if everything else target)
    emit_json([f.model_dump() for f in undone]) if as_json else view.print_restored(undone)
