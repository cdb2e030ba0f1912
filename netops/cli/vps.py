"""`netops vps`: the VPS register and provisioning in the Pusat Data (Perwali Art. 15(7)-(9), 17)."""
from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from netops.app.vps import vps_service
from netops.cli.context import AppContext, pass_app
from netops.files import write_private
from netops.models.vps import Vps, format_mib, parse_size
from netops.provision import backups as backup_ops
from netops.provision.backends import BACKENDS
from netops.provision.capacity_svg import capacity_svg
from netops.provision.reconcile import compare
from netops.provision.service import VpsRequest, VpsService
from netops.provision.usage import host_usage, quota_usage
from netops.report.output import console, emit_json, shown, table

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
backend_option = click.option("--backend", type=click.Choice(BACKENDS), default=None,
                              help="Where VPS are made real (default: NETOPS_VPS_BACKEND, else dryrun).")


class Size(click.ParamType[int, str]):
    """4G, 512M, 1T: converted to the unit the register keeps (MiB for memory, GiB for disk)."""

    name = "size"

    def __init__(self, unit: str):
        self.unit = unit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return parse_size(value, self.unit)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def service(app: AppContext, backend: str | None = None) -> VpsService:
    return vps_service(app.config, app.inventory, app.store, backend)


def vps_row(v: Vps) -> tuple[Any, ...]:
    return (v.name, v.pd, v.state.value, v.vcpu, format_mib(v.memory_mib), f"{v.disk_gib}G", v.ip, v.vlan, v.host,
            v.os_template, v.backup_policy)


VPS_COLUMNS = ["name", "PD", "state", "vCPU", "memory", "disk", "IP", "VLAN", "host", "OS", "backup"]


def print_vps(v: Vps) -> None:
    console.print(table(v.name, ["field", "value"], [(k, val) for k, val in v.model_dump(mode="json").items()
                                                     if k != "request_key"]))


@click.group("vps")
def command() -> None:
    """VPS for the PDs: register, provisioning, capacity, quotas, backups, drift."""


@command.command("create")
@click.option("--pd", "pd_code", required=True, help="PD code, e.g. DISDUKCAPIL.")
@click.option("--purpose", required=True, help="Application, e.g. 'SIMDUK web'; part of the name.")
@click.option("--vcpu", type=click.IntRange(min=1), required=True)
@click.option("--memory", type=Size("M"), required=True, help="e.g. 4G or 512M.")
@click.option("--disk", type=Size("G"), required=True, help="e.g. 40G.")
@click.option("--os", "os_template", required=True, help="OS template name from pusat_data.yaml.")
@click.option("--owner", default="", help="Who at the PD owns this VPS (contact).")
@click.option("--replica", type=click.IntRange(min=1), default=1, help="Replica number: another VPS, same ask.")
@click.option("--request-id", help="Idempotency key (e.g. a ticket number); default: the request itself.")
@click.option("--backup-policy", help="Backup policy name (default: the Pusat Data default).")
@click.option("--dry-run", is_flag=True, help="Show what would be allocated and rendered; write nothing.")
@backend_option
@json_option
@pass_app
def create(app: AppContext, pd_code: str, purpose: str, vcpu: int, memory: int, disk: int, os_template: str,
           owner: str, replica: int, request_id: str | None, backup_policy: str | None, dry_run: bool,
           backend: str | None, as_json: bool) -> None:
    """Register a VPS (quota, host, IP, name in one transaction) and provision it."""
    req = VpsRequest(pd=pd_code.upper(), purpose=purpose, vcpu=vcpu, memory_mib=memory, disk_gib=disk,
                     os_template=os_template, owner=owner, replica=replica, request_id=request_id,
                     backup_policy=backup_policy)
    svc = service(app, backend)
    result = svc.create(req, dry_run=dry_run)
    if as_json:
        out: dict[str, Any] = {"vps": result.vps, "created": result.created, "applied": result.applied,
                               "dry_run": dry_run, "backend": svc.backend.name}
        if dry_run:
            out["plan"] = {"domain_xml": result.plan.domain_xml, "user_data": result.plan.user_data,
                           "network_config": result.plan.network_config}
        emit_json(out)
        return
    verb = "would create" if dry_run else "created" if result.created else "already exists:"
    v = result.vps
    console.print(f"{verb} [bold]{shown(v.name)}[/bold] on {shown(v.host)}: {v.ip} (VLAN {v.vlan}), {v.size}, "
                  f"state {v.state.value} via {svc.backend.name}")
    if dry_run:
        console.print(shown(result.plan.domain_xml, newlines=True), highlight=False)


