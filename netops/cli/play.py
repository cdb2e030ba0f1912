"""`netops play PLAYBOOK` and `netops play history`: playbooks over the fleet, with an Ansible-style recap."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from netops.cli.context import AppContext, pass_app
from netops.report.output import console, emit_json, shown, table


class PlayGroup(click.Group):
    """`netops play FILE ...` runs a playbook; `netops play history` lists runs."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("play", cls=PlayGroup)
def command() -> None:
    """Run a playbook (YAML in playbooks/) over the fleet: `netops play playbooks/config-backup.yaml`."""


@command.command("run")
@click.argument("playbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", help="Only these hosts: names, or pd=CODE / role=ROLE / platform=P / site=S, comma-separated.")
@click.option("--check", is_flag=True, help="Dry run: read and report, change nothing, store nothing in git.")
@click.option("--accept-risk", is_flag=True, help="Go on although a wave would cut PDs off the Pusat Data.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def run_cmd(app: AppContext, playbook: Path, limit: str | None, check: bool, accept_risk: bool, as_json: bool) -> None:
    """Run PLAYBOOK; exit 1 when any host failed."""
    from rich.progress import Progress, TaskID

    from netops.app.play import run_playbook
    with Progress(console=console, disable=as_json, transient=True) as bar:
        current: list[TaskID] = []

        def progress(task: str, hosts: int) -> None:
            if current:
                bar.update(current[0], completed=1)
            current[:] = [bar.add_task(f"{shown(task)} ({hosts} host(s))", total=1)]
        run = run_playbook(app.config, app.inventory, app.store, playbook, limit=limit, check=check,
                           accept_risk=accept_risk, progress=progress)
    if as_json:
        emit_json({**run.model_dump(mode="json"), "recap": run.recap(), "failed_hosts": run.failed_hosts})
    else:
        failures = [r for r in run.results if r.status == "failed"]
        if failures:
            console.print(table("Failed", ["task", "host", "message"],
                                [(shown(r.task), shown(r.host), shown(r.message)) for r in failures]))
        recap = sorted(run.recap().items(), key=lambda kv: (-kv[1]["failed"], -kv[1]["changed"], kv[0]))
        console.print(table(f"PLAY RECAP {shown(run.playbook)} (run {run.id}{', check' if check else ''})",
                            ["host", "ok", "changed", "failed", "skipped"],
                            [(shown(h), c["ok"], c["changed"], c["failed"], c["skipped"]) for h, c in recap]))
        for risk in run.risks:
            console.print(f"[yellow]risk[/yellow] {shown(risk)}")
    sys.exit(1 if run.failed_hosts else 0)


@command.command("history")
@click.option("--playbook", help="Only runs of this playbook (its name).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def history_cmd(app: AppContext, playbook: str | None, as_json: bool) -> None:
    """Stored runs, newest first."""
    from netops.store.runs import list_runs
    rows = list_runs(app.store, playbook)
    if as_json:
        emit_json(rows)
        return
    console.print(table("Playbook runs", ["id", "playbook", "started", "by", "check", "failed hosts", "sha256"],
                        [(r["id"], shown(r["playbook"]), r["started_at"], shown(r["actor"]), "yes" if r["check_only"] else "",
                          r["failed"], r["sha256"][:12]) for r in rows]))


@command.command("schema")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of standard output.")
@click.option("--json", "as_json", is_flag=True, help="The schema is JSON already; accepted for symmetry.")
def schema_cmd(output: Path | None, as_json: bool) -> None:
    """The JSON Schema of playbook files (regenerates schemas/playbook.schema.json)."""
    from netops.sources.playbooks import playbook_json_schema
    text = playbook_json_schema()
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
