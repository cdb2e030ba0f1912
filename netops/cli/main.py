"""The `netops` command: one group per job, each a thin layer over one function."""
from __future__ import annotations

import importlib
import sys

import click

from netops.cli.context import AppContext
from netops.errors import ConfigError, InputError, NetopsError
from netops.report.output import err_console

# Each entry is a module of netops.cli exposing `command` (a click group or command).
COMMAND_MODULES = [
    "inventory",
    "sweep",
    "snapshots",
    "vps",
    "diagram",
    "lab",
    "topology",
]


class NetopsGroup(click.Group):
    """Turns netops' own errors into one clear line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for issue in exc.issues:
                err_console.print(f"[red]error[/red] {issue}", highlight=False, soft_wrap=True)
            sys.exit(2)
        except (ConfigError, NetopsError) as exc:
            err_console.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
            sys.exit(2)


@click.group(cls=NetopsGroup)
@click.option("--config", "config_path", envvar="NETOPS_CONFIG", type=click.Path(dir_okay=False),
              help="Project config file (default: netops.yaml here or in a parent folder).")
@click.version_option(package_name="netops")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """netops: the Dinas' toolkit for the city WAN, PD LANs and the Pusat Data."""
    ctx.obj = AppContext(config_path=config_path)


for _name in COMMAND_MODULES:
    cli.add_command(importlib.import_module(f"netops.cli.{_name}").command)
