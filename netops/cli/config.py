"""`netops config history|diff HOST`: a device's backed-up configs in git."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from netops.cli.context import AppContext, pass_app
from netops.report.output import console, emit_json, shown, table

REPOSITORY_HELP = "The backup repository (default: var/configs under the project, as the backup task writes)."


def _repo(app: AppContext, repository: str | None) -> Path:
    path = Path(repository or "var/configs")
    return path if path.is_absolute() else app.config.root / path


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
    from netops.configs.gitstore import history
    revisions = history(_repo(app, repository), host)
    if as_json:
        emit_json([r.__dict__ for r in revisions])
        return
    console.print(table(f"{shown(host)}: {len(revisions)} change(s)", ["commit", "at", "message"],
                        [(r.commit[:12], r.at, shown(r.message)) for r in revisions]))


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
    from netops.configs.gitstore import diff
    text = diff(_repo(app, repository), host, rev_a, rev_b)
    if as_json:
        emit_json({"host": host, "diff": text})
    else:
        sys.stdout.write(text)