@command.command("list")
@click.option("--pd", "pd_code", help="Only this PD's VPS.")
@click.option("--all", "include_all", is_flag=True, help="Include decommissioned VPS.")
@json_option
@pass_app
def list_cmd(app: AppContext, pd_code: str | None, include_all: bool, as_json: bool) -> None:
    """The VPS register."""
    rows = service(app).list(pd_code.upper() if pd_code else None, include_decommissioned=include_all)
    if as_json:
        emit_json(rows)
        return
    console.print(table(f"{len(rows)} VPS", VPS_COLUMNS, [vps_row(v) for v in rows]))


@command.command("show")
@click.argument("name")
@json_option
@pass_app
def show(app: AppContext, name: str, as_json: bool) -> None:
    """One VPS with everything the register knows."""
    v = service(app).get(name)
    emit_json(v) if as_json else print_vps(v)


@command.command("resize")
@click.argument("name")
@click.option("--vcpu", type=click.IntRange(min=1))
@click.option("--memory", type=Size("M"))
@click.option("--disk", type=Size("G"), help="Disks only grow.")
@backend_option
@json_option
@pass_app
def resize(app: AppContext, name: str, vcpu: int | None, memory: int | None, disk: int | None,
           backend: str | None, as_json: bool) -> None:
    """Change a VPS's size within its PD's quota and its host's room (takes effect at next boot)."""
    if not (vcpu or memory or disk):
        raise click.UsageError("give at least one of --vcpu, --memory, --disk")
    v = service(app, backend).resize(name, vcpu, memory, disk)
    emit_json(v) if as_json else console.print(f"resized {shown(v.name)}: {v.size}")


def _lifecycle(verb: str, doc: str) -> None:
    @command.command(verb, help=doc)
    @click.argument("name")
    @backend_option
    @json_option
    @pass_app
    def run(app: AppContext, name: str, backend: str | None, as_json: bool) -> None:
        v = getattr(service(app, backend), verb)(name)
        emit_json(v) if as_json else console.print(f"{shown(v.name)}: {v.state.value}")


_lifecycle("stop", "Shut a VPS down (the register says stopped).")
_lifecycle("start", "Start a stopped VPS.")
_lifecycle("decommission", "Remove the domain; keep the record; the IP is freed after the grace period.")


@command.command("quota")
@click.option("--pd", "pd_code", required=True)
@json_option
@pass_app
def quota(app: AppContext, pd_code: str, as_json: bool) -> None:
    """A PD's quota and what it uses."""
    svc = service(app)
    usage = quota_usage(svc.pusat, pd_code.upper(), svc.list(pd_code.upper(), include_decommissioned=False))
    if as_json:
        emit_json(usage)
        return
    q = usage.quota
    rows = [("vCPU", usage.used.vcpu, q.vcpu if q else 0), ("memory", format_mib(usage.used.memory_mib),
             format_mib(q.memory_mib) if q else 0), ("disk", f"{usage.used.disk_gib}G", f"{q.disk_gib}G" if q else 0),
            ("VPS", usage.vps, q.vps if q else 0)]
    console.print(table(f"quota of {usage.pd}" + ("" if q else " (none: no VPS allowed)"), ["resource", "used", "quota"],
                        rows))


def _bar(used: int, cap: int, width: int = 20) -> str:
    frac = used / cap if cap else 1.0
    colour = "red" if frac >= 0.9 else "yellow" if frac >= 0.75 else "green"
    filled = round(min(frac, 1.0) * width)
    return f"[{colour}]{'█' * filled}[/{colour}]{'░' * (width - filled)} {used}/{cap} ({frac:.0%})"


