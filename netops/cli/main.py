"""The `netops` command: one group per job, each a thin layer over one function."""
from __future__ import annotations

import importlib
import sys

import click

from netops.cli.context import AppContext
from netops.errors import ConfigError, InputError, NetopsError
from netops.report.output import err_console, shown

# Command name -> module of netops.cli exposing `command` (a click group or command).
# Modules are imported only when their command runs: `netops vps list` never pays for NAPALM.
COMMAND_MODULES = {
    "inventory": "inventory",
    "lab": "lab",
    "sweep": "sweep",
    "snapshots": "snapshots",
    "topology": "topology",
    "diagram": "diagram",
    "vps": "vps",
    "audit": "audit",
    "play": "play",
    "config": "config",
    "diagnose": "diagnose",
    "ticket": "ticket",
    "watch": "watch",
    "store": "store",
    "users": "users",
    "serve": "serve",
}


class NetopsGroup(click.Group):
    """Loads command modules lazily; turns netops' errors into one clear line, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(f"netops.cli.{module}").command
        return command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for issue in exc.issues:
                err_console.print(f"[red]error[/red] {shown(issue)}", highlight=False, soft_wrap=True)
            sys.exit(2)
        except (ConfigError, NetopsError) as exc:
            err_console.print(f"[red]error[/red] {shown(exc)}", highlight=False, soft_wrap=True)
            sys.exit(2)


@click.group(cls=NetopsGroup)
@click.option("--config", "config_path", envvar="NETOPS_CONFIG", type=click.Path(dir_okay=False),
              help="Project config file (default: netops.yaml here or in a parent folder).")
@click.version_option(package_name="netops")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """netops: the Dinas' toolkit for the city WAN, PD LANs and the Pusat Data."""
    ctx.obj = AppContext(config_path=config_path)

