"""`netops vps backups [record|import]`: VPS overdue for backup (Art. 17), and recording backup runs."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from netops.app import vps as app_vps
from netops.cli.context import AppContext, pass_app
from netops.report import vps_view as view
from netops.report.output import console, emit_json, shown

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


@click.group("backups", invoke_without_command=True)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
              help="Judge ages at this time (default: now, UTC).")
@click.option("--pd", "pd_code", help="Only this PD.")
@click.option("--all", "include_all", is_flag=True, help="List every VPS, not only overdue ones.")
@json_option
@click.pass_context
def backups(ctx: click.Context, as_of: datetime | None, pd_code: str | None, include_all: bool, as_json: bool) -> None:
    """VPS whose last backup is older than their policy allows (Art. 17), per PD."""
    if ctx.invoked_subcommand:
        return
    report = app_vps.backups(ctx.ensure_object(AppContext), as_of, pd_code, include_all)
    emit_json(report.model_dump(mode="json")) if as_json else view.print_backups(report)


@backups.command("record")
@click.argument("name")
@click.option("--at", "at", required=True, help="When the backup ran (ISO 8601 with offset).")
@click.option("--status", type=click.Choice(app_vps.BACKUP_STATUSES), required=True)
@click.option("--snapshot", help="Snapshot id at the target.")
@json_option
@pass_app
def backups_record(app: AppContext, name: str, at: str, status: str, snapshot: str | None, as_json: bool) -> None:
    """Record one backup run of a VPS (what the backup job calls when it finishes)."""
    done = app_vps.record_backup(app, name, at, status, snapshot)
    if as_json:
        emit_json(done.model_dump(mode="json"))
    else:
        console.print(f"{shown(name)}: backup {status} at {done.at.isoformat()}"
                      + ("" if done.recorded else " (already recorded)"))


@backups.command("import")
@click.argument("logfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@pass_app
def backups_import(app: AppContext, logfile: Path, as_json: bool) -> None:
    """Import a backup agent log (restic --json lines + time/hostname); all or nothing."""
    result = app_vps.import_backups(app, logfile)
    emit_json(result.model_dump(mode="json")) if as_json else \
        console.print(f"{shown(logfile)}: {result.events} backup runs, {result.new} new")
