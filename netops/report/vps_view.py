"""How a person reads the VPS register: one row per VPS (the columns declared once, here), quotas, capacity
bars, drift and overdue backups."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text

from netops.app.vps import BackupsReport, CreateReport, HostReport, QuotaReport, ReconcileReport
from netops.models.vps import Vps, format_mib
from netops.report.output import console, shown, table

VPS_COLUMNS = ["name", "PD", "state", "vCPU", "memory", "disk", "IP", "VLAN", "host", "OS", "backup"]


def vps_row(v: Vps) -> tuple[object, ...]:
    return (v.name, v.pd, v.state.value, v.vcpu, format_mib(v.memory_mib), f"{v.disk_gib}G", v.ip, v.vlan, v.host,
            v.os_template, v.backup_policy)


def print_list(rows: list[Vps]) -> None:
    console.print(table(f"{len(rows)} VPS", VPS_COLUMNS, [vps_row(v) for v in rows]))


def print_vps(v: Vps) -> None:
    console.print(table(v.name, ["field", "value"], [(k, val) for k, val in v.model_dump(mode="json").items()
                                                     if k != "request_key"]))


def print_create(result: CreateReport) -> None:
    verb = "would create" if result.dry_run else "created" if result.created else "already exists:"
    v = result.vps
    console.print(f"{verb} [bold]{shown(v.name)}[/bold] on {shown(v.host)}: {v.ip} (VLAN {v.vlan}), {v.size}, "
                  f"state {v.state.value} via {result.backend}")
    if result.plan is not None:
        console.print(shown(result.plan.domain_xml, newlines=True), highlight=False)


def print_state(v: Vps) -> None:
    console.print(f"{shown(v.name)}: {v.state.value}")


def print_resized(v: Vps) -> None:
    console.print(f"resized {shown(v.name)}: {v.size}")


def print_quota(usage: QuotaReport) -> None:
    q = usage.quota
    rows = [("vCPU", usage.used.vcpu, q.vcpu if q else 0), ("memory", format_mib(usage.used.memory_mib),
             format_mib(q.memory_mib) if q else 0), ("disk", f"{usage.used.disk_gib}G", f"{q.disk_gib}G" if q else 0),
            ("VPS", usage.vps, q.vps if q else 0)]
    console.print(table(f"quota of {usage.pd}" + ("" if q else " (none: no VPS allowed)"), ["resource", "used", "quota"],
                        rows))


def _bar(used: int, cap: int, width: int = 20) -> Text:
    frac = used / cap if cap else 1.0
    colour = "red" if frac >= 0.9 else "yellow" if frac >= 0.75 else "green"
    filled = round(min(frac, 1.0) * width)
    return Text.assemble(("█" * filled, colour), "░" * (width - filled), f" {used}/{cap} ({frac:.0%})")


def print_capacity(usage: list[HostReport], picture: Path | None = None) -> None:
    rows = [(u.host, u.site, u.vps, _bar(u.used.vcpu, u.capacity.vcpu), _bar(u.used.memory_mib, u.capacity.memory_mib),
             _bar(u.used.disk_gib, u.capacity.disk_gib)) for u in usage]
    console.print(table("Pusat Data capacity", ["host", "site", "VPS", "vCPU", "memory MiB", "disk GiB"], rows))
    if picture:
        console.print(f"picture: {shown(picture)}")


def print_reconcile(report: ReconcileReport) -> None:
    console.print(table(f"{len(report.drift)} difference(s) between the register and {report.backend}",
                        ["kind", "name", "host", "detail"], [(d.kind, d.name, d.host, d.detail) for d in report.drift]))


def print_backups(report: BackupsReport) -> None:
    rows = [(s.pd, s.vps, s.policy, s.max_age_hours, s.last_ok.isoformat() if s.last_ok else "never", s.last_status,
             Text("OVERDUE", style="red") if s.overdue else "ok") for s in report.vps]
    console.print(table(f"{report.overdue} of {report.total} VPS overdue for backup",
                        ["PD", "VPS", "policy", "max age h", "last ok", "last run", ""], rows, keys=2))
