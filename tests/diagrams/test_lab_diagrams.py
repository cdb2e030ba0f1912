"""DISDUKCAPIL's diagrams against the running lab, in every input format.

One live sweep per network state (`--against live`), then every format of every case is
validated against that stored sweep: the correct diagram is clean, an extra switch is a
*device missing*, a wrong cable a *wrong far end*; after cutting one LAN cable the correct
diagram yields exactly one finding for that cable (*interface down* or *link missing*).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from netops.lab.handle import LabHandle
from netops.sources.diagrams import read_diagram_file
from tests.diagrams.conftest import CASES, PD
from tests.diagrams.formats import FORMATS, SUFFIX, write

pytestmark = pytest.mark.lab
CUT = "DISDUKCAPIL-LAN-02"
CUT_SUBJECT = "sw-disdukcapil-01 GigabitEthernet1/1/2 — ap-disdukcapil-011 ether1"
CASE_KINDS = {"matches_lab": [], "extra_switch": ["device missing"], "wrong_far_end": ["wrong far end"] * 2}


def _files(tmp_path: Path, case: str) -> dict[str, Path]:
    diagram = read_diagram_file(CASES / case / "diagram.yaml").diagram
    out = {}
    for fmt in FORMATS:
        path = tmp_path / f"{case}-{fmt}{SUFFIX[fmt]}"
        path.write_text(write(diagram, fmt), encoding="utf-8")
        out[fmt] = path
    return out


def _validate(path: Path, against: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["diagram", "validate", str(path), "--pd", PD, "--against", against, "--json"])
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    return result.exit_code, json.loads(result.stdout)


def test_diagrams_against_the_lab(lab: LabHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETOPS_LAB_STATE", str(lab.state_path))
    assert CUT in lab.links and {"sw-disdukcapil-01", "ap-disdukcapil-011"} <= set(lab.devices)
    files = {case: _files(tmp_path, case) for case in [*CASE_KINDS, "link_cut"]}
    code, live = _validate(files["matches_lab"]["yaml"], "live")
    assert code == 0, live["findings"]
    clean = str(live["snapshot_id"])
    for case, kinds in CASE_KINDS.items():
        for fmt, path in files[case].items():
            code, out = _validate(path, clean)
            assert [f["kind"] for f in out["findings"]] == kinds, (case, fmt, out["findings"])
            assert code == (1 if kinds else 0)
    try:
        lab.cut(CUT)
        assert lab.wait_for(lambda: not lab.lldp_neighbors("ap-disdukcapil-011").get("ether1"), timeout=15)
        code, cut = _validate(files["link_cut"]["yaml"], "live")
        after = str(cut["snapshot_id"])
        for fmt, path in files["link_cut"].items():
            code, out = _validate(path, after)
            assert code == 1
            # in-band the AP behind the cut cable no longer answers at all: it is the missing device
            assert [(f["kind"], f["subject"]) for f in out["findings"]] in (
                [("interface down", CUT_SUBJECT)], [("link missing", CUT_SUBJECT)],
                [("device missing", "ap-disdukcapil-011")]), (fmt, out["findings"])
    finally:
        lab.restore(None)
        lab.wait_for(lab.lldp_converged, timeout=30)
