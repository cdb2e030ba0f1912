"""Playbook files: every problem reported with file:line:field and nothing run; the schema is current;
every shipped playbook loads."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.errors import InputError
from netops.sources.playbooks import load_playbook, playbook_json_schema
from tests.conftest import REPO

SHIPPED = sorted((REPO / "playbooks").glob("*.yaml"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_playbooks_load(path: Path):
    playbook = load_playbook(path)
    assert playbook.name == path.stem and playbook.description


def test_the_shipped_set_covers_the_routines():
    assert {p.stem for p in SHIPPED} >= {"daily-sweep", "config-backup", "compliance", "lan-inspection",
                                         "annual-diagram-reminder", "redundancy-review"}


def test_committed_schema_is_the_generated_one():
    assert (REPO / "schemas" / "playbook.schema.json").read_text() == playbook_json_schema()


@pytest.mark.parametrize("text, line, field, message", [
    ("name: x\ntasks:\n  - name: a\n    frobnicate: {}\n", 4, "tasks[0].frobnicate", "unknown task type 'frobnicate'; known: assert, backup"),
    ("name: x\ntasks:\n  - getters: {getters: [facts, bogus]}\n", 3, "tasks[0].getters.getters[1]", "Input should be"),
    ("name: x\nhosts: {colour: [red]}\ntasks:\n  - sweep: {}\n", 2, "hosts.colour", "Extra inputs are not permitted"),
    ("name: x\nhosts: {role: [router]}\ntasks:\n  - sweep: {}\n", 2, "hosts.role[0]", "Input should be 'core'"),
    ("name: x\ntasks:\n  - config: {lines: ['{{ host.name ']}\n", 3, "tasks[0].config.lines", "not a valid template"),
    ("name: x\ntasks:\n  - command: {command: 'configure terminal'}\n", 3, "tasks[0].command.command", "only read-only"),
    ("name: x\ntasks:\n  - assert: {rules: [{name: r, must: ['(unclosed']}]}\n", 3, "tasks[0].assert.rules[0].must", "not a regular"),
    ("name: x\ntasks: []\n", 2, "tasks", "at least 1 item"),
    ("name: Bad Name\ntasks:\n  - sweep: {}\n", 1, "name", "String should match"),
    ("name: x\non_failure: maybe\ntasks:\n  - sweep: {}\n", 2, "on_failure", "Input should be 'continue' or 'stop'"),
])
def test_bad_playbook_is_every_error_with_its_line(tmp_path: Path, text: str, line: int, field: str, message: str):
    with pytest.raises(InputError) as caught:
        load_playbook(write(tmp_path, text))
    issues = [(i.line, i.field) for i in caught.value.issues]
    assert (line, field) in issues, issues
    assert message in str(caught.value)


def test_cli_refuses_a_bad_playbook_before_running_anything(tmp_path: Path):
    path = write(tmp_path, "name: x\ntasks:\n  - sweep: {}\n  - frobnicate: {}\n")
    result = CliRunner().invoke(cli, ["play", str(path)])
    assert result.exit_code == 2 and "p.yaml:4" in result.output and "unknown task type" in result.output
    history = CliRunner().invoke(cli, ["play", "history", "--json"])
    assert history.exit_code == 0 and history.stdout.strip() == "[]"