@command.command("capacity")
@click.option("--svg", "svg_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write a picture.")
@json_option
@pass_app
def capacity(app: AppContext, svg_out: Path | None, as_json: bool) -> None:
    """Per hypervisor host: used and free vCPU, memory and disk (after overcommit)."""
    svc = service(app)
    usage = host_usage(svc.pusat, svc.list(include_decommissioned=False))
    if svg_out:
        write_private(svg_out, capacity_svg(usage))
    if as_json:
        emit_json(usage)
        return
    rows = [(u.host, u.site, u.vps, _bar(u.used.vcpu, u.capacity.vcpu), _bar(u.used.memory_mib, u.capacity.memory_mib),
             _bar(u.used.disk_gib, u.capacity.disk_gib)) for u in usage]
    console.print(table("Pusat Data capacity", ["host", "site", "VPS", "vCPU", "memory MiB", "disk GiB"], rows))
    if svg_out:
        console.print(f"picture: {shown(svg_out)}")


@command.command("reconcile")
@backend_option
@json_option
@pass_app
def reconcile(app: AppContext, backend: str | None, as_json: bool) -> None:
    """Compare the register with what the hypervisors really run; exit 1 when they differ."""
    svc = service(app, backend)
    drift = compare(svc.list(include_decommissioned=True), svc.pusat.hosts, svc.backend)
    if as_json:
        emit_json({"backend": svc.backend.name, "drift": drift})
    else:
        console.print(table(f"{len(drift)} difference(s) between the register and {svc.backend.name}",
                            ["kind", "name", "host", "detail"], [(d.kind, d.name, d.host, d.detail) for d in drift]))
    raise SystemExit(1 if drift else 0)


@command.group("backups", invoke_without_command=True)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
              help="Judge ages at this time (default: now, UTC).")
@click.option("--pd", "pd_code", help="Only this PD.")
@click.option("--all", "include_all", is_flag=True, help="List every VPS, not only overdue ones.")
@json_option
@click.pass_context
def backups(ctx: click.Context, as_of: Any, pd_code: str | None, include_all: bool, as_json: bool) -> None:
    """VPS whose last backup is older than their policy allows (Art. 17), per PD."""
    if ctx.invoked_subcommand:
        return
    app = ctx.find_object(AppContext) or ctx.ensure_object(AppContext)
    when = (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)) if as_of else None
    report = backup_ops.backup_report(service(app), when, pd_code.upper() if pd_code else None)
    listed = report if include_all else [s for s in report if s.overdue]
    if as_json:
        emit_json({"as_of": (when.isoformat() if when else None), "vps": listed})
        return
    rows = [(s.pd, s.vps, s.policy, s.max_age_hours, s.last_ok.isoformat() if s.last_ok else "never", s.last_status,
             Text("OVERDUE", style="red") if s.overdue else "ok") for s in listed]
    console.print(table(f"{sum(s.overdue for s in report)} of {len(report)} VPS overdue for backup",
                        ["PD", "VPS", "policy", "max age h", "last ok", "last run", ""], rows))


@backups.command("record")
@click.argument("name")
@click.option("--at", "at", required=True, help="When the backup ran (ISO 8601 with offset).")
@click.option("--status", type=click.Choice(backup_ops.STATUSES), required=True)
@click.option("--snapshot", help="Snapshot id at the target.")
@json_option
@pass_app
def backups_record(app: AppContext, name: str, at: str, status: str, snapshot: str | None, as_json: bool) -> None:
    """Record one backup run of a VPS (what the backup job calls when it finishes)."""
    try:
        when = backup_ops.parse_time(at)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--at") from exc
    added = backup_ops.record(service(app), [backup_ops.BackupEvent(name, when, status, snapshot)], "cli")
    emit_json({"recorded": added}) if as_json else console.print(f"{shown(name)}: backup {status} at {when.isoformat()}"
                                                                  + ("" if added else " (already recorded)"))


@backups.command("import")
@click.argument("logfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@pass_app
def backups_import(app: AppContext, logfile: Path, as_json: bool) -> None:
    """Import a backup agent log (restic --json lines + time/hostname); all or nothing."""
    events = backup_ops.parse_log(logfile)
    added = backup_ops.record(service(app), events, str(logfile))
    result = {"file": str(logfile), "events": len(events), "new": added}
    emit_json(result) if as_json else console.print(f"{shown(logfile)}: {len(events)} backup runs, {added} new")
