"""Build a scratch project from the minimal fixture inventory, with one case's files laid over it."""
from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "inventory"
MINIMAL = FIXTURES / "minimal"
CASES = FIXTURES / "cases"


def make_project(dest: Path, case: str | None = None) -> Path:
    shutil.copytree(MINIMAL, dest, dirs_exist_ok=True)
    if case:
        for src in (CASES / case).rglob("*.yaml"):
            if src.name != "expected.yaml":
                target = dest / src.relative_to(CASES / case)
                shutil.copyfile(src, target)
    (dest / "netops.yaml").write_text("inventory_dir: inventory\ntopology_dir: topology\n")
    return dest
