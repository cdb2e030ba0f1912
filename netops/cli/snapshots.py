"""`netops snapshots list|show|diff|import`: stored sweeps, one in detail, what changed, saved outputs read in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.text import Text

from netops.analysis.snapshot_diff import SnapshotDiff, diff_snapshots
from netops.cli.context import AppContext, pass_app
from netops.models.observation import LinkState, Snapshot
from netops.report.output import console, emit_json, shown, table
from netops.store.snapshots import list_snapshots, load_snapshot

_STATE_STYLE = {
    LinkState.up: "green",
    LinkState.down: "red",
    LinkState.mismatched: "magenta",
    LinkState.unseen: "yellow",
}


def link_counts(snapshot: Snapshot) -> dict[str, int]:
    counts = {state.value: 0 for state in LinkState}
    for link in snapshot.links.values():
        counts[link.state.value] += 1
    return counts


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    """The machine-readable summary of a sweep: counts, id, every device's ports and neighbours, links."""
    return {
        "snapshot_id": snapshot.id,
        "started_at": snapshot.started_at.isoformat(),
        "finished_at": snapshot.finished_at.isoformat(),
        "seconds": round((snapshot.finished_at - snapshot.started_at).total_seconds(), 3),
        "actor": snapshot.actor,
        "request": snapshot.request,
        "counts": {
            "devices": len(snapshot.observations) + len(snapshot.failures),
            "observed": len(snapshot.observations),
            "failed": len(snapshot.failures),
            "links": link_counts(snapshot),
            "new_adjacencies": len(snapshot.new_adjacencies),
        },
        "devices": {
            host: {
                "via": obs.via,
                "facts": {
                    k: obs.facts.get(k)
                    for k in ("hostname", "vendor", "model", "serial_number", "os_version")
                },
                "interfaces": {
                    name: {k: i.get(k) for k in ("is_up", "is_enabled", "speed")}
                    for name, i in obs.interfaces.items()
                },
                "lldp_neighbors": {
                    port: [
                        {
                            "remote_system_name": n.get("remote_system_name"),
                            "remote_system_name_from": n.get("remote_system_name_from") or "system_name",
                            "remote_port": n.get("remote_port"),
                        }
                        for n in entries
                    ]
                    for port, entries in obs.lldp_neighbors_detail.items()
                    if entries
                },
            }
            for host, obs in snapshot.observations.items()
        },
        "failures": {
            host: {"via": f.via, "reason": f.reason.value, "message": f.message}
            for host, f in snapshot.failures.items()
        },
        "links": {
            lid: {"state": lo.state.value, "reason": lo.reason, "speed_mbps": lo.speed_mbps}
            for lid, lo in snapshot.links.items()
        },
        "new_adjacencies": [n.model_dump() for n in snapshot.new_adjacencies],
    }


def print_snapshot(snapshot: Snapshot, *, all_links: bool = True) -> None:
    seconds = (snapshot.finished_at - snapshot.started_at).total_seconds()
    console.print(
        f"[bold]snapshot {snapshot.id}[/bold] by {shown(snapshot.actor)} at {snapshot.started_at:%Y-%m-%d %H:%M:%S}"
        f" UTC ({seconds:.1f} s, via {','.join(snapshot.request.get('via', []))}): "
        f"{len(snapshot.observations)} answered, {len(snapshot.failures)} failed",
        highlight=False,
    )
    rows = [
        (
            h,
            o.via,
            o.facts.get("vendor"),
            o.facts.get("model"),
            o.facts.get("serial_number"),
            f"{sum(1 for i in o.interfaces.values() if i.get('is_up'))}/{len(o.interfaces)}",
            sum(len(v) for v in o.lldp_neighbors_detail.values()),
        )
        for h, o in sorted(snapshot.observations.items())
    ]
    if rows:
        columns = ["host", "via", "vendor", "model", "serial", "ports up", "neighbours"]
        console.print(table("devices", columns, rows))
    if snapshot.failures:
        console.print(
            table(
                "failed devices",
                ["host", "via", "reason", "message"],
                [(h, f.via, f.reason.value, f.message) for h, f in sorted(snapshot.failures.items())],
            )
        )
    links = [lo for lo in snapshot.links.values() if all_links or lo.state != LinkState.up]
    console.print(
        table(
            f"fibre links ({', '.join(f'{v} {k}' for k, v in link_counts(snapshot).items() if v)})",
            ["cable", "state", "Mb/s", "reason"],
            [
                (lo.link_id, Text(lo.state.value, style=_STATE_STYLE[lo.state]), lo.speed_mbps, lo.reason)
                for lo in sorted(links, key=lambda lo: lo.link_id)
            ],
        )
    )
    if snapshot.new_adjacencies:
        console.print(
            table(
                "undeclared adjacencies (new links?)",
                ["device", "interface", "far device", "far interface"],
                [(n.a_device, n.a_interface, n.b_device, n.b_interface) for n in snapshot.new_adjacencies],
            )
        )


