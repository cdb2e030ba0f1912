"""Every kind of broken inventory gives one clear error naming file, line and field."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from netops.errors import InputError
from netops.sources.inventory import check_inventory, load_inventory
from netops.text import visible
from tests.inventory_helpers import CASES, make_project

CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def test_minimal_fixture_is_clean(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    inv = load_inventory(project / "inventory", project / "topology")
    assert inv.counts() == {"pds": 2, "sites": 2, "devices": 3, "links": 2, "ducts": 1}
    assert inv.devices["edge-bapenda-01"].pd == "BAPENDA"
    assert inv.devices["edge-bapenda-01"].platform == "ios"
    assert inv.devices["edge-bapenda-01"].vendor == "Cisco"
    assert inv.devices["core-01"].lab_platform == "netops_lab"


@pytest.mark.parametrize("case", CASE_NAMES)
def test_broken_input_names_file_line_and_field(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = YAML(typ="safe").load((CASES / case / "expected.yaml").read_text())
    project = make_project(tmp_path, case)
    monkeypatch.chdir(project)
    _, issues = check_inventory(Path("inventory"), Path("topology"))
    matching = [i for i in issues if i.file == expected["file"] and i.field == expected["field"]]
    assert matching, f"no issue at {expected['file']} {expected['field']}; got {[str(i) for i in issues]}"
    assert matching[0].line == expected["line"]
    assert expected["message"] in matching[0].message
    with pytest.raises(InputError):
        load_inventory(Path("inventory"), Path("topology"))


@pytest.mark.parametrize("case", CASE_NAMES)
def test_cli_validate_exits_nonzero_with_one_line_per_error(case: str, tmp_path: Path) -> None:
    expected = YAML(typ="safe").load((CASES / case / "expected.yaml").read_text())
    project = make_project(tmp_path, case)
    run = subprocess.run([sys.executable, "-m", "netops", "--config", "netops.yaml", "inventory", "validate", "--json"],
                         cwd=project, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    assert any(e["file"] == expected["file"] and e["line"] == expected["line"] and e["field"] == expected["field"]
               for e in report["errors"]), report["errors"]
    human = subprocess.run([sys.executable, "-m", "netops", "--config", "netops.yaml", "inventory", "validate"],
                           cwd=project, capture_output=True, text=True, timeout=60)
    assert human.returncode == 1
    where = visible(f"{expected['file']}:{expected['line']}: {expected['field']}:")   # control characters shown
    assert where in human.stdout.replace("\n", " ")
