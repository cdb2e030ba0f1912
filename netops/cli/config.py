"""`netops config history|diff HOST`: a device's backed-up configs in git."""
from __future__ import annotations

import sys

import click

from netops.app import configs as app_configs
from netops.cli.context import AppContext, pass_app
from netops.report.output import console, emit_json, table

REPOSITORY_HELP = "The backup repository (default: var/configs under the project, as the backup task writes)."


@click.group("config")
def command() -> None:
    """Backed-up device configurations (written by the `backup` playbook task)."""


@command.command("history")
@click.argument("host")
@click.option("--repository", help=REPOSITORY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def history_cmd(app: AppContext, host: str, repository: str | None, as_json: bool) -> None:
    """The backups in which HOST's config changed, newest first."""
    revisions = app_configs.config_history(app, host, repository)
    if as_json:
        emit_json([r.model_dump(mode="json") for r in revisions])
        return
    console.print(table(f"{host}: {len(revisions)} change(s)", ["commit", "at", "message"],
                        [(r.commit[:12], r.at, r.message) for r in revisions]))


@command.command("diff")
@click.argument("host")
@click.argument("rev_a", required=False)
@click.argument("rev_b", required=False)
@click.option("--repository", help=REPOSITORY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_app
def diff_cmd(app: AppContext, host: str, rev_a: str | None, rev_b: str | None, repository: str | None,
             as_json: bool) -> None:
    """HOST's config between two backups (default: its last two changes)."""
    result = app_configs.config_diff(app, host, rev_a, rev_b, repository)
    if as_json:
        emit_json(result.model_dump(mode="json"))
    else:
        sys.stdout.write(result.diff)
