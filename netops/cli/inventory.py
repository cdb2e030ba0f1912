"""`netops inventory`: validate, list and show what the data files declare."""
from __future__ import annotations

import sys

import click

from netops.cli.context import AppContext, pass_app
from netops.models.inventory import Role
from netops.report.output import console, emit_json, shown, table
from netops.sources.inventory import check_inventory
from netops.text import visible


@click.group("inventory")
def command() -> None:
    """The declared city network: PDs, sites, devices, fibre links, ducts."""


@command.command("validate")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def validate(app: AppContext, as_json: bool) -> None:
    """Check every file and cross-reference; exit 1 when anything is wrong."""
    inv, issues = check_inventory(app.config.inventory_dir, app.config.topology_dir)
    result = {**inv.counts(), "errors": [i.as_dict() for i in issues], "warnings": [w.as_dict() for w in inv.warnings]}
    if as_json:
        emit_json(result)
    else:
        for issue in issues:
            console.print(f"[red]error[/red] {shown(issue)}", highlight=False, soft_wrap=True)
        for warning in inv.warnings:
            console.print(f"[yellow]warning[/yellow] {shown(warning)}", highlight=False, soft_wrap=True)
        summary = ", ".join(f"{v} {k}" for k, v in inv.counts().items())
        console.print(f"{'[red]INVALID[/red]' if issues else '[green]OK[/green]'}: {summary}; {len(issues)} error(s), "
                      f"{len(inv.warnings)} warning(s)")
    sys.exit(1 if issues else 0)


@command.command("list")
@click.option("--pd", "pd_code", help="Only devices of this PD (code).")
@click.option("--role", type=click.Choice([r.value for r in Role]), help="Only devices with this role.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def list_devices(app: AppContext, pd_code: str | None, role: str | None, as_json: bool) -> None:
    """Devices, filtered by PD and role."""
    inv = app.inventory
    if pd_code and pd_code.upper() not in inv.pds:
        raise click.BadParameter(f"unknown PD {visible(pd_code)}", param_hint="--pd")
    devices = [d for d in inv.devices.values()
               if (not pd_code or d.pd == pd_code.upper()) and (not role or d.role.value == role)]
    if as_json:
        emit_json([{"hostname": d.hostname, "mgmt_ip": str(d.mgmt_ip), "platform": d.platform, "role": d.role.value,
                    "pd": d.pd, "site": d.site, "model": d.model} for d in devices])
        return
    rows = [(d.hostname, d.mgmt_ip, d.platform, d.role.value, d.pd, inv.pds[d.pd].name if d.pd in inv.pds else "",
             d.site, d.model) for d in devices]
    console.print(table(f"{len(devices)} devices", ["host", "mgmt IP", "platform", "role", "PD", "PD name", "site", "model"], rows))


@command.command("show")
@click.argument("host")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def show(app: AppContext, host: str, as_json: bool) -> None:
    """One device with its PD, site, interfaces and fibre links."""
    inv = app.inventory
    device = inv.devices.get(host)
    if device is None:
        raise click.BadParameter(f"unknown device {visible(host)}", param_hint="HOST")
    links = [link for link in inv.links.values() if host in (link.a.device, link.b.device)]
    if as_json:
        emit_json({"device": device, "pd": inv.pds.get(device.pd), "site": inv.sites.get(device.site), "links": links})
        return
    pd = inv.pds.get(device.pd)
    console.print(shown(f"{device.hostname} {device.mgmt_ip} {device.platform} {device.role.value}  "
                        f"PD {device.pd} ({pd.name if pd else '?'}), site {device.site}; "
                        f"{device.vendor or ''} {device.model or ''} serial {device.serial or '-'}"), highlight=False)
    console.print(table("interfaces", ["name", "ipv4", "speed Mb/s", "description"],
                        [(i.name, i.ipv4, i.speed_mbps, i.description) for i in device.interfaces]))
    rows = []
    for link in links:
        near, far = (link.a, link.b) if link.a.device == host else (link.b, link.a)
        rows.append((link.id, near.interface, f"{far.device} {far.interface}", link.length_m, link.capacity_mbps,
                     " > ".join(link.ducts), link.status.value))
    console.print(table("fibre links", ["cable", "interface", "far end", "length m", "Mb/s", "ducts", "status"], rows))
