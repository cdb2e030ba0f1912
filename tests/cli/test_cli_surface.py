"""Every command group loads, answers --help, and offers --json on its commands."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from netops.cli.main import COMMAND_MODULES, cli

JSON_BY_NATURE = {"diagram schema"}  # prints a JSON Schema document: its only output is JSON


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_group_loads_and_helps(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output


def _leaves(command: click.Command, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], click.Command]]:
    if isinstance(command, click.Group):
        return [leaf for sub_name, sub in command.commands.items() for leaf in _leaves(sub, path + (sub_name,))]
    return [(path, command)]


def test_every_command_offers_json() -> None:
    ctx = click.Context(cli)
    missing = []
    for name in COMMAND_MODULES:
        group = cli.get_command(ctx, name)
        assert group is not None
        for path, leaf in _leaves(group, (name,)):
            if " ".join(path) not in JSON_BY_NATURE and not any("--json" in getattr(p, "opts", ()) for p in leaf.params):
                missing.append(" ".join(path))
    assert missing == [], f"commands without --json: {missing}"


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.output
