"""`netops users add|disable|enable|reset|list`: who may log in to the web portal."""
from __future__ import annotations

import click

from netops.app import users as app_users
from netops.cli.context import AppContext, pass_app
from netops.models.user import WebRole
from netops.report.output import console, emit_json, shown, table

json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


@click.group("users")
def command() -> None:
    """Web portal users: PD clerks (their PD only), Service Desk, Dinas engineers, auditors (read-only)."""


@command.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in WebRole]), required=True)
@click.option("--pd", help="The PD of a `pd` user (its code).")
@json_option
@pass_app
def add_cmd(app: AppContext, username: str, role: str, pd: str | None, as_json: bool) -> None:
    """Create a user; the generated password is printed once, here, and stored only as a hash."""
    user = app_users.add_user(app, username, WebRole(role), pd)
    if as_json:
        emit_json(user.model_dump(mode="json"))
    else:
        console.print(f"user {shown(user.username)} ({user.role.value}{' ' + user.pd if user.pd else ''}) created; "
                      f"password (shown once): {user.password}", highlight=False)


@command.command("reset")
@click.argument("username")
@json_option
@pass_app
def reset_cmd(app: AppContext, username: str, as_json: bool) -> None:
    """Give the user a new generated password (printed once)."""
    new = app_users.reset_password(app, username)
    emit_json(new.model_dump(mode="json")) if as_json else \
        console.print(f"new password for {shown(username)} (shown once): {new.password}", highlight=False)


@command.command("disable")
@click.argument("username")
@json_option
@pass_app
def disable_cmd(app: AppContext, username: str, as_json: bool) -> None:
    """The user can no longer log in (their sessions end at the next request)."""
    user = app_users.set_disabled(app, username, True)
    emit_json(user.model_dump(mode="json")) if as_json else console.print(f"{shown(username)} disabled")


@command.command("list")
@json_option
@pass_app
def list_cmd(app: AppContext, as_json: bool) -> None:
    """Every user, without anything secret."""
    users = app_users.list_users(app)
    if as_json:
        emit_json([u.model_dump(mode="json") for u in users])
        return
    console.print(table("Web users", ["user", "role", "PD", "disabled"],
                        [(u.username, u.role.value, u.pd or "", "yes" if u.disabled else "") for u in users]))
