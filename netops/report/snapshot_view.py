"""How a person reads a sweep: the one-line summary, then the problems, the full tables only when asked.

Problems are failed devices, fibre links not up and undeclared adjacencies; `--all` adds every device
and every link. Key columns (hostnames, cable ids) are never cut (netops.report.output.table).
"""
from __future__ import annotations

from rich.text import Text

from netops.analysis.snapshot_diff import SnapshotDiff
from netops.app.snapshot_import import ImportResult
from netops.app.snapshots import LinkSeen, SnapshotReport
from netops.models.observation import LinkState
from netops.report.output import console, err_console, shown, table
from netops.store.snapshots import SnapshotSummary

STATE_STYLE = {LinkState.up: "green", LinkState.down: "red", LinkState.mismatched: "magenta",
               LinkState.unseen: "yellow"}


def _links(title: str, links: dict[str, LinkSeen]) -> None:
    console.print(table(title, ["cable", "state", "Mb/s", "reason"],
                        [(lid, Text(lo.state.value, style=STATE_STYLE[lo.state]), lo.speed_mbps, lo.reason)
                         for lid, lo in sorted(links.items())]))


def print_report(report: SnapshotReport, *, everything: bool = False) -> None:
    if report.lab is not None:
        err_console.print(f"[cyan]{shown(report.lab.text)}[/cyan]", highlight=False, soft_wrap=True)
    colour = "green" if report.problems == 0 else "red" if report.failures or report.links_not_up else "yellow"
    console.print(f"[bold {colour}]{shown(report.summary)}[/]", highlight=False, soft_wrap=True)
    if report.failures:
        console.print(table("failed devices", ["host", "via", "reason", "message"],
                            [(h, f.via, f.reason.value, f.message) for h, f in sorted(report.failures.items())]))
    if report.links_not_up and not everything:
        _links(f"fibre links not up ({len(report.links_not_up)} of {len(report.links)})", report.links_not_up)
    if report.changes:
        console.print(table(f"changes since snapshot {report.previous_id}", ["device", "what", "before", "after", "note"],
                            [(c.device, c.subject, c.before, c.after, c.note) for c in report.changes], keys=2))
    if report.new_adjacencies:
        console.print(table("undeclared adjacencies (new links?)", ["device", "interface", "far device", "far interface"],
                            [(n.a_device, n.a_interface, n.b_device, n.b_interface) for n in report.new_adjacencies]))
    if everything:
        console.print(table("devices", ["host", "via", "vendor", "model", "serial", "ports up", "neighbours"],
                            [(h, d.via, d.facts.get("vendor"), d.facts.get("model"), d.facts.get("serial_number"),
                              f"{d.ports_up}/{len(d.interfaces)}", d.neighbours)
                             for h, d in sorted(report.devices.items())]))
        _links(f"fibre links ({len(report.links)})", report.links)
    elif report.problems == 0:
        console.print("no problems: every device answered and every fibre link is up (--all lists them)")
    else:
        console.print("[dim](--all lists every device and every link)[/dim]")


def print_list(summaries: list[SnapshotSummary]) -> None:
    console.print(table(f"{len(summaries)} snapshots", ["id", "started (UTC)", "by", "via", "devices", "failed", "links"],
                        [(s.id, f"{s.started_at:%Y-%m-%d %H:%M:%S}", s.actor, ",".join(s.request.get("via", [])),
                          s.devices, s.failed, ", ".join(f"{n} {k}" for k, n in sorted(s.links.items())))
                         for s in summaries]))


def print_diff(diff: SnapshotDiff) -> None:
    console.print(f"[bold]snapshot {diff.a} -> {diff.b}[/bold]: {'no changes' if diff.empty else 'changes below'}",
                  highlight=False)
    if diff.devices_appeared:
        console.print(table("devices appeared", ["host"], [(h,) for h in diff.devices_appeared]))
    for title, changes in (("devices disappeared", diff.devices_disappeared), ("facts changed", diff.facts_changed),
                           ("interfaces changed", diff.interfaces_changed),
                           ("neighbours changed", diff.neighbours_changed), ("links changed", diff.links_changed)):
        if changes:
            console.print(table(title, ["device", "what", "before", "after", "note"],
                                [(c.device, c.subject, c.before, c.after, c.note) for c in changes]))


def print_import(result: ImportResult) -> None:
    rows = [("(file)", "refused", 0, 0, reason) for reason in result.refused_files]
    rows += [(d.host, "unreadable", 0, 0, "; ".join(d.skipped)) for d in result.unreadable]
    rows += [(d.host, "imported", d.neighbours, d.interfaces, "; ".join(d.skipped))
             for d in sorted(result.devices, key=lambda d: (not d.skipped, d.host))]
    console.print(table(f"Snapshot {result.snapshot_id} imported from {result.path}",
                        ["device", "result", "neighbours", "interfaces", "not read"], rows))
