"""Every case folder, through every reader: the declared LAN vs a sweep built from the sample city.

Each case holds `diagram.yaml` (what the PD drew) and `expected.yaml` (what the network looks
like, and exactly which findings the check must give). The diagram is written in each format
the way its tool saves it and read back through the real reader before checking.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from netops.analysis.diagram_check import check_diagram
from netops.sources.diagrams import read_diagram
from tests.diagrams.conftest import CASES, PD, observe, sample_inventory
from tests.diagrams.formats import FORMATS, SUFFIX, write

CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "expected.yaml").exists())


def _expected(case: Path) -> dict:
    return YAML(typ="safe").load((case / "expected.yaml").read_text())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_in_every_format(case: Path, fmt: str) -> None:
    inv = sample_inventory()
    canonical = read_diagram((case / "diagram.yaml").read_bytes(), str(case / "diagram.yaml")).diagram
    data = write(canonical, fmt).encode("utf-8")
    read = read_diagram(data, f"lan{SUFFIX[fmt]}")
    expected = _expected(case)
    network = expected.get("network") or {}
    snapshot = observe(inv, PD, cut=network.get("cut", ()), silent=network.get("silent", ()),
                       extra=[tuple(e) for e in network.get("extra", ())])
    result = check_diagram(read.diagram, PD, inv.devices, snapshot)
    got = sorted((f.kind.value, f.subject) for f in result.findings)
    want = expected["findings"]
    assert sorted(f["kind"] for f in want) == [kind for kind, _ in got], result.findings
    for item in want:
        if item.get("subject"):
            assert (item["kind"], item["subject"]) in got
