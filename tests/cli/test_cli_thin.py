"""Every command module is thin: it parses options, calls the app, renders. Enforced by its imports and size.

A command may import click, rich, the standard library, netops.app (use cases), netops.report (rendering),
netops.models (shapes for choices and annotations), netops.errors, netops.cli and, for `serve`, the web
interface. Store, Nornir, collectors, graph engines, sources, the lab and provisioning are wired in
netops.app and nowhere in a command.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / "netops" / "cli"
MAX_LINES = 120
ALLOWED = ("netops.app", "netops.report", "netops.models", "netops.errors", "netops.cli", "click", "rich")
ALLOWED_IN = {"serve.py": ("netops.web", "uvicorn")}
MODULES = sorted(p for p in CLI.glob("*.py") if p.name != "__init__.py")


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def allowed(module: str, file: str) -> bool:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names or module == "__future__":
        return True
    return any(module == p or module.startswith(p + ".") for p in ALLOWED + ALLOWED_IN.get(file, ()))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_command_module_imports_only_the_app_and_rendering(path: Path) -> None:
    wiring = sorted(m for m in imported(path) if not allowed(m, path.name))
    assert wiring == [], f"{path.name} wires {wiring} itself: move that into netops.app"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_command_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines (at most {MAX_LINES}): move work into netops.app"


def test_the_checker_catches_wiring_in_a_command(tmp_path: Path) -> None:
    fat = tmp_path / "fat.py"
    fat.write_text("import click\nfrom netops.store.db import Store\n\ndef f():\n    from netops.collect.sweep import sweep\n")
    assert sorted(m for m in imported(fat) if not allowed(m, fat.name)) == ["netops.collect.sweep", "netops.store.db"]
