"""`netops store migrate|check|backup|restore|copy`: looking after the store on SQLite or PostgreSQL.

URLs given on the command line are read like NETOPS_STORE (a password in them works, but `ps`
shows it to every user of the machine: prefer NETOPS_STORE or the secrets file, see the README).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from netops.app import store_admin
from netops.cli.context import AppContext, pass_app
from netops.report.output import console, emit_json, err_console, table

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


def _argument_url(url: str) -> str:
    if store_admin.has_password(url):
        err_console.print("[yellow]warning[/yellow] a password on the command line is visible to other users "
                          "(ps, shell history): prefer NETOPS_STORE or store_password in the secrets file",
                          highlight=False)
    return url


def _rows_table(title: str, rows: dict[str, int]) -> None:
    console.print(table(title, ["table", "rows"], sorted(rows.items())))


def _print_check(result: store_admin.CheckResult) -> None:
    console.print(table(f"{result.store} ({result.backend})", ["check", "ok", "detail"],
                        [(c.name, "yes" if c.ok else "NO", c.detail) for c in result.checks]), highlight=False)
    console.print("store is sound" if result.ok else "[red]store has problems[/red]", highlight=False)


@click.group(name="store")
def command() -> None:
    """The store (SQLite file or PostgreSQL database): migrations, checks, backups, moving it."""


@command.command()
@json_option
@pass_app
def migrate(app: AppContext, as_json: bool) -> None:
    """Apply pending migrations to the configured store (every command also does this on first use)."""
    result = store_admin.migrate(store_admin.configured_store_url(app.config))
    if as_json:
        emit_json(result)
        return
    applied = ", ".join(result.applied) or "nothing to apply"
    console.print(f"{result.store}: schema version {result.schema_version} ({applied})", highlight=False)


@command.command()
@json_option
@pass_app
def check(app: AppContext, as_json: bool) -> None:
    """Schema version, tables, foreign keys, integrity (SQLite) or constraints and sequences (PostgreSQL); exit 1 on a problem."""
    result = store_admin.check(store_admin.configured_store_url(app.config))
    emit_json(result) if as_json else _print_check(result)
    if not result.ok:
        sys.exit(1)


@command.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@pass_app
def backup(app: AppContext, out: Path, as_json: bool) -> None:
    """Write a consistent backup to OUT (SQLite: online backup API; PostgreSQL: pg_dump custom format)."""
    result = store_admin.backup(store_admin.configured_store_url(app.config), out)
    if as_json:
        emit_json(result)
        return
    console.print(f"{result.store}: {sum(result.rows.values())} rows backed up to {result.file} "
                  f"({result.size_bytes} bytes)", highlight=False)


@command.command()
@click.argument("archive", metavar="IN", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a store that already holds data.")
@json_option
@pass_app
def restore(app: AppContext, archive: Path, replace: bool, as_json: bool) -> None:
    """Restore the configured store from a backup IN of the same backend; exit 1 if the result is not sound."""
    result = store_admin.restore(store_admin.configured_store_url(app.config), archive, replace)
    if as_json:
        emit_json(result)
    else:
        _rows_table(f"{result.store}: restored from {result.file}", result.rows)
        _print_check(result.check)
    if not result.check.ok:
        sys.exit(1)


@command.command()
@click.argument("from_url")
@click.argument("to_url", required=False)
@json_option
@pass_app
def copy(app: AppContext, from_url: str, to_url: str | None, as_json: bool) -> None:
    """Copy every row of FROM_URL into the empty store TO_URL (default: the configured store), e.g. SQLite to PostgreSQL."""
    target = _argument_url(to_url) if to_url else store_admin.configured_store_url(app.config)
    result = store_admin.copy(_argument_url(from_url), target)
    if as_json:
        emit_json(result)
    else:
        _rows_table(f"{result.source} -> {result.target}", result.rows)
        _print_check(result.check)
    if not result.check.ok:
        sys.exit(1)
