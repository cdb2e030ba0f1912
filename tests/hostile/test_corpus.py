"""Every hostile file of tests/fixtures/hostile/ through every reader netops has.

Each file is named after what it attacks (`hosts_billion_laughs.yaml`, `diagram_html_label_xss.yaml`).
Every reader gets every file, not only the one it was made for: the only outcomes are a result or
netops' own error (InputError / ConfigError) whose every line is one `file:line: field: message`,
inside the memory and time bounds of the `bounded` fixture. A file also meets the reader it was
made for, which must refuse it (or, for names that are legal but must be rendered inertly, read it:
tests/hostile/test_rendered_outputs.py then greps what is rendered from it).
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from netops.config import load_config
from netops.errors import ConfigError, InputError, NetopsError
from netops.sources.diagrams import READERS, read_diagram
from netops.sources.graphml import load_graphml
from netops.sources.inventory import check_inventory
from netops.sources.secrets import load_secrets
from netops.sources.yamlfile import load_yaml
from tests.hostile.conftest import CORPUS
from tests.inventory_helpers import make_project

FILES = sorted(p.name for p in CORPUS.iterdir())
INVENTORY_FILES = {"hosts": "inventory/hosts.yaml", "groups": "inventory/groups.yaml",
                   "defaults": "inventory/defaults.yaml", "sites": "inventory/sites.yaml",
                   "pusat_data": "inventory/pusat_data.yaml", "links": "topology/links.yaml",
                   "ducts": "topology/ducts.yaml"}
# Legal names that must come out of every renderer inert: read fine, rendered and grepped elsewhere.
READ_THEN_RENDERED = {"diagram_html_label_xss.yaml", "diagram_script_label.json", "diagram_markup_in_names.csv",
                      "diagram_svg_payload_in_drawio_label.drawio", "topology_html_label_node.graphml"}


def _inventory_as(kind: str) -> Callable[[Path, Path], object]:
    def read(path: Path, work: Path) -> object:
        project = make_project(work / "project")
        shutil.copyfile(path, project / INVENTORY_FILES[kind])
        inventory, issues = check_inventory(project / "inventory", project / "topology")
        if issues:
            raise InputError(issues)
        return inventory.warnings
    return read


def _secrets(path: Path, work: Path) -> object:
    copy = work / "outside" / "secrets.yaml"
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    copy.chmod(0o600)
    return load_secrets(copy, work / "project")


def _diagram_reader(reader: object) -> Callable[[Path, Path], object]:
    return lambda path, work: reader.read(path.read_bytes(), path.name)  # type: ignore[attr-defined]


READERS_BY_NAME: dict[str, Callable[[Path, Path], object]] = {
    "yaml": lambda path, work: load_yaml(path),
    **{f"inventory:{kind}": _inventory_as(kind) for kind in INVENTORY_FILES},
    "netops.yaml": lambda path, work: load_config(path),
    "secrets": _secrets,
    "diagram": lambda path, work: read_diagram(path.read_bytes(), path.name),
    **{f"diagram:{reader.FORMAT}": _diagram_reader(reader) for reader in READERS},
    "topology-graphml": lambda path, work: load_graphml(path),
}
# Which reader each file was made for (by its name's prefix).
TARGET = {"hosts_": "inventory:hosts", "groups_": "inventory:groups", "defaults_": "inventory:defaults",
          "pusat_data_": "inventory:pusat_data", "links_": "inventory:links", "topology_": "topology-graphml",
          "diagram_": "diagram", "secrets_": "secrets", "netops_yaml_": "netops.yaml", "playbook_": "yaml"}


def _outcome(reader: str, name: str, tmp_path: Path) -> NetopsError | None:
    try:
        READERS_BY_NAME[reader](CORPUS / name, tmp_path)
    except (InputError, ConfigError) as exc:
        for line in str(exc).splitlines():
            assert line.strip() and "Traceback" not in line, line
        if isinstance(exc, InputError):
            assert all("\n" not in str(issue) for issue in exc.issues), exc.issues
        return exc
    return None


def test_every_file_names_a_reader_it_attacks() -> None:
    assert FILES and all(any(name.startswith(prefix) for prefix in TARGET) for name in FILES)


@pytest.mark.parametrize("reader", sorted(READERS_BY_NAME))
@pytest.mark.parametrize("name", FILES)
def test_reader_answers_with_a_result_or_one_line_errors(name: str, reader: str, tmp_path: Path,
                                                         bounded: None) -> None:
    _outcome(reader, name, tmp_path)


@pytest.mark.parametrize("name", FILES)
def test_the_reader_a_file_attacks_refuses_it(name: str, tmp_path: Path, bounded: None) -> None:
    reader = next(r for prefix, r in TARGET.items() if name.startswith(prefix))
    error = _outcome(reader, name, tmp_path)
    if name in READ_THEN_RENDERED:
        assert error is None, error
    elif name == "groups_cyclic_parents.yaml":       # legal, but warned about
        warnings = _inventory_as("groups")(CORPUS / name, tmp_path / "again") if error is None else None
        assert error is None and any("cycle" in w.message for w in warnings)  # type: ignore[union-attr]
    else:
        assert error is not None, f"{reader} accepted {name}"