def print_diff(diff: SnapshotDiff) -> None:
    console.print(
        f"[bold]snapshot {diff.a} -> {diff.b}[/bold]: {'no changes' if diff.empty else 'changes below'}",
        highlight=False,
    )
    if diff.devices_appeared:
        console.print(table("devices appeared", ["host"], [(h,) for h in diff.devices_appeared]))
    for title, changes in (
        ("devices disappeared", diff.devices_disappeared),
        ("facts changed", diff.facts_changed),
        ("interfaces changed", diff.interfaces_changed),
        ("neighbours changed", diff.neighbours_changed),
        ("links changed", diff.links_changed),
    ):
        if changes:
            console.print(
                table(
                    title,
                    ["device", "what", "before", "after", "note"],
                    [(c.device, c.subject, c.before, c.after, c.note) for c in changes],
                )
            )


@click.group("snapshots")
def command() -> None:
    """Stored sweeps: list them, show one, diff two."""


@command.command("list")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def list_cmd(app: AppContext, limit: int, as_json: bool) -> None:
    """Newest sweeps first, with device and link-state counts."""
    summaries = list_snapshots(app.store, limit)
    if as_json:
        emit_json(summaries)
        return
    console.print(
        table(
            f"{len(summaries)} snapshots",
            ["id", "started (UTC)", "by", "via", "devices", "failed", "links"],
            [
                (
                    s.id,
                    f"{s.started_at:%Y-%m-%d %H:%M:%S}",
                    s.actor,
                    ",".join(s.request.get("via", [])),
                    s.devices,
                    s.failed,
                    ", ".join(f"{n} {k}" for k, n in sorted(s.links.items())),
                )
                for s in summaries
            ],
        )
    )


@command.command("show")
@click.argument("snapshot_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def show_cmd(app: AppContext, snapshot_id: int, as_json: bool) -> None:
    """One sweep: devices, failures with reasons, link states, undeclared adjacencies."""
    snapshot = load_snapshot(app.store, snapshot_id)
    if as_json:
        emit_json(snapshot_json(snapshot))
    else:
        print_snapshot(snapshot)


@command.command("diff")
@click.argument("a", type=int)
@click.argument("b", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def diff_cmd(app: AppContext, a: int, b: int, as_json: bool) -> None:
    """What changed from sweep A to sweep B: devices, serial/OS, port states, neighbours, links."""
    diff = diff_snapshots(load_snapshot(app.store, a), load_snapshot(app.store, b))
    if as_json:
        emit_json(diff)
    else:
        print_diff(diff)


@command.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", "suzieq", "text", "napalm-json"]), default="auto",
              show_default=True, help="How the outputs were saved.")
@click.option("--platform", default="", help="Platform of every output (ios, nxos, eos, junos, vrp, routeros, "
                                             "panos, linux/cumulus) when neither folder nor content tells it.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def import_cmd(app: AppContext, path: Path, fmt: str, platform: str, as_json: bool) -> None:
    """Read saved command outputs (a file or a folder) into a snapshot every analysis can use."""
    from netops.app.snapshot_import import import_snapshot
    result = import_snapshot(app.store, app.inventory, path, fmt, platform)
    if as_json:
        emit_json(result.model_dump())
        return
    rows = [("(file)", "refused", 0, 0, shown(reason)) for reason in result.refused_files]
    rows += [(shown(d.host), "unreadable", 0, 0, shown("; ".join(d.skipped))) for d in result.unreadable]
    rows += [(shown(d.host), "imported", d.neighbours, d.interfaces, shown("; ".join(d.skipped)))
             for d in sorted(result.devices, key=lambda d: (not d.skipped, d.host))]
    console.print(table(f"Snapshot {result.snapshot_id} imported from {shown(result.path)}",
                        ["device", "result", "neighbours", "interfaces", "not read"], rows))
