"""`netops inventory`: validate, list and show what the data files declare."""
from __future__ import annotations

import sys

import click

from netops.app import inventory as app_inventory
from netops.cli.context import AppContext, pass_app
from netops.models.inventory import Role
from netops.report.output import console, emit_json, shown, table


@click.group("inventory")
def command() -> None:
    """The declared city network: PDs, sites, devices, fibre links, ducts."""


@command.command("validate")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def validate(app: AppContext, as_json: bool) -> None:
    """Check every file and cross-reference; exit 1 when anything is wrong."""
    result = app_inventory.validate_inventory(app)
    if as_json:
        emit_json(result.model_dump(mode="json"))
    else:
        for issue in result.errors:
            console.print(f"[red]error[/red] {shown(issue)}", highlight=False, soft_wrap=True)
        for warning in result.warnings:
            console.print(f"[yellow]warning[/yellow] {shown(warning)}", highlight=False, soft_wrap=True)
        summary = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        console.print(f"{'[red]INVALID[/red]' if result.errors else '[green]OK[/green]'}: {summary}; "
                      f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)")
    sys.exit(1 if result.errors else 0)


@command.command("list")
@click.option("--pd", "pd_code", help="Only devices of this PD (code).")
@click.option("--role", type=click.Choice([r.value for r in Role]), help="Only devices with this role.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def list_devices(app: AppContext, pd_code: str | None, role: str | None, as_json: bool) -> None:
    """Devices, filtered by PD and role."""
    devices = app_inventory.list_devices(app, pd_code, role)
    if as_json:
        emit_json([d.model_dump(mode="json", exclude={"pd_name"}) for d in devices])
        return
    console.print(table(f"{len(devices)} devices", ["host", "mgmt IP", "platform", "role", "PD", "PD name", "site", "model"],
                        [(d.hostname, d.mgmt_ip, d.platform, d.role, d.pd, d.pd_name, d.site, d.model) for d in devices]))


@command.command("show")
@click.argument("host")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def show(app: AppContext, host: str, as_json: bool) -> None:
    """One device with its PD, site, interfaces and fibre links."""
    report = app_inventory.show_device(app, host)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    device, pd = report.device, report.pd
    console.print(shown(f"{device.hostname} {device.mgmt_ip} {device.platform} {device.role.value}  "
                        f"PD {device.pd} ({pd.name if pd else '?'}), site {device.site}; "
                        f"{device.vendor or ''} {device.model or ''} serial {device.serial or '-'}"), highlight=False)
    console.print(table("interfaces", ["name", "ipv4", "speed Mb/s", "description"],
                        [(i.name, i.ipv4, i.speed_mbps, i.description) for i in device.interfaces]))
    rows = []
    for link in report.links:
        near, far = (link.a, link.b) if link.a.device == host else (link.b, link.a)
        rows.append((link.id, near.interface, f"{far.device} {far.interface}", link.length_m, link.capacity_mbps,
                     " > ".join(link.ducts), link.status.value))
    console.print(table("fibre links", ["cable", "interface", "far end", "length m", "Mb/s", "ducts", "status"], rows))
