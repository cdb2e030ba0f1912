"""`netops topology ...` end to end on the sample city (and a Zoo file), through click."""
from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from netops.cli.main import cli
from tests.conftest import SHARED_DATA


def run(*args: str) -> tuple[int, str]:
    """Exit code and standard output (warnings and errors go to standard error)."""
    result = CliRunner().invoke(cli, ["topology", *args])
    return result.exit_code, result.stdout if result.exit_code in (0, 1) else result.output


def test_check_json_has_the_contract_keys_and_fails_on_the_mpp_policy():
    code, out = run("check", "--json")
    data = json.loads(out)
    assert code == 1  # MPP shares DCT-EP-01: the designed policy violation
    assert {"bridges", "articulation_points", "pds", "duct_spofs", "suggestions"} <= set(data)
    assert ["core-pd-01", "edge-bpkad-01"] in data["bridges"]
    assert ["core-pd-01", "core-pd-02"] not in data["bridges"]  # twin fibres
    assert "edge-kec-belakangpadang-01" in data["articulation_points"]
    mpp = data["pds"]["MPP"]
    assert mpp["verdict"] == "dual-homed-shared-duct" and mpp["disjoint_paths"] == 2
    assert mpp["min_ducts_to_isolate"] == 1
    assert {"duct": "DCT-EP-01", "pds": ["DPMPTSP", "MPP", "SETWAN"]}.items() <= next(
        d for d in data["duct_spofs"] if d["duct"] == "DCT-EP-01").items()
    assert data["violations"] == [{"policy": "hospitals-and-public-service-must-be-diverse", "pd": "MPP",
                                   "verdict": "dual-homed-shared-duct", "required": "diverse"}]
    mpp_fix = next(s for s in data["suggestions"] if s["pd"] == "MPP")
    assert mpp_fix["b"] == "core-pd-01" and mpp_fix["length_m"] <= 650  # candidate list: 650 m
    assert "(new trench)" in mpp_fix["ducts"]


def test_check_table_ranks_by_impact():
    code, out = run("check")
    assert code == 1
    assert out.index("dist-seibeduk") < out.index("BTM-FO-0019")
    assert "policy violated" in out and "MPP" in out


def test_whatif_duct_and_each():
    code, out = run("whatif", "--fail", "duct:DCT-EP-01", "--json")
    assert code == 0 and json.loads(out)["isolated_pds"] == ["DPMPTSP", "MPP", "SETWAN"]
    code, out = run("whatif", "--each", "duct", "--json")
    rows = json.loads(out)
    assert rows[0]["name"] == "DCT-EP-01" or len(rows[0]["pds"]) >= 3
    assert {r["name"] for r in rows if r["pds"]} >= {"DCT-EP-01", "DCT-LBJ-02"}


def test_whatif_errors_are_one_line():
    code, out = run("whatif", "--fail", "duct:NOPE")
    assert code == 2 and "NOPE" in out and "Traceback" not in out
    code, out = run("whatif")
    assert code != 0 and "--fail" in out


def test_path_lists_fibres_and_ducts():
    code, out = run("path", "mpp", "--json")
    routes = json.loads(out)["routes"]
    assert code == 0 and routes[0]["fibres"][0]["cable"] == "BTM-FO-0022"
    assert "DCT-EP-01" in routes[0]["ducts"]


@pytest.mark.parametrize("fmt", ["svg", "png", "drawio"])
def test_render_formats(tmp_path: Path, fmt: str):
    out_file = tmp_path / f"city.{fmt}"
    code, out = run("render", "--format", fmt, "--highlight", "check", "-o", str(out_file), "--json")
    assert code == 0 and json.loads(out)["output"] == str(out_file)
    data = out_file.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG")
    elif fmt == "svg":
        assert b"<svg" in data and b"Mal Pelayanan Publik" in data and b"#d32f2f" in data
    else:
        root = ElementTree.fromstring(data)
        model = root.find("diagram/mxGraphModel")
        assert root.tag == "mxfile" and model is not None
        cells = model.findall("root/mxCell")
        vertices = [c for c in cells if c.get("vertex") == "1"]
        edges = [c for c in cells if c.get("edge") == "1"]
        ids = {c.get("id") for c in vertices}
        assert len(vertices) == 99 and len(edges) == 127
        assert all(e.get("source") in ids and e.get("target") in ids for e in edges)
        assert any("Mal Pelayanan Publik" in (v.get("value") or "") for v in vertices)
        assert any("#d32f2f" in (e.get("style") or "") for e in edges)


def test_check_on_a_zoo_file(shared_data):
    code, out = run("check", "--topology", str(SHARED_DATA / "topologyzoo" / "graphml" / "Colt.graphml"), "--json")
    data = json.loads(out)
    assert code == 0 and len(data["bridges"]) == 48
    assert any("parallel edges" in w for w in data["warnings"])
